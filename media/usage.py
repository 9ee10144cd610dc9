"""Where a library picture is used, asked of the apps that show pictures.

The media app knows none of the models that show its pictures. Each app that has some registers, in its
``AppConfig.ready()``, a finder (where a picture is used) and, if pictures are uploaded from its editing
pages, a check for the object an upload is meant for, as contrib ``sitemaps`` asks each app for its items.
"""

from collections.abc import Callable

from django.db import models

# finder(image, user) -> (the uses the user may open, as (label, object) pairs; how many others there are)
Finder = Callable[[models.Model, object], tuple[list[tuple[str, models.Model]], int]]
# check(user, value) -> None when the user may upload a picture for the object named by value, else (status, message)
UploadCheck = Callable[[object, str], tuple[int, str] | None]

_finders: list[Finder] = []
_upload_checks: dict[str, UploadCheck] = {}


def register_finder(finder: Finder) -> None:
    """Add an app's finder of the places a picture is used (registering it twice adds it once)."""
    if finder not in _finders:
        _finders.append(finder)


def register_upload_check(field: str, check: UploadCheck) -> None:
    """Check the upload form's ``field`` (the object a picture is uploaded for) with ``check``."""
    _upload_checks[field] = check


def uses(image, user) -> tuple[list[tuple[str, models.Model]], int]:
    """Every place ``image`` is used that ``user`` may open, in the apps' order, and how many others there are."""
    found, hidden = [], 0
    for finder in _finders:
        visible, others = finder(image, user)
        found += visible
        hidden += others
    return found, hidden


def upload_refusal(data, user) -> tuple[int, str] | None:
    """Why an upload naming the objects in ``data`` (the posted form) is refused: (status, message), or None."""
    for field, check in _upload_checks.items():
        value = data.get(field, "")
        refused = value and check(user, value)
        if refused:
            return refused
    return None
