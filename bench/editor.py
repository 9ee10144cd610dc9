"""An editor at a browser, for the newsroom day: signs in to the admin and saves stories over HTTP.

It does what a browser does against the running app server: the password form, the one-time code
from the editor's authenticator app, then the story's change form read field by field (inline
formsets and the CSRF token included), one field changed, and "Save and continue editing" posted.
"""

import contextlib
import http.cookiejar
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

from django_otp.oath import totp


class SaveFailed(Exception):
    """The admin did not save the story: an error page, a refused form or no new version."""


class FormReader(HTMLParser):
    """The fields a browser would submit from one form of a page: the one with ``form_id``, or the first POST form."""

    def __init__(self, form_id: str | None = None):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.found = form_id, False, False
        self.fields: list[tuple[str, str]] = []
        self.textarea: tuple[str, list[str]] | None = None
        self.select: dict | None = None
        self.option: dict | None = None

    def _is_wanted(self, attrs: dict) -> bool:
        if self.form_id:
            return attrs.get("id") == self.form_id
        return (attrs.get("method") or "").lower() == "post"

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.found and self._is_wanted(attrs):
            self.inside = self.found = True
        if not self.inside or "disabled" in attrs:
            return
        if tag == "option" and self.select is not None:
            self.option = {"value": attrs.get("value"), "selected": "selected" in attrs, "text": []}
            self.select["options"].append(self.option)
        elif not attrs.get("name"):
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            checkable = kind in ("checkbox", "radio")
            if kind not in ("submit", "button", "image", "reset", "file") and (not checkable or "checked" in attrs):
                value = attrs.get("value")
                self.fields.append((attrs["name"], ("on" if checkable else "") if value is None else value))
        elif tag == "textarea":
            self.textarea = (attrs["name"], [])
        elif tag == "select":
            self.select = {"name": attrs["name"], "multiple": "multiple" in attrs, "options": []}

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1].append(data)
        elif self.option is not None:
            self.option["text"].append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            name, parts = self.textarea
            self.fields.append((name, "".join(parts).removeprefix("\n")))  # browsers drop the first newline
            self.textarea = None
        elif tag == "option":
            self.option = None
        elif tag == "select" and self.select is not None:
            self.fields += self._chosen(self.select)
            self.select = None

    @staticmethod
    def _chosen(select: dict) -> list[tuple[str, str]]:
        values = [o["value"] if o["value"] is not None else "".join(o["text"]) for o in select["options"]]
        chosen = [value for value, option in zip(values, select["options"], strict=True) if option["selected"]]
        if not chosen and not select["multiple"] and values:
            chosen = values[:1]
        return [(select["name"], value) for value in chosen]


def form_fields(html: str, form_id: str | None = None) -> list[tuple[str, str]]:
    """The (name, value) pairs a browser would post from the form, in page order."""
    reader = FormReader(form_id)
    reader.feed(_form_markup(html, form_id))
    reader.close()
    if not reader.found:
        raise SaveFailed(f"no form {form_id or 'to post'} on the page")
    return reader.fields


def _form_markup(html: str, form_id: str | None) -> str:
    """The markup of the form with ``form_id`` only (forms do not nest), or the whole page: the benchmark's
    editor runs on the machine it measures, and the change form is a small part of its page to parse."""
    found = html.find(f'id="{form_id}"') if form_id else -1
    start = html.rfind("<form", 0, found) if found != -1 else -1
    end = html.find("</form>", found)
    return html[start : end + len("</form>")] if start != -1 and end != -1 else html


def replaced(fields: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    """The fields with ``name`` set to ``value`` (added when the form has no such field)."""
    if not any(field == name for field, _ in fields):
        return [*fields, (name, value)]
    return [(field, value if field == name else old) for field, old in fields]


def field(fields: list[tuple[str, str]], name: str) -> str:
    return next(value for key, value in fields if key == name)


class Editor:
    """A signed-in editor, with the cookies of one browser session."""

    def __init__(self, base_url: str, *, username: str, password: str, otp_key: str):
        self.base_url, self.username, self.password = base_url.rstrip("/"), username, password
        self.otp_key = bytes.fromhex(otp_key)
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirects()
        )
        self.forms: dict[int, tuple[list[tuple[str, str]], str]] = {}  # story id: its form as last opened, body

    def request(self, path: str, fields: list[tuple[str, str]] | None = None) -> tuple[int, str, str]:
        """Status, Location header and body of a GET (or of a POST of ``fields``), redirects not followed."""
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        headers = {"Origin": self.base_url} if data is not None else {}
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers.get("Location", ""), response.read().decode()
        except urllib.error.HTTPError as response:
            return response.code, response.headers.get("Location", ""), response.read().decode(errors="replace")

    def sign_in(self) -> None:
        """The password, then the one-time code: the admin's own two steps."""
        login = "/admin/login/?next=/admin/"
        _, _, page = self.request(login)
        credentials = replaced(form_fields(page, "login-form"), "username", self.username)
        status, location, _ = self.request(login, replaced(credentials, "password", self.password))
        if status != 302 or "second-factor" not in location:
            raise SaveFailed(f"the password step answered {status} {location}")
        _, _, page = self.request(location)
        code = f"{totp(self.otp_key, step=30, t0=0, digits=6):06d}"
        status, location, _ = self.request(location, replaced(form_fields(page), "code", code))
        if status != 302 or self.request("/admin/")[0] != 200:
            raise SaveFailed(f"the one-time code step answered {status} {location}")

    def open(self, story_id: int) -> int:
        """Open the story's change form, as the editor does before changing it; its version."""
        status, _, page = self.request(self._change_path(story_id))
        if status != 200:
            raise SaveFailed(f"the change form of story {story_id} answered {status}")
        fields = form_fields(page, "story_form")
        self.forms[story_id] = (fields, self.forms.get(story_id, (None, field(fields, "body")))[1])
        return int(field(fields, "base_version"))

    def save(self, story_id: int, note: str) -> float:
        """Add a paragraph (``note``) to the body as last opened and save; seconds until the admin answered."""
        fields, body = self.forms[story_id]
        version = int(field(fields, "base_version"))
        posted = replaced(replaced(fields, "body", f"{body}<p>{note}</p>"), "_continue", "Save and continue editing")
        started = time.monotonic()
        status, location, _ = self.request(self._change_path(story_id), posted)
        seconds = time.monotonic() - started
        if status != 302 or not location.endswith(self._change_path(story_id)):
            self._reopen(story_id)
            raise SaveFailed(f"saving story {story_id} answered {status} (form refused or server error)")
        if self.open(story_id) <= version:  # the page a browser is sent back to, with the new version
            raise SaveFailed(f"story {story_id} still has version {version} after saving")
        return seconds

    def _reopen(self, story_id: int) -> None:
        with contextlib.suppress(SaveFailed, OSError):  # if not, the next save tries with the form as it was
            self.open(story_id)

    @staticmethod
    def _change_path(story_id: int) -> str:
        return f"/admin/articles/story/{story_id}/change/"


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Hand redirects back to the caller, which checks where the admin sends it."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None
