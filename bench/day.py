"""The newsroom day: readers all over the site while the newsroom works, in three phases.

Every public page (home, section fronts, every story, tag, author and person pages, feeds, sitemaps) is
read once first, so the caches hold them: least read first, so that the most read pages are the freshest
in the cache when the phases start, as on a site readers never stop reading (reading 20,000 pages can
take longer than a cached page lives). Then wrk readers pick pages by popularity, Zipf with s = 1
(rank k read in proportion to 1/k: the home page and section fronts first, then stories newest first,
with the other pages spread among them), for three phases of ``BENCH_DAY_SECONDS`` each:

- quiet: readers only;
- drafts: an editor saves a draft every 2 s, in the admin, over HTTP as a browser does;
- publish: the editor re-saves a live story (the newest after the lead) every 30 s, the same way.

Saves start one second into their phase. A failed save (an error page, a refused form, no new version)
counts as an error of its phase. Afterwards Redis is asked how many of the site's entries it holds and
how much memory it uses: about one entry per page and piece if retired entries do not pile up.

The Django side (the page list, the editor's account, which stories to save) runs in the app servers'
configuration: ``python -m bench.day --prepare FILE`` writes it as JSON.
"""

import argparse
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.editor import Editor, SaveFailed

ROOT = Path(__file__).resolve().parent.parent
# At least 20 s; 40 s by default, as the phases' ratios to each other moved by two or three points between
# 20-second runs of the same code.
SECONDS = int(os.environ.get("BENCH_DAY_SECONDS", 40))
# phase: seconds between saves (None: nobody saves)
PHASES = {"quiet": None, "drafts": 2, "publish": 30}
FIRST_SAVE_AFTER = 1.0
WARM_UP_READERS = 8


# --- the site's pages, in the app servers' configuration ----------------------------------------------


def public_pages() -> dict[str, list[str]]:
    """Every page a reader can reach, by kind; stories newest first."""
    from django.urls import reverse

    from articles.models import Author, Person, Section, Story
    from articles.models.stories import public_tags
    from articles.sitemaps import SITEMAPS

    sections = list(Section.objects.order_by("position", "pk"))
    stories = Story.objects.published().only("slug").order_by("-published_at", "-pk")
    tags = list(public_tags().order_by("slug").values_list("slug", flat=True))
    authors = list(Author.objects.with_published_stories().order_by("slug"))
    feeds = [reverse("articles:latest_feed"), reverse("articles:latest_atom")]
    for route, slugs in (("section", [s.slug for s in sections]), ("tag", tags), ("author", [a.slug for a in authors])):
        for name in (f"{route}_feed", f"{route}_atom"):
            feeds += [reverse(f"articles:{name}", kwargs={"slug": slug}) for slug in slugs]
    sitemaps = [reverse("articles:sitemap_index"), reverse("articles:news_sitemap")]
    for name, sitemap in SITEMAPS.items():
        first = reverse("articles:sitemap", kwargs={"section": name})
        sitemaps += [first] + [f"{first}?p={n}" for n in range(2, sitemap().page_count() + 1)]
    return {
        "fronts": [reverse("articles:home"), *(section.get_absolute_url() for section in sections)],
        "stories": [story.get_absolute_url() for story in stories.iterator(chunk_size=5000)],
        "tags": [reverse("articles:tag_detail", kwargs={"slug": slug}) for slug in tags],
        "authors": [author.get_absolute_url() for author in authors],
        "people": [person.get_absolute_url() for person in Person.objects.public().order_by("slug")],
        "feeds": feeds,
        "sitemaps": sitemaps,
        "other": [reverse("articles:correction_list"), reverse("articles:robots_txt")],
    }


def stories_to_save() -> dict[str, int]:
    """The draft the drafts phase saves and the live story the publish phase re-saves."""
    from articles.models import Story
    from bench.content import BENCH_SLUG

    draft = Story.objects.filter(status=Story.Status.DRAFT).order_by("pk").values_list("pk", flat=True).first()
    live = Story.objects.published().exclude(slug=BENCH_SLUG).order_by("-published_at", "-pk")
    return {"drafts": draft, "publish": live.values_list("pk", flat=True).first()}


