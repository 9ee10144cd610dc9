"""What one ninjs item holds, read as agencies send it: a story draft, a picture for the media library, or
a one-line refusal that says why (an item of ninjs 1.x or 3.x, audio, video).

Text may come in any carrier ninjs 2.x has: an HTML body (a fragment or a whole html5 document), a
plain-text body, or only ``descriptions`` with the role "text". The byline is split into people and
the agency, which becomes the source, as does the item's copyright holder or provider.
"""

import re

from django.conf import settings
from django.utils.html import escape, strip_tags

from articles.parts import opens_part
from articles.richtext import MAX_BODY_DEPTH, markup_depth
from interchange.bylines import split_byline
from interchange.draft import ImportFailed, PictureDraft, Rendition, StoryDraft
from interchange.htmldoc import article_content

AUTHOR_RELS = {"author", "creator", "byline"}
SECTION_REL = "section"
SUMMARY_ROLES = {"summary", "abstract", "description", "teaser", "lead", "standfirst"}
TEXT_ROLES = {"text", "body", "fulltext"}
# Preferred HTML bodies first: TT sends "html5" and "richhtml5", dpa "html", Newsroom "main".
HTML_ROLES = ["main", "html", "xhtml", "html5", "richhtml5", "richtext"]
PROVIDER_ROLES = {"provider", "originalsource", "originator", "source"}
PICTURE_TYPES = {"picture", "graphic"}
REFUSED_TYPES = {"audio", "video"}
# Names ninjs 3.x gives in camelCase where 2.x writes them in small letters.
CAMEL_CASE_3X = {
    "versionCreated", "firstCreated", "contentCreated", "copyrightHolder", "copyrightNotice", "usageTerms",
    "edNote", "representationType", "altIds", "trustIndicators", "rightsInfo",
}  # fmt: skip
# Carriers of ninjs 1.x, and what 2.x calls them. Some 2.x senders still add one or two of them.
LEGACY_1X = {"body_html", "body_xhtml", "body_text", "headline", "byline", "description_text", "description_html"}
LEGACY_DROPPED = {"description_usage", "person", "place", "organisation", "subject", "object", "event"}
PART_HEADING_MAX_WORDS = 12
_SENTENCE_END = re.compile(r"[.!?…][\"”’']?(?=\s|$)")
_VERSION_IN_ADDRESS = re.compile(r"ninjs[-_/](?:schema[-_])?v?(?P<version>\d+(?:\.\d+)*)", re.IGNORECASE)


def _label(number: int, total: int) -> str:
    return f"Item {number}" if total > 1 else "The item"


def declared_version(item: dict) -> tuple[str, str]:
    """The ninjs version the item says it follows, and where it says so ("" and "" if it does not)."""
    standard = item.get("standard") if isinstance(item.get("standard"), dict) else {}
    name = str(standard.get("name", ""))
    if standard.get("version") and (not name or "ninjs" in name.lower()):
        return str(standard["version"]), "standard.version"
    for key, where in ((item.get("$schema"), "$schema"), (standard.get("schema"), "standard.schema")):
        if isinstance(key, str) and (found := _VERSION_IN_ADDRESS.search(key)):
            return found["version"], where
    return "", ""


def refuse_other_versions(item: dict, *, number: int, total: int) -> None:
    """Refuse, in one line naming the version seen, an item of ninjs 1.x or 3.x."""
    label = _label(number, total)
    version, where = declared_version(item)
    advice = "Newsroom reads ninjs 2.x: ask the sender for ninjs 2.x."
    if version and not version.startswith("2"):
        raise ImportFailed(f"{label} is ninjs {version} (its {where} says so), not 2.x. {advice}")
    if version:
        return
    camel = sorted(CAMEL_CASE_3X & item.keys())
    if camel:
        raise ImportFailed(f"{label} looks like ninjs 3.x (it has {', '.join(camel[:3])}), not 2.x. {advice}")
    legacy = sorted(_legacy_fields(item))
    modern = {"headlines", "bodies", "descriptions", "subjects"} & item.keys()
    if legacy and not modern:
        raise ImportFailed(f"{label} looks like ninjs 1.x (it has {', '.join(legacy[:3])}), not 2.x. {advice}")


def _legacy_fields(item: dict) -> set[str]:
    return {key for key in LEGACY_1X & item.keys() if isinstance(item[key], str)} | (LEGACY_DROPPED & item.keys())


