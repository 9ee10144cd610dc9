"""Hostile values and the check that none of them became active markup on a page.

Every payload carries the word ``xss``. An injection has worked when the parsed page holds something
the payload created: a script element running our text, an event-handler attribute, a
``javascript:`` address, or an element whose id says it came from us (``xss-...``). Seeing the
payload as text is the safe outcome, and tests assert that too, so they fail if a field stops
being shown at all rather than passing for nothing.
"""

import json
import re

from bs4 import BeautifulSoup

# Short enough for every text field we test (the shortest is 80 characters).
PAYLOAD = "\"'><script>xss()</script><img src=x onerror=xss()><b id=xss-tag>"
JS_URL = "javascript:xss()"
# Stored in the body straight from a POST, not through the editor.
BODY = (
    '<p>Body <a href="javascript:xss()">link</a> <a href=" JaVaScRiPt:xss()">spaced</a>'
    ' <span onclick="xss()">click</span> <img src="https://evil.example/x.png" onerror="xss()">'
    '<script>xss()</script><iframe src="https://evil.example/"></iframe><style>body{}</style>'
    '<a href="data:text/html,<script>xss()</script>">data</a></p>'
)
# Reflected through the address bar.
QUERY = '"><script>xss()</script></title><b id=xss-reflected>'

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset", "background"}
DANGEROUS_SCHEMES = re.compile(r"^\s*(javascript|vbscript|data\s*:\s*text/html)", re.IGNORECASE)


def _scheme_part(value: str) -> str:
    # Browsers ignore control characters and whitespace inside a scheme ("java\tscript:").
    return re.sub(r"[\x00-\x20]", "", value)


def injected(html: str | bytes) -> list[str]:
    """Everything in ``html`` that a hostile value turned into live markup (empty when safe)."""
    page = BeautifulSoup(html, "html.parser")
    problems = []
    for element in page.find_all(True):
        for name, value in element.attrs.items():
            values = value if isinstance(value, list) else [value]
            if name.lower().startswith("on"):
                problems.append(f"<{element.name} {name}=...> event handler")
            if name.lower() in URL_ATTRIBUTES and any(DANGEROUS_SCHEMES.match(_scheme_part(v)) for v in values):
                problems.append(f"<{element.name} {name}={values[0]!r}> script address")
            if name == "id" and str(value).startswith("xss"):
                problems.append(f"<{element.name} id={value}> element created by the payload")
        if element.name == "script":
            text = element.string or ""
            kind = element.get("type", "")
            if kind == "application/ld+json":
                try:
                    json.loads(text)
                except ValueError:
                    problems.append("JSON-LD broken open")
            elif "xss" in text:
                problems.append("script element runs the payload")
        if element.name in ("iframe", "object", "embed", "base", "frame") and "evil.example" in str(element):
            problems.append(f"<{element.name}> from the payload")
    return problems


def visible_text(html: str | bytes) -> str:
    return BeautifulSoup(html, "html.parser").get_text(" ")


def admin_story_form(**fields) -> dict:
    """What the story add form posts, with empty inline formsets, plus ``fields``."""
    inlines = {
        f"{prefix}-{key}": value
        for prefix in ("bylines", "quotes", "corrections")
        for key, value in (
            ("TOTAL_FORMS", "0"),
            ("INITIAL_FORMS", "0"),
            ("MIN_NUM_FORMS", "0"),
            ("MAX_NUM_FORMS", "1000"),
        )
    }
    story = {"headline": "A fine headline", "slug": "", "body": "<p>Words.</p>", "kind": "news", "status": "draft"}
    return inlines | story | fields