def make_editor() -> dict[str, str]:
    """An editor's account with an authenticator app whose key the benchmark knows."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from articles.roles import EDITOR

    account = {"username": "day-editor", "password": secrets.token_urlsafe(16), "otp_key": secrets.token_hex(20)}
    user = get_user_model().objects.create_user(
        account["username"], password=account["password"], is_staff=True, first_name="Day"
    )
    user.groups.add(Group.objects.get(name=EDITOR))
    TOTPDevice.objects.create(user=user, name="Authenticator app", key=account["otp_key"], confirmed=True)
    return account


def prepare(output: Path) -> None:
    output.write_text(
        json.dumps({"pages": public_pages(), "stories": stories_to_save(), "editor": make_editor()}, indent=1)
    )


# --- popularity ----------------------------------------------------------------------------------------


def by_popularity(pages: dict[str, list[str]], *, seed: int = 20261127) -> list[str]:
    """Most read first: the fronts, then stories newest first, the other pages spread evenly among them."""
    others = [url for kind, urls in pages.items() if kind not in ("fronts", "stories") for url in urls]
    random.Random(seed).shuffle(others)
    stories, ranked, placed = pages["stories"], list(pages["fronts"]), 0
    spacing = (len(stories) + 1) / (len(others) + 1)
    for index, story in enumerate(stories, start=1):
        ranked.append(story)
        while placed < len(others) and (placed + 1) * spacing <= index:
            ranked.append(others[placed])
            placed += 1
    return ranked + others[placed:]


def zipf_shares(count: int, s: float = 1.0) -> list[float]:
    """The cumulative share of reads of ranks 1..count when rank k is read in proportion to 1/k**s."""
    weights = [1 / k**s for k in range(1, count + 1)]
    total, running, shares = sum(weights), 0.0, []
    for weight in weights:
        running += weight
        shares.append(running / total)
    if shares:
        shares[-1] = 1.0
    return shares


def write_readers_file(path: Path, ranked: list[str]) -> None:
    """One line per page for bench/zipf.lua: its cumulative share of reads, then its address."""
    shares = zipf_shares(len(ranked))
    path.write_text("".join(f"{share:.12g} {url}\n" for share, url in zip(shares, ranked, strict=True)))


# --- the phases --------------------------------------------------------------------------------------------


class Saves(threading.Thread):
    """The editor saving one story every ``every`` seconds until stopped; counts saves and failures."""

    def __init__(self, editor: Editor, story_id: int, every: float, log):
        super().__init__(daemon=True)
        self.editor, self.story_id, self.every, self.log = editor, story_id, every, log
        self.stopped = threading.Event()
        self.done, self.failed, self.seconds = 0, 0, []

    def run(self):
        due = time.monotonic() + FIRST_SAVE_AFTER
        while not self.stopped.wait(max(0.0, due - time.monotonic())):
            try:
                self.seconds.append(self.editor.save(self.story_id, f"Update {self.done + self.failed + 1}."))
                self.done += 1
            except (SaveFailed, OSError) as failure:
                self.failed += 1
                self.log(f"    save failed: {failure}")
            due = max(due + self.every, time.monotonic())

    def stop(self) -> dict:
        self.stopped.set()
        self.join()
        middle = statistics.median(self.seconds) if self.seconds else 0
        return {"done": self.done, "failed": self.failed, "median_ms": round(middle * 1000, 1)}


def read_all(base_url: str, urls: list[str], log) -> dict[int, list[str]]:
    """Read every page once, a few readers at a time; the addresses by status."""

    def read(url):
        try:
            with urllib.request.urlopen(base_url + url, timeout=60) as response:  # noqa: S310 (our own servers)
                response.read()
                return response.status, url
        except urllib.error.HTTPError as error:
            return error.code, url

    statuses: dict[int, list[str]] = {}
    with ThreadPoolExecutor(WARM_UP_READERS) as pool:
        for number, (status, url) in enumerate(pool.map(read, urls), start=1):
            statuses.setdefault(status, []).append(url)
            if number % 5000 == 0:
                log(f"  {number} of {len(urls)} pages read")
    return statuses


BARE_VIEW = "/bench/baseline/"


def wrk_readers(
    base_url: str, readers_file: Path, *, seconds: int = SECONDS, rate: float | None = None, connections: int = 16
) -> dict:
    """wrk readers (2 threads) for ``seconds``: as fast as the server answers, or ``rate`` requests/s in all."""
    script = ROOT / "bench" / ("paced.lua" if rate else "zipf.lua")
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "-s", str(script), base_url]
    command += ["--", str(readers_file)] + ([f"{rate / 2:.3f}"] if rate else [])  # paced.lua: rate per thread
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    return {key: value for line in lines for key, value in line.items()}


def cache_entries(redis_url: str) -> dict:
    """The site's entries in Redis, the memory they take, and the memory the whole Redis server uses."""
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match="*newsroom:*", count=1000))
    size = 0
    for start in range(0, len(keys), 1000):
        pipeline = client.pipeline(transaction=False)
        for key in keys[start : start + 1000]:
            pipeline.memory_usage(key)
        size += sum(used or 0 for used in pipeline.execute())  # None: the entry expired meanwhile
    megabytes = {"keys_memory_mb": size / 2**20, "used_memory_mb": client.info("memory")["used_memory"] / 2**20}
    return {"keys": len(keys)} | {name: round(value, 1) for name, value in megabytes.items()}