def modernised(item: dict) -> dict:
    """A 2.x item with 1.x carriers some senders still add (``body_html``, ``byline`` ...) moved to their
    2.x places, so no text is lost and the item can be checked against the 2.x schema (which has no
    place for them, nor for ``$schema``)."""
    legacy = _legacy_fields(item) | ({"$schema"} & item.keys())  # the version was checked already
    if not legacy or not all(isinstance(item.get(key, []), list) for key in ("bodies", "descriptions")):
        return item  # nothing to move, or arrays that are none: the schema check names the problem
    old = {key: item[key] for key in legacy if isinstance(item[key], str) and item[key].strip()}
    item = {key: value for key, value in item.items() if key not in legacy}
    bodies, descriptions = list(item.get("bodies", [])), list(item.get("descriptions", []))
    for key in ("body_html", "body_xhtml"):
        if key in old:
            bodies.append({"role": "html", "contenttype": "text/html", "value": old[key]})
    if "body_text" in old:
        bodies.append({"role": "text", "contenttype": "text/plain", "value": old["body_text"]})
    for key in ("description_text", "description_html"):
        if key in old:
            descriptions.append({"role": "summary", "contenttype": "text/plain", "value": strip_tags(old[key])})
    if "headline" in old and not item.get("headlines"):
        item["headlines"] = [{"role": "main", "value": old["headline"]}]
    if "byline" in old and not item.get("by"):
        item["by"] = old["byline"]
    if bodies:
        item["bodies"] = bodies
    if descriptions:
        item["descriptions"] = descriptions
    return item


def _first(entries: list[dict], roles) -> dict | None:
    return next((e for e in entries if e.get("role") in roles), None) or next(
        (e for e in entries if "role" not in e), None
    )


def _is_html(body: dict) -> bool:
    contenttype = body.get("contenttype", "").lower()
    if contenttype:
        return "html" in contenttype
    return bool(re.search(r"<[a-zA-Z][^>]*>", body["value"]))


def _is_text(body: dict) -> bool:
    contenttype = body.get("contenttype", "").lower()
    return contenttype.startswith("text/plain") or (not contenttype and not _is_html(body))


def _paragraphs(text: str, *, headline: str) -> str:
    """Plain text as paragraphs, one per line; a short line opening a part ("Commentary: ...") is its subheading."""
    lines = [" ".join(line.split()) for line in strip_tags(text).splitlines()]
    lines = [line for line in lines if line]
    if lines and lines[0].casefold() == " ".join(headline.split()).casefold():
        lines = lines[1:]  # plain-text bodies often start with the headline again
    return "".join(
        f"<h2>{escape(line)}</h2>"
        if opens_part(line) and len(line.split()) <= PART_HEADING_MAX_WORDS
        else f"<p>{escape(line)}</p>"
        for line in lines
    )


def _html_rank(body: dict) -> int:
    role = body.get("role", "main")
    return HTML_ROLES.index(role) if role in HTML_ROLES else len(HTML_ROLES)


def body_and_carrier(item: dict, headline: str) -> tuple[str, dict | None]:
    """The story's text as HTML, from the best carrier the item has, and the description it came from (if any)."""
    bodies = [b for b in item.get("bodies", []) if b.get("value", "").strip()]
    for body in sorted(filter(_is_html, bodies), key=_html_rank):
        if markup_depth(body["value"]) > MAX_BODY_DEPTH:
            return body["value"], None  # refused as it is when saved, naming the problem
        html = article_content(body["value"], headline=headline)
        if strip_tags(html).strip():
            return html, None
    for body in filter(_is_text, bodies):
        html = _paragraphs(body["value"], headline=headline)
        if html:
            return html, None
    descriptions = [d for d in item.get("descriptions", []) if d.get("value", "").strip()]
    carrier = next((d for d in descriptions if d.get("role") in TEXT_ROLES), None)
    carrier = carrier or max(descriptions, key=lambda d: len(d["value"]), default=None)
    if carrier is None:
        return "", None
    return _paragraphs(carrier["value"], headline=headline), carrier


def _sender_names(item: dict) -> list[str]:
    """Who the item says sent it: its copyright holder, then its providers and other info sources."""
    infosources = item.get("infosources", [])
    providers = [s["name"] for s in infosources if s.get("role") in PROVIDER_ROLES and s.get("name")]
    others = [s["name"] for s in infosources if s.get("name") and s.get("role") not in PROVIDER_ROLES]
    return [name.strip() for name in [item.get("copyrightholder", ""), *providers, *others] if name.strip()]


def authors_and_source(item: dict) -> tuple[list[str], str]:
    """The people bylined and the agency or partner the copy comes from, which is never one of the people."""
    senders = _sender_names(item)
    from_byline, agency = split_byline(item.get("by", ""), agencies=senders)
    named = [p["name"] for p in item.get("people", []) if p.get("rel") in AUTHOR_RELS and p.get("name")]
    source = agency or (senders[0] if senders else "")
    authors = [name for name in (named or from_byline) if name.casefold() != source.casefold()]
    return authors, source


