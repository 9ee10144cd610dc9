"""How a story travels: Open Graph and Twitter card tags, and share links that need no third-party script."""

from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

from articles.models import Platform, Publication, SocialLink, Story


@dataclass(frozen=True)
class ShareLink:
    name: str
    url: str
    label: str
    new_window: bool = True


def share_links(url: str, title: str) -> list[ShareLink]:
    """Plain links that open each network's own share page (or the mail program) for ``url``."""
    return [
        ShareLink("whatsapp", f"https://wa.me/?{urlencode({'text': f'{title} {url}'}, quote_via=quote)}", "WhatsApp"),
        ShareLink("facebook", f"https://www.facebook.com/sharer/sharer.php?{urlencode({'u': url})}", "Facebook"),
        ShareLink("x", f"https://x.com/intent/post?{urlencode({'text': title, 'url': url}, quote_via=quote)}", "X"),
        ShareLink("email", f"mailto:?{urlencode({'subject': title, 'body': url}, quote_via=quote)}", "Email", False),
    ]


def share_image(image, publication: Publication) -> dict:
    """The picture social networks show: the image's sharing crop when it has one, else the original."""
    crop = image.open_graph
    if crop:
        return {**crop, "url": publication.absolute_url(crop["url"])}
    return {"url": publication.absolute_url(image.file.url), "width": image.width, "height": image.height}


def x_handle(social_links) -> str:
    """The publication's X account as ``@name``, from its social links, or empty."""
    for link in social_links:
        if link.platform == Platform.X:
            name = urlsplit(link.url).path.strip("/").split("/")[0].lstrip("@")
            return f"@{name}" if name else ""
    return ""


def story_meta(story: Story, publication: Publication, social_links: list[SocialLink]) -> list[tuple[str, str, str]]:
    """Open Graph and Twitter card tags for a story page, as (attribute, name, content) triples."""
    image = story.hero_image
    tags = [
        ("property", "og:site_name", publication.name),
        ("property", "og:type", "article"),
        ("property", "og:title", story.headline),
        ("property", "og:description", story.standfirst),
        ("property", "og:url", story.canonical_url(publication)),
        ("property", "article:published_time", story.published_at.isoformat()),
        ("property", "article:modified_time", story.last_public_change.isoformat()),
    ]
    if story.section:
        tags.append(("property", "article:section", story.section.name))
    tags += [("property", "article:tag", tag.name) for tag in story.tags.all()]
    tags += [
        ("property", "article:author", publication.absolute_url(author.get_absolute_url()))
        for author in story.byline_authors
    ]
    tags += [
        ("name", "twitter:card", "summary_large_image" if image else "summary"),
        ("name", "twitter:title", story.headline),
        ("name", "twitter:description", story.standfirst),
    ]
    if handle := x_handle(social_links):
        tags.append(("name", "twitter:site", handle))
    if image:
        picture = share_image(image, publication)
        tags += [
            ("property", "og:image", picture["url"]),
            ("property", "og:image:width", str(picture["width"])),
            ("property", "og:image:height", str(picture["height"])),
            ("property", "og:image:alt", image.alt_text),
            ("name", "twitter:image", picture["url"]),
            ("name", "twitter:image:alt", image.alt_text),
        ]
    return tags


def site_meta(publication: Publication, social_links: list[SocialLink]) -> list[tuple[str, str, str]]:
    """Open Graph and Twitter card tags for the home page."""
    description = publication.description or publication.tagline
    tags = [
        ("property", "og:site_name", publication.name),
        ("property", "og:type", "website"),
        ("property", "og:title", publication.name),
        ("property", "og:description", description),
        ("property", "og:url", publication.absolute_url("/")),
        ("name", "twitter:card", "summary"),
        ("name", "twitter:title", publication.name),
        ("name", "twitter:description", description),
    ]
    if publication.logo:
        tags.append(("property", "og:image", publication.absolute_url(publication.logo.file.url)))
    if handle := x_handle(social_links):
        tags.append(("name", "twitter:site", handle))
    return tags