def phase_result(run: dict, saves: dict | None, baseline_rps: float) -> dict:
    """A phase's readers (requests/s, p50, p99, ratio to the bare view, share of pages from the page cache and
    the count of each X-Page-Cache answer) and its saves; failed saves are errors."""
    rps = run["requests"] / (run["duration_us"] / 1e6)
    result = {
        "rps": round(rps, 1),
        "p50_ms": round(run["p50_us"] / 1000, 2),
        "p99_ms": round(run["p99_us"] / 1000, 2),
        "errors": sum(run["errors"].values()) + (saves["failed"] if saves else 0),
        "ratio": round(rps / baseline_rps, 3),
        "page_cache_hits": round(run["page_cache_hits"] / max(run["responses"], 1), 3),
        "page_cache": run["page_cache"],
    }
    return result | ({"saves": saves} if saves else {})


def site_and_readers(work: Path, environment: dict) -> tuple[dict, list[str], Path]:
    """The site in the app servers' configuration (pages, editor, stories to save), its pages most read
    first, and the readers file for wrk."""
    site_file, readers_file = work / "day-site.json", work / "day-readers.txt"
    prepare_command = [sys.executable, "-m", "bench.day", "--prepare", str(site_file)]
    subprocess.run(prepare_command, cwd=ROOT, env=environment, check=True)
    site = json.loads(site_file.read_text())
    ranked = [urllib.parse.quote(url, safe="/?=&") for url in by_popularity(site["pages"])]
    write_readers_file(readers_file, ranked)
    return site, ranked, readers_file


def warm_up(base_url: str, ranked: list[str], log) -> float:
    """Read every page once, so the caches hold them; the seconds it took. Stops unless every page answers 200."""
    started = time.monotonic()
    statuses = read_all(base_url, ranked[::-1], log)
    if set(statuses) != {200}:
        wrong = {status: urls[:3] for status, urls in statuses.items() if status != 200}
        raise SystemExit(f"Not every public page answered 200: {wrong}")
    return time.monotonic() - started


