"""The read-only ninjs API. Every story query starts from ``Story.objects.published()``."""

import base64
import binascii
from datetime import datetime
from functools import wraps

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.http import urlencode
from django.views.decorators.http import conditional_page

from articles.models import LiveEntry, Person, Publication, Section, Story
from embeds.rendering import embeds_of
from interchange import ninjs
from interchange.openapi import openapi_document
from newsroom import throttles
from newsroom.errors import has_nul_byte

DEFAULT_LIMIT, MAX_LIMIT = 20, 100
ALLOWED_METHODS = "GET, HEAD, OPTIONS"


class BadRequest(Exception):
    pass


def _cors(request, response):
    origins = settings.NEWSROOM_API_CORS_ORIGINS
    origin = request.headers.get("Origin")
    if not origins:
        return
    patch_vary_headers(response, ["Origin"])
    if "*" in origins:
        response["Access-Control-Allow-Origin"] = "*"
    elif origin in origins:
        response["Access-Control-Allow-Origin"] = origin
    else:
        return
    response["Access-Control-Expose-Headers"] = "ETag, Link"


def api_view(view):
    """GET/HEAD only, ETag with 304, cacheable by browsers and CDNs, CORS as configured, throttled per address."""
    conditional = conditional_page(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = ALLOWED_METHODS
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
            response["Access-Control-Max-Age"] = "86400"
        elif request.method not in {"GET", "HEAD"}:
            response = _error(f"{request.method} is not allowed: this API is read-only.", status=405)
            response["Allow"] = ALLOWED_METHODS
        elif (wait := throttles.hit(request, "api")) is not None:
            response = throttles.too_many_requests(request, wait, json=True)
        elif has_nul_byte(request):  # PostgreSQL refuses NUL bytes in text: never let one reach a query
            response = _error("Parameters may not contain NUL bytes.", status=400)
        else:
            try:
                response = conditional(request, *args, **kwargs)
            except BadRequest as exc:
                response = _error(str(exc), status=400)
            if response.status_code in {200, 304}:
                patch_cache_control(
                    response,
                    public=True,
                    max_age=settings.NEWSROOM_API_MAX_AGE,
                    s_maxage=settings.NEWSROOM_API_SHARED_MAX_AGE,
                    stale_while_revalidate=settings.NEWSROOM_API_MAX_AGE,
                )
        _cors(request, response)
        return response

    return wrapper


def _error(message: str, *, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _json(data) -> JsonResponse:
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def _base_url(publication: Publication) -> str:
    """The publication's public address: identifiers and links never depend on the Host a request used."""
    return publication.base_url.rstrip("/")


def _is_number(text: str) -> bool:
    """Whether ``text`` is a whole number in ASCII digits (``str.isdigit`` also takes "²", which int() refuses)."""
    return text.isascii() and text.isdigit()


def _limit(request) -> int:
    raw = request.GET.get("limit", str(DEFAULT_LIMIT))
    if not _is_number(raw) or not 1 <= int(raw) <= MAX_LIMIT:
        raise BadRequest(f"limit must be a whole number from 1 to {MAX_LIMIT}.")
    return int(raw)


def _encode_cursor(story: Story) -> str:
    return base64.urlsafe_b64encode(f"{story.published_at.isoformat()}|{story.pk}".encode()).decode()


def _decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        when, pk = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        moment = parse_datetime(when)
        if moment is None or not _is_number(pk):
            raise ValueError
        return moment, int(pk)
    except (ValueError, binascii.Error, UnicodeError) as exc:
        raise BadRequest("cursor is not one this API gave out; start again from the first page.") from exc


def _since(raw: str) -> datetime:
    try:
        moment = parse_datetime(raw.replace(" ", "+"))  # an unencoded "+02:00" arrives as " 02:00"
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise BadRequest("since must be an ISO 8601 date and time with a time zone, e.g. 2025-01-31T08:00:00Z.")
    return moment


def filtered_stories(request):
    """Published stories narrowed by the section, tag, since and cursor parameters, newest first."""
    stories = Story.objects.published().for_detail()
    if section := request.GET.get("section"):
        stories = stories.filter(section__slug=section)
    if tag := request.GET.get("tag"):
        stories = stories.filter(tags__slug=tag)
    if since := request.GET.get("since"):
        moment = _since(since)
        stories = stories.filter(Q(published_at__gte=moment) | Q(modified_at__gte=moment))
    if cursor := request.GET.get("cursor"):
        when, pk = _decode_cursor(cursor)
        stories = stories.filter(Q(published_at__lt=when) | Q(published_at=when, pk__lt=pk))
    return stories


@api_view
def story_list(request):
    """Published stories in ninjs, newest first, a page at a time (keyset pagination)."""
    limit = _limit(request)
    stories = list(filtered_stories(request)[: limit + 1])
    page, more = stories[:limit], len(stories) > limit
    live_entries = LiveEntry.objects.by_story(page)  # a query only if a story on the page is a live blog
    for story in page:
        story.shown_live_entries = live_entries.get(story.pk, [])
    publication = Publication.load()
    base_url = _base_url(publication)
    embeds = embeds_of(story.body for story in page)
    data = {"items": [ninjs.story_to_ninjs(s, base_url=base_url, embeds=embeds) for s in page], "next": None}
    if more:
        query = {k: v for k, v in request.GET.items() if k != "cursor"} | {"cursor": _encode_cursor(page[-1])}
        data["next"] = f"{base_url}{reverse('interchange:ninjs_stories')}?{urlencode(query)}"
    response = _json(data)
    if data["next"]:
        response["Link"] = f'<{data["next"]}>; rel="next"'
    return response


@api_view
def story_detail(request, key):
    """One published story in ninjs, by id or slug; anything unpublished is the same 404 as a missing one."""
    lookup = {"pk": int(key)} if _is_number(key) else {"slug": key}
    story = Story.objects.published().for_detail().filter(**lookup).first()
    if story is None:
        return _error("No published story has that id or slug.", status=404)
    publication = Publication.load()
    return _json(ninjs.story_to_ninjs(story, base_url=_base_url(publication)))


def _page(request, queryset, serialize, *, base_url: str):
    paginator = Paginator(queryset, _limit(request))
    try:
        page = paginator.page(request.GET.get("page", 1))
    except (EmptyPage, PageNotAnInteger) as exc:
        raise BadRequest(f"page must be a whole number from 1 to {paginator.num_pages}.") from exc
    data = {"items": [serialize(obj) for obj in page], "count": paginator.count, "next": None}
    if page.has_next():
        query = {k: v for k, v in request.GET.items() if k != "page"} | {"page": page.next_page_number()}
        data["next"] = f"{base_url}{request.path}?{urlencode(query)}"
    return _json(data)


@api_view
def section_list(request):
    """Sections, in the site's order."""
    base_url = _base_url(Publication.load())

    def serialize(section):
        return {
            "name": section.name,
            "literal": section.slug,
            "uri": base_url + section.get_absolute_url(),
            "description": section.description,
            "stories": f"{base_url}{reverse('interchange:ninjs_stories')}?{urlencode({'section': section.slug})}",
        }

    return _page(request, Section.objects.all(), serialize, base_url=base_url)


@api_view
def person_list(request):
    """Public figures with a page of their own; members of the public quoted in passing are not listed."""
    base_url = _base_url(Publication.load())

    def serialize(person):
        return {
            "name": person.name,
            "literal": person.slug,
            "uri": base_url + person.get_absolute_url(),
            "description": person.description,
        }

    return _page(request, Person.objects.public().order_by("name", "pk"), serialize, base_url=base_url)


@api_view
def ninjs_schema(request):
    """The ninjs 2.1 JSON schema the API's items validate against."""
    return _json(ninjs.schema())


@api_view
def openapi(request):
    """The OpenAPI 3.1 description of this API."""
    return _json(openapi_document(base_url=_base_url(Publication.load())))
