"""What pages tell machines and other sites: canonical links, social cards, JSON-LD and share links."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import readership, sharing, structured_data
from newsroom.pagecache import late_placeholder

register = template.Library()


@register.inclusion_tag("includes/head_meta.html", takes_context=True)
def story_head(context, story):
    """Canonical link, Open Graph and Twitter tags and NewsArticle (or LiveBlogPosting) JSON-LD for a story page."""
    publication, social_links = context["publication"], context["social_links"]
    if story.live:  # a live blog: its entries are in the context (articles.rendering.render_page)
        data = structured_data.live_blog_posting(story, context.get("live_entries", ()), publication)
    else:
        data = structured_data.news_article(story, publication)
    return {
        "canonical": story.canonical_url(publication),
        "meta": sharing.story_meta(story, publication, social_links),
        "json_ld": structured_data.script_element(data),
    }


@register.inclusion_tag("includes/head_meta.html", takes_context=True)
def site_head(context):
    """Canonical link, social tags and Organization JSON-LD for the home page."""
    publication, social_links = context["publication"], context["social_links"]
    organization = structured_data.site_organization(publication, social_links)
    return {
        "canonical": publication.absolute_url("/"),
        "meta": sharing.site_meta(publication, social_links),
        "json_ld": structured_data.script_element(organization),
    }


@register.simple_tag(takes_context=True)
def series_json_ld(context, series, page_obj):
    """CollectionPage JSON-LD for a series page: the stories on this page of it, numbered in the series' order."""
    stories = list(page_obj.object_list)
    data = structured_data.series_page(
        series, stories, context["publication"], first_position=page_obj.start_index() if stories else 1
    )
    return structured_data.script_element(data)


@register.simple_tag(takes_context=True)
def canonical_link(context, path, page_obj=None):
    """The canonical link of a list page: its ``path`` on the public site, with the page number past page 1."""
    if page_obj is not None and page_obj.number > 1:
        path += f"?page={page_obj.number}"
    return format_html('<link rel="canonical" href="{}">', context["publication"].absolute_url(path))


@register.inclusion_tag("includes/share_links.html", takes_context=True)
def share_links(context, story):
    """Links to share a story on WhatsApp, Facebook, X and by e-mail, and to copy its address.

    Public pages (shared by every reader, cached) use the publication's address. A preview, which is
    never cached, uses the address the viewer reached the site at: an editor trying the site on another
    host or port gets links that work there. Django checks that host against ALLOWED_HOSTS.
    """
    if context.get("preview_for_staff") is not None:
        url = context.request.build_absolute_uri(story.get_absolute_url())
    else:
        url = context["publication"].absolute_url(story.get_absolute_url())
    return {"url": url, "links": sharing.share_links(url, story.headline)}


@register.simple_tag(takes_context=True)
def most_read(context):
    """The most-read stories of the last day, as a numbered list (a late piece: see ``readership.most_read_html``)."""
    return mark_safe(late_placeholder(context.request, readership.MOST_READ_PIECE))  # noqa: S308 (our own markup)