def run(*, base_url: str, work: Path, environment: dict, redis_url: str, baseline_rps: float, log) -> dict:
    """The newsroom day against the app server at ``base_url``; its results for bench/results.json."""
    site, ranked, readers_file = site_and_readers(work, environment)
    warm_up_seconds = warm_up(base_url, ranked, log)
    after_warm_up = cache_entries(redis_url)
    log(f"  read all {len(ranked)} public pages once in {warm_up_seconds:.0f}s; Redis: {after_warm_up}")
    # The bare view read by the same wrk script as the phases: the script's own work per response (choosing
    # a page, reading the cache header) runs on the same cores, so the phases are compared with the bare view
    # under the same client. ``baseline_rps`` (plain wrk) is kept in the results beside it.
    bare_file = work / "day-bare-view.txt"
    bare_file.write_text(f"1.0 {BARE_VIEW}\n")
    bare = phase_result(wrk_readers(base_url, bare_file), None, baseline_rps)
    log(f"  the bare view, same readers' script: {bare}")
    editor = Editor(base_url, **site["editor"])
    editor.sign_in()
    results = {"bare_view": {"rps": bare["rps"], "p50_ms": bare["p50_ms"], "p99_ms": bare["p99_ms"]}}
    for phase, every in PHASES.items():
        saves = None
        if every:
            editor.open(site["stories"][phase])
            saves = Saves(editor, site["stories"][phase], every, log)
            saves.start()
        readers = wrk_readers(base_url, readers_file)
        results[phase] = phase_result(readers, saves.stop() if saves else None, bare["rps"])
        results[phase]["ratio_to_plain_wrk"] = round(results[phase]["rps"] / baseline_rps, 3)
        log(f"  {phase}: {results[phase]}")
    results["redis"] = cache_entries(redis_url) | {"pages": len(ranked), "keys_after_warm_up": after_warm_up["keys"]}
    return results | {"warm_up_seconds": round(warm_up_seconds), "seconds_per_phase": SECONDS}


# --- judging ------------------------------------------------------------------------------------------------


def verdicts(day: dict) -> list[tuple[str, bool]]:
    """The issue's targets for the newsroom day, each with whether this run met it."""
    quiet = day["quiet"]["rps"]
    checks = [
        ("quiet >= 80% of the bare view", day["quiet"]["ratio"] >= 0.80),
        ("drafts >= 95% of quiet", day["drafts"]["rps"] >= 0.95 * quiet),
        ("publish >= 70% of quiet", day["publish"]["rps"] >= 0.70 * quiet),
    ]
    for phase in PHASES:
        checks.append((f"{phase}: p99 under 50 ms", day[phase]["p99_ms"] < 50))
        checks.append((f"{phase}: no errors", day[phase]["errors"] == 0))
    return checks


def table(day: dict) -> list[str]:
    """The newsroom day as lines for the terminal."""
    lines = [f"\nnewsroom day ({day['seconds_per_phase']}s per phase, Zipf s = 1 over {day['redis']['pages']} pages)"]
    bare = day["bare_view"]
    lines.append(f"the bare view read by the same script: {bare['rps']:.0f} req/s, p99 {bare['p99_ms']:.2f} ms")
    lines.append(f"{'phase':16}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'ratio':>8}{'cached':>8}  saves")
    for phase in PHASES:
        row = day[phase]
        saves = row.get("saves")
        done = f"{saves['done']} done, {saves['failed']} failed, median {saves['median_ms']} ms" if saves else ""
        lines.append(
            f"{phase:16}{row['rps']:>10.0f}{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}{row['errors']:>8}"
            f"{row['ratio']:>8.1%}{row['page_cache_hits']:>8.1%}  {done}"
        )
    redis = day["redis"]
    lines.append(
        f"Redis after the day: {redis['keys']} entries ({redis['keys'] / redis['pages']:.2f} per page; "
        f"{redis['keys_after_warm_up']} after the first reading), {redis['keys_memory_mb']} MB; "
        f"the Redis server uses {redis['used_memory_mb']} MB in all"
    )
    lines += [f"  {text}: {'met' if met else 'MISSED'}" for text, met in verdicts(day)]
    return lines


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="The newsroom day's Django side: pages, editor and stories.")
    parser.add_argument("--prepare", type=Path, required=True, help="where to write them, as JSON")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    prepare(args.prepare)


if __name__ == "__main__":
    main()
