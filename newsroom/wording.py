"""Numbers and times put into words for staff: "1 file", "2 files", "27 Nov 2026, 10:46"."""

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format

# Every time on the admin's own pages (dashboard, story form, corrections, share links) reads like this.
STAFF_DATETIME_FORMAT = "j M Y, H:i"


def counted(number: int, singular: str, plural: str) -> str:
    """ "1 file", "2 files": a count with the noun that fits it."""
    return f"{number} {singular if number == 1 else plural}"


def staff_time(value: datetime) -> str:
    """A time as the admin's pages show it, in the newsroom's time zone."""
    return date_format(timezone.localtime(value), STAFF_DATETIME_FORMAT)


def time_zone_name(now: datetime | None = None) -> str:
    """The newsroom's time zone as staff read it: "Africa/Johannesburg (SAST)"."""
    now = timezone.localtime(now or timezone.now())
    name = timezone.get_current_timezone_name()
    abbreviation = now.tzname()
    if abbreviation == name:
        return name
    if not abbreviation or abbreviation.lstrip("+-").isdigit():
        return f"{name} (UTC{now.strftime('%z')[:3]}:{now.strftime('%z')[3:]})"
    return f"{name} ({abbreviation})"
