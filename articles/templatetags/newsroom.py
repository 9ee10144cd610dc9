"""Small presentation helpers for the public templates."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from articles import chrome
from newsroom.pagecache import shared_fragment as shared_html

register = template.Library()

# First-strong isolate and pop directional isolate: <bdi> for text where no markup can go.
FSI, PDI = "\u2068", "\u2069"


@register.filter
def isolate(value) -> SafeString:
    """Text someone wrote, isolated for the bidirectional algorithm where markup cannot go.

    In a ``<title>`` or an attribute, a name holding right-to-left letters or an override character
    would otherwise reorder the text around it; elsewhere templates use ``<bdi>``.
    """
    return mark_safe(f"{FSI}{conditional_escape(value)}{PDI}")


class SharedFragmentNode(template.Node):
    def __init__(self, nodelist, name, key):
        self.nodelist, self.name, self.key = nodelist, name, key

    def render(self, context):
        name, key = self.name.resolve(context), self.key.resolve(context)
        return shared_html(context.get("request"), name, key, lambda: self.nodelist.render(context))


@register.tag
def shared_fragment(parser, token):
    """``{% shared_fragment "name" key %}...{% endshared_fragment %}``: markup every reader shares.

    Rendered once for each ``key`` until what it shows changes, then read from the cache (see
    ``newsroom.pagecache.shared_fragment``). Only for markup that depends on nothing but content.
    """
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a name and a key.")
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    return SharedFragmentNode(nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2]))


@register.simple_tag(takes_context=True)
def site_piece(context, name: str, section=None) -> SafeString:
    """``{% site_piece "header" current_section %}``: markup every page shows around its content (header,
    footer, the head's style sheets and feeds), rendered with the site chrome and kept with it."""
    return chrome.piece(context["publication"], name, section)
