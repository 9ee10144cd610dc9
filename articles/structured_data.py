"""Structured data (schema.org JSON-LD) for search engines and aggregators, built from the models.

Pages emit these dictionaries with the ``json_ld`` template tag, which escapes them so that no
text from a story can close the script element.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from articles.models import Publication, Story
from articles.parts import story_parts
from articles.richtext import plain_text

SCHEMA = "https://schema.org"

# schema.org's kinds of news article; the kinds it has no word for are plain news articles.
ARTICLE_TYPES = {
    Story.Kind.COMMENTARY: "OpinionNewsArticle",
    Story.Kind.ANALYSIS: "AnalysisNewsArticle",
    Story.Kind.EXPLAINER: "BackgroundNewsArticle",
    Story.Kind.REVIEW: "ReviewNewsArticle",
}

# Characters that could end the script element or start markup, written as JSON escapes instead.
_SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def image_object(image, publication: Publication) -> dict:
    """An uploaded image as a schema.org ImageObject with an absolute address."""
    data = {"@type": "ImageObject", "url": publication.absolute_url(image.file.url)}
    if image.width and image.height:
        data |= {"width": image.width, "height": image.height}
    return data


def organization(publication: Publication, social_links=()) -> dict:
    """The publication as a news organisation, with its logo and its social accounts as ``sameAs``."""
    data = {"@type": "NewsMediaOrganization", "name": publication.name, "url": publication.absolute_url("/")}
    if publication.logo:
        data["logo"] = image_object(publication.logo, publication)
    same_as = [link.url for link in social_links]
    if same_as:
        data["sameAs"] = same_as
    return data


def source_author(story: Story) -> list[dict]:
    """Syndicated copy with no staff byline: its source, an organisation, stands as the author."""
    if not story.source_byline:
        return []
    author = {"@type": "Organization", "name": story.source.name}
    if story.source.url:
        author["url"] = story.source.url
    return [author]


def news_article(story: Story, publication: Publication) -> dict:
    """A story as a NewsArticle (or the subtype its kind calls for), with all its authors and corrections."""
    page = publication.absolute_url(story.get_absolute_url())
    data = {
        "@context": SCHEMA,
        "@type": ARTICLE_TYPES.get(story.kind, "NewsArticle"),
        "mainEntityOfPage": {"@type": "WebPage", "@id": story.canonical_url(publication)},
        "url": page,
        "headline": story.headline,
        "description": story.standfirst,
        "datePublished": story.published_at,
        "dateModified": story.last_public_change,
        "author": [
            {"@type": "Person", "name": author.name, "url": publication.absolute_url(author.get_absolute_url())}
            for author in story.byline_authors
        ]
        or source_author(story),
        "publisher": organization(publication),
        "inLanguage": story.language,
        "wordCount": story.word_count,
        "isAccessibleForFree": True,
    }
    if story.hero_image:
        data["image"] = [image_object(story.hero_image, publication)]
        crop = story.hero_image.open_graph
        if crop:
            data["image"].append({"@type": "ImageObject", **crop, "url": publication.absolute_url(crop["url"])})
    if story.section:
        data["articleSection"] = story.section.name
    keywords = [tag.name for tag in story.tags.all()]
    if keywords:
        data["keywords"] = keywords
    corrections = [
        {"@type": "CorrectionComment", "text": correction.text, "datePublished": correction.created_at}
        for correction in story.corrections.all()
    ]
    if corrections:
        data["correction"] = corrections
    if story.source and story.original_url:
        data["isBasedOn"] = story.original_url
    parts = marked_parts(story, page)
    if parts:
        data["hasPart"] = parts
    return data


LIVE_UPDATES_LISTED = 100  # the newest entries a live blog's structured data lists
UPDATE_HEADLINE_LENGTH = 110  # schema.org readers cut headlines longer than this


def live_blog_posting(story: Story, entries, publication: Publication) -> dict:
    """A live blog as a LiveBlogPosting: the story's article data, when coverage started (and ended), and
    its entries as ``liveBlogUpdate``, newest first, each a BlogPosting found on the page by its anchor."""
    page = publication.absolute_url(story.get_absolute_url())
    data = news_article(story, publication) | {"@type": "LiveBlogPosting", "coverageStartTime": story.live_started_at}
    if story.live_ended_at:
        data["coverageEndTime"] = story.live_ended_at
    newest = sorted(entries, key=lambda entry: (entry.posted_at, entry.pk), reverse=True)[:LIVE_UPDATES_LISTED]
    data["liveBlogUpdate"] = [_live_update(entry, page, publication) for entry in newest]
    changes = [data["dateModified"], *(entry.corrected_at or entry.posted_at for entry in newest)]
    data["dateModified"] = max(change for change in changes if change is not None)
    if story.live_summary:
        data["description"] = story.live_summary
    return data


def _live_update(entry, page: str, publication: Publication) -> dict:
    text = plain_text(entry.body)
    update = {
        "@type": "BlogPosting",
        "@id": f"{page}#{entry.anchor}",
        "url": f"{page}#{entry.anchor}",
        "headline": text if len(text) <= UPDATE_HEADLINE_LENGTH else text[: UPDATE_HEADLINE_LENGTH - 1] + "…",
        "articleBody": text,
        "datePublished": entry.posted_at,
        "dateModified": entry.corrected_at or entry.posted_at,
    }
    if entry.author:
        update["author"] = {
            "@type": "Person",
            "name": entry.author.name,
            "url": publication.absolute_url(entry.author.get_absolute_url()),
        }
    if entry.picture:
        update["image"] = image_object(entry.picture, publication)
    return update


def marked_parts(story: Story, page: str) -> list[dict]:
    """The story's parts with a kind of their own (a commentary in a news story), each as an article of
    that kind, found on the page by its subheading's id."""
    return [
        {
            "@type": ARTICLE_TYPES[part.kind],
            "@id": f"{page}#{part.anchor}",
            "url": f"{page}#{part.anchor}",
            "name": part.title,
            "cssSelector": f"#{part.anchor}",
            "isPartOf": {"@id": page},
        }
        for part in story_parts(story.body)
    ]


def series_page(series, stories, publication: Publication, *, first_position: int = 1) -> dict:
    """A series' page as a CollectionPage whose main entity is the list of its stories, in the editor's order.

    ``stories`` are those on this page of the list (with ``slug`` and ``headline``), the first at ``first_position``.
    """
    page = publication.absolute_url(series.get_absolute_url())
    data = {
        "@context": SCHEMA,
        "@type": "CollectionPage",
        "@id": page,
        "url": page,
        "name": series.name,
        "publisher": organization(publication),
        "mainEntity": {
            "@type": "ItemList",
            "itemListOrder": "https://schema.org/ItemListOrderAscending",
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": position,
                    "url": publication.absolute_url(story.get_absolute_url()),
                    "name": story.headline,
                }
                for position, story in enumerate(stories, start=first_position)
            ],
        },
    }
    if series.description:
        data["description"] = series.description
    if series.picture:
        data["image"] = image_object(series.picture, publication)
    return data


def site_organization(publication: Publication, social_links=()) -> dict:
    """The Organization block of the home page."""
    return {"@context": SCHEMA, **organization(publication, social_links)}


def script_element(data: dict) -> SafeString:
    """``data`` as a JSON-LD script element; ``<``, ``>`` and ``&`` are escaped so text cannot end it."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_SAFE)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
