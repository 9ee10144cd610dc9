"""What editors see of readership in the admin, from the stored read counts alone (``StoryReadCount``).

Nothing here knows a reader: a count is how many reads one story had in one short period
(``articles.readership.PERIOD``), kept for ``readership.KEEP``. Editors see every story's numbers,
reporters those of their own stories (``roles.sees_every_read_count``). Charts are inline SVG drawn
here, on the server: no script, no third party.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString

from articles import roles
from articles.models import Story, StoryQuerySet, StoryReadCount
from articles.readership import KEEP

TOP_LENGTH = 5
WEEK_DAYS = 7
CHART_DAYS = KEEP.days  # a story's chart covers every day whose counts are still kept
SPARKLINE_DAYS = 7
BAR_WIDTH, BAR_GAP, CHART_HEIGHT = 10, 2, 80
SPARK_STEP, SPARK_HEIGHT = 10, 16


def stories_for(user) -> StoryQuerySet:
    """The stories whose read counts ``user`` sees: every story for editors, their own for reporters."""
    return Story.objects.all() if roles.sees_every_read_count(user) else Story.objects.owned_by(user)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass
class Ranked:
    story_id: int
    headline: str
    reads: int


@dataclass
class SectionTop:
    name: str
    today: list[Ranked]
    week: list[Ranked]


def top_stories(user, now: datetime | None = None) -> list[SectionTop]:
    """Per section, the most-read stories today and over the last seven days (today included), in one query."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    today_start, week_start = _day_start(today), _day_start(today - timedelta(days=WEEK_DAYS - 1))
    counts = StoryReadCount.objects.filter(period_start__gte=week_start, period_start__lte=now)
    if not roles.sees_every_read_count(user):
        counts = counts.filter(story__in=stories_for(user).values("pk"))
    rows = (
        counts.values("story_id", "story__headline", "story__section__name", "story__section__position")
        .annotate(today=Sum("count", filter=Q(period_start__gte=today_start)), week=Sum("count"))
        .order_by()
    )
    sections: dict[tuple, list[dict]] = {}
    for row in rows:
        name = row["story__section__name"]
        key = (name is None, row["story__section__position"] or 0, name or "")
        sections.setdefault(key, []).append(row)
    return [
        SectionTop(name or "No section", _ranked(found, "today"), _ranked(found, "week"))
        for (_none, _position, name), found in sorted(sections.items())
    ]


def _ranked(rows: list[dict], period: str) -> list[Ranked]:
    read = [row for row in rows if row[period]]
    read.sort(key=lambda row: (-row[period], row["story__headline"], row["story_id"]))
    return [Ranked(row["story_id"], row["story__headline"], row[period]) for row in read[:TOP_LENGTH]]


def daily_reads(story_ids: list[int], days: int, now: datetime | None = None) -> dict[int, list[int]]:
    """Reads per local day over the last ``days`` days (today last) of each story, in one query."""
    today = timezone.localdate(now or timezone.now())
    first = today - timedelta(days=days - 1)
    per_story = {pk: [0] * days for pk in story_ids}
    if not story_ids:
        return per_story
    rows = StoryReadCount.objects.filter(story_id__in=story_ids, period_start__gte=_day_start(first))
    for story_id, start, count in rows.values_list("story_id", "period_start", "count"):
        index = (timezone.localdate(start) - first).days
        if 0 <= index < days:
            per_story[story_id][index] += count
    return per_story


def _day_label(day: date) -> str:
    return date_format(day, "D j M")


@dataclass
class Bar:
    day: date
    label: str
    reads: int
    x: int
    y: float
    height: float


@dataclass
class Chart:
    bars: list[Bar]
    total: int
    width: int
    height: int
    summary: str
    bar_width: int = BAR_WIDTH


def reads_chart(story: Story, now: datetime | None = None) -> Chart:
    """A bar per day of the story's reads over the last ``CHART_DAYS`` days, with a summary in words."""
    now = now or timezone.now()
    counts = daily_reads([story.pk], CHART_DAYS, now)[story.pk]
    first = timezone.localdate(now) - timedelta(days=CHART_DAYS - 1)
    peak = max(counts)
    bars = []
    for n, reads in enumerate(counts):
        height = round(reads / peak * CHART_HEIGHT, 1) if peak else 0
        day = first + timedelta(days=n)
        bars.append(Bar(day, _day_label(day), reads, n * (BAR_WIDTH + BAR_GAP), CHART_HEIGHT - height, height))
    total = sum(counts)
    summary = f"{total} read{'s' if total != 1 else ''} from {_day_label(first)} to {_day_label(bars[-1].day)}"
    if peak:
        best = max(bars, key=lambda bar: (bar.reads, bar.day))
        summary += f"; the most, {best.reads}, on {best.label}"
    return Chart(bars, total, CHART_DAYS * (BAR_WIDTH + BAR_GAP) - BAR_GAP, CHART_HEIGHT, summary + ".")


def sparkline(counts: list[int]) -> SafeString:
    """A small line of reads per day (oldest first) as inline SVG, named in words for screen readers."""
    peak = max(counts, default=0)
    points = " ".join(
        f"{n * SPARK_STEP},{round(SPARK_HEIGHT - (reads / peak * SPARK_HEIGHT if peak else 0), 1)}"
        for n, reads in enumerate(counts)
    )
    total = sum(counts)
    label = f"{total} read{'s' if total != 1 else ''} in the last {len(counts)} days, {counts[-1]} today"
    context = {"points": points, "label": label, "width": (len(counts) - 1) * SPARK_STEP, "height": SPARK_HEIGHT}
    return render_to_string("admin/articles/story/includes/sparkline.html", context)


def attach_sparklines(stories: list[Story], now: datetime | None = None) -> None:
    """Give each story of an admin list its ``reads_sparkline``, reading every count in one query."""
    per_story = daily_reads([story.pk for story in stories], SPARKLINE_DAYS, now)
    for story in stories:
        story.reads_sparkline = sparkline(per_story[story.pk])
