"""Property-based checks: whatever text or nesting arrives, imports and forms answer it, never with a 500.

Examples share one test's database, so each compares counts from before and after its own import:
a file that failed must have added nothing, a file that worked exactly its new drafts.
"""

import json
from urllib.parse import quote_from_bytes

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.models import Author, Person, Source, Story
from interchange.importing import import_files
from interchange.models import ImportedItem, SuggestedQuote
from newsroom.textsafety import CONTROLS
from tests.security.hostile import admin_story_form

pytestmark = pytest.mark.django_db

# Anything at all, weighted towards what breaks things: controls, lone surrogates, direction overrides,
# right-to-left letters and the characters that mean something in JSON, XML, HTML and Markdown.
AWKWARD = "\x00\x01\x07\x0b\x1b\x1f\t\n\r\u202e\u202d\u2066\u2069\u200f\ud800\udfff\ufeff<>&\"'{}[]#>*-`ب שׁ"
hostile_text = st.text(st.one_of(st.characters(exclude_categories=()), st.sampled_from(AWKWARD)), max_size=120)
http_text = st.text(st.one_of(st.characters(exclude_categories=("Cs",)), st.sampled_from(AWKWARD[:13])), max_size=80)
FILE_NAMES = ["copy.txt", "copy.md", "item.json", "story.xml", "noname"]


def _rows() -> dict:
    return {model: model.objects.count() for model in (Story, ImportedItem, Author, Person, Source, SuggestedQuote)}


def _import_and_check(name: str, content: bytes) -> None:
    """Import one file; it either made exactly its new drafts or left no trace, and kept no controls."""
    before = _rows()
    (outcome,) = import_files(files=[(name, content)])
    after = _rows()
    if not outcome.ok:
        assert outcome.error
        assert after == before, outcome.error
        return
    new = len(outcome.stories) - len(outcome.updated)
    assert after[Story] == before[Story] + new
    assert after[ImportedItem] == before[ImportedItem] + new
    for story in outcome.stories:
        story.refresh_from_db()
        assert not CONTROLS.search(story.headline + story.standfirst + story.body)


@given(name=st.sampled_from(FILE_NAMES), content=st.binary(max_size=400))
def test_any_bytes_in_any_kind_of_file_import_or_fail_cleanly(name, content):
    _import_and_check(name, content)


@given(name=st.sampled_from(["copy.txt", "copy.md"]), text=hostile_text)
def test_any_text_as_plain_copy_imports_or_fails_cleanly(name, text):
    _import_and_check(name, ("Dam Levels Rise\n\n" + text).encode("utf-8", "surrogatepass"))


@given(
    headline=hostile_text,
    summary=hostile_text,
    body=hostile_text,
    author=hostile_text,
    tag=hostile_text,
    uri=hostile_text,
)
def test_any_text_in_any_ninjs_field_imports_or_fails_cleanly(headline, summary, body, author, tag, uri):
    item = {
        "uri": uri or "urn:x",
        "type": "text",
        "headlines": [{"role": "main", "value": headline}],
        "descriptions": [{"role": "summary", "value": summary}],
        "bodies": [{"contenttype": "text/html", "value": body}],
        "people": [{"name": author, "rel": "author"}],
        "subjects": [{"name": tag, "rel": "tag"}],
    }
    _import_and_check("item.json", json.dumps(item).encode())  # lone surrogates travel as \\ud800 escapes


@given(headline=hostile_text, person=hostile_text)
def test_any_text_in_nitf_imports_or_fails_cleanly(headline, person):
    def xml_text(text):
        return text.encode("utf-8", "surrogatepass").replace(b"&", b"&amp;").replace(b"<", b"&lt;")

    content = (
        b"<nitf><body><body.head><hedline><hl1>"
        + xml_text(headline)
        + b"</hl1></hedline><byline><person>"
        + xml_text(person)
        + b"</person></byline></body.head><body.content><p>Copy.</p></body.content></body></nitf>"
    )
    _import_and_check("story.xml", content)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | hostile_text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(hostile_text, children, max_size=3),
    max_leaves=30,
)


@given(extra=json_values, depth=st.integers(min_value=0, max_value=3000), opener=st.sampled_from("[{"))
def test_any_nesting_in_ninjs_imports_or_fails_cleanly(extra, depth, opener):
    nested = ('{"a":' * depth + "1" + "}" * depth) if opener == "{" else ("[" * depth + "]" * depth)
    item = {"uri": "urn:nested", "type": "text", "headlines": [{"value": "Nested"}], "extra": extra}
    text = json.dumps(item)[:-1] + f', "deep": {nested}' + "}"
    _import_and_check("item.json", text.encode("utf-8", "surrogatepass"))


@given(depth=st.integers(min_value=0, max_value=5000), tag=st.sampled_from(["block", "p", "em", "ul"]))
def test_any_nesting_in_nitf_imports_or_fails_cleanly(depth, tag):
    inner = f"<{tag}>" * depth + "deep" + f"</{tag}>" * depth
    content = f"<nitf><body><body.head><hedline><hl1>Deep</hl1></hedline></body.head><body.content>{inner}"
    _import_and_check("story.xml", (content + "</body.content></body></nitf>").encode())


@given(depth=st.integers(min_value=0, max_value=400), marker=st.sampled_from(["> ", "  - ", "1. ", "    "]))
def test_any_nesting_in_markdown_imports_or_fails_cleanly(depth, marker):
    lines = "".join(marker * level + "item\n" for level in range(depth))
    _import_and_check("copy.md", f"Nested Markdown\n\n{lines}".encode())


@pytest.fixture
def reader(settings):
    # Many examples from one address: the throttles (tested in test_throttles) would answer 429.
    for name in ("SEARCH", "LOGIN_ADDRESS", "LOGIN_ACCOUNT", "CODE_ADDRESS", "CODE_ACCOUNT"):
        setattr(settings, f"NEWSROOM_THROTTLE_{name}", "")
    return Client(raise_request_exception=False)


@given(query=st.binary(max_size=200), section=st.binary(max_size=20), start=st.binary(max_size=20))
def test_search_form_answers_any_bytes_without_an_error(reader, query, section, start):
    address = f"/search/?q={quote_from_bytes(query)}&section={quote_from_bytes(section)}"
    response = reader.get(f"{address}&start={quote_from_bytes(start)}&sort={quote_from_bytes(query[:10])}")
    assert response.status_code in {200, 400}


@given(text=http_text)
def test_search_form_answers_any_text_without_an_error(reader, text):
    response = reader.get("/search/", {"q": text})
    assert response.status_code == 200


@given(username=http_text, password=http_text)
def test_sign_in_form_answers_any_text_with_a_form(reader, username, password):
    response = reader.post("/admin/login/", {"username": username, "password": password})
    assert response.status_code == 200


@settings(max_examples=25)
@given(headline=http_text, standfirst=http_text, tags=http_text)
def test_story_form_saves_or_refuses_any_text_without_an_error(editor_client, headline, standfirst, tags):
    editor_client.raise_request_exception = False
    before = Story.objects.count()

    response = editor_client.post(
        "/admin/articles/story/add/", admin_story_form(headline=headline, standfirst=standfirst, tags=tags)
    )

    assert response.status_code in {200, 302}
    if response.status_code == 200:
        assert Story.objects.count() == before
    else:
        story = Story.objects.latest("pk")
        assert not CONTROLS.search(story.headline + story.standfirst)