def standfirst(item: dict, carrier: dict | None) -> str:
    """The item's summary; else, when its text came in a body, the teaser it sends as a description (role
    "text", TT's way), cut to whole sentences. Else nothing: the story form proposes one from the body."""
    descriptions = [d for d in item.get("descriptions", []) if d is not carrier and d.get("value", "").strip()]
    summary = _first(descriptions, SUMMARY_ROLES)
    if summary:
        return " ".join(strip_tags(summary["value"]).split())
    teaser = next((d for d in descriptions if d.get("role") in TEXT_ROLES), None)
    if teaser is None:
        return ""
    text = " ".join(strip_tags(teaser["value"]).split())
    ends = [end.end() for end in _SENTENCE_END.finditer(text) if end.end() <= settings.NEWSROOM_STANDFIRST_MAX_CHARS]
    return text[: ends[-1]] if ends else ""


def draft_from_item(item: dict) -> StoryDraft:
    """One validated ninjs text item as a story draft."""
    headlines = item.get("headlines", [])
    headline = _first(headlines, {"main", "headline"}) or (headlines[0] if headlines else None)
    headline_text = strip_tags(headline["value"]).strip() if headline else ""
    if not headline_text:
        raise ImportFailed(f"Item {item['uri']} has no headline.")
    body, carrier = body_and_carrier(item, headline_text)
    subjects = item.get("subjects", [])
    section = next((s for s in subjects if s.get("rel") == SECTION_REL), None)
    renditions = item.get("renditions", [])
    original = next((r for r in renditions if r.get("name") in {"web", "original"} and r.get("href")), None)
    original = next((r for r in renditions if r.get("name") == "original" and r.get("href")), original)
    authors, source = authors_and_source(item)
    return StoryDraft(
        identifier=item["uri"],
        headline=headline_text,
        standfirst=standfirst(item, carrier),
        body=body,
        section=(section.get("name") or section.get("literal", "")) if section else "",
        tags=[s.get("name") or s.get("literal", "") for s in subjects if s.get("rel") != SECTION_REL],
        authors=authors,
        source=source,
        original_url=original["href"] if original else "",
        kind=next((g.get("literal") for g in item.get("genres", []) if g.get("literal")), ""),
        language=item.get("language", ""),
        notes=[] if body else [f'"{headline_text[:80]}" came with no text in any body or description.'],
    )


def picture_from_item(item: dict) -> PictureDraft:
    """One validated ninjs picture item as a picture for the media library (its file is found on import)."""
    descriptions = item.get("descriptions", [])
    caption = _first(descriptions, {"caption"})
    alt = next((d for d in descriptions if d.get("role") in {"alt", "alttext", "alternativetext"}), None)
    credit_line = next((d for d in descriptions if d.get("role") in {"creditline", "credit"}), None)
    headline = _first(item.get("headlines", []), {"main", "headline"})
    title = (headline or {}).get("value") or item.get("title") or item.get("slugline") or item["uri"]
    senders = _sender_names(item)
    credit = (credit_line or {}).get("value") or item.get("by") or (senders[0] if senders else "")
    caption_text = " ".join(strip_tags((caption or {}).get("value", "")).split())
    kept = [
        ("Caption", caption_text),
        ("Usage terms", item.get("usageterms", "")),
        ("Editors' note", item.get("ednote", "")),
        ("Source", ", ".join(senders)),
        ("Language", item.get("language", "")),
        ("ninjs item", item["uri"]),
    ]
    return PictureDraft(
        identifier=item["uri"],
        title=" ".join(strip_tags(title).split()),
        credit=" ".join(credit.split()),
        caption=caption_text,
        alt_text=" ".join(strip_tags((alt or {}).get("value", "")).split()),
        notes_for_library="\n".join(f"{label}: {value}" for label, value in kept if value),
        renditions=[
            Rendition(href=r["href"], name=r.get("name", ""), width=int(r.get("width") or 0))
            for r in item.get("renditions", [])
            if r.get("href")
        ],
    )


def read_item(item: dict) -> StoryDraft | PictureDraft:
    """A validated 2.x item as what it is: a picture, a story, or a refusal for audio and video."""
    kind = item.get("type", "text")
    if kind in PICTURE_TYPES:
        return picture_from_item(item)
    if kind in REFUSED_TYPES:
        title = _first(item.get("headlines", []), {"main", "headline"}) or {"value": item["uri"]}
        raise ImportFailed(
            f'"{strip_tags(title["value"])[:80]}" is a {kind} item: Newsroom imports text and pictures only, '
            f"so add the {kind} to a story by hand."
        )
    return draft_from_item(item)
