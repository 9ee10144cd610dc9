"""``make soak``: the newsroom day for ``MINUTES`` minutes at 80% of the peak ``make bench`` found.

Builds the benchmark's database (bench.content, ``BENCH_STORIES`` stories), starts one app server as
``make bench`` does (gunicorn, 2 sync workers, production settings, the Redis page cache), reads every
public page once and signs an editor in to the admin. Then, for the whole soak, the editor saves a draft
every 2 s and re-saves a live story every 30 s (bench/day.py), while wrk readers pick pages Zipf by
popularity at a fixed rate: 80% of the newsroom day's quiet readers in ``bench/results.json`` (or of the
cached story page when that run had no newsroom day), paced by bench/paced.lua. The readers run in
slices of ``SOAK_SLICE_SECONDS`` back to back, so latency and rate are known over time. The first slice
warms up (more, up to ten, while the server falls behind, until readers have made as many requests as
one slice at the target rate: the processes' caches fill by requests, not by seconds); memory and Redis
are read after it and again at the end.

Reports errors (reader responses other than 2xx/3xx, socket errors and timeouts, failed saves), p99 per
slice, the resident memory of the gunicorn master and each worker, of PostgreSQL's backends serving the
soak's database and of the soak's entries in Redis (MEMORY USAGE; the server's used_memory is shown but
not judged, as other databases on the same server move it), and how many entries Redis holds. Writes
``var/soak.json`` and exits non-zero if a verdict is missed: an error, a process whose memory grew 10%
or more, a worker replaced, a slice under 95% of the target rate, or 10% more Redis entries at the end
than at the start. The start comes after every page was read once, so it already counts every page,
its pieces and its tags' versions; keys are stable per page, so more would be entries piling up.
Removes everything it started or made.

Settings (environment): MINUTES (30), SOAK_SLICE_SECONDS (30), SOAK_RATE (requests/s, instead of 80% of
the recorded peak), SOAK_PORT (8117), SOAK_REDIS_URL (redis://127.0.0.1:6379/13), SOAK_RESULTS
(var/soak.json), and make bench's BENCH_STORIES, PGHOST and PGUSER. The soak has its own port, Redis
database and work directory, so it does not meet a ``make bench`` running on the same machine.
"""

import json
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

# bench.run reads where its app server listens, its Redis database and its work directory when imported.
os.environ["BENCH_PORT"] = os.environ.get("SOAK_PORT", "8117")
os.environ["REDIS_URL"] = os.environ.get("SOAK_REDIS_URL", "redis://127.0.0.1:6379/13")
os.environ["BENCH_WORK"] = str(Path(__file__).resolve().parent.parent / "var" / "soak-work")

from bench import day, run  # noqa: E402
from bench.editor import Editor  # noqa: E402

MINUTES = float(os.environ.get("MINUTES", 30))
SLICE_SECONDS = int(os.environ.get("SOAK_SLICE_SECONDS", 30))
SHARE_OF_PEAK = 0.8
SAVES = {"drafts": day.PHASES["drafts"], "publish": day.PHASES["publish"]}  # story: seconds between saves
RESULTS = Path(os.environ.get("SOAK_RESULTS", run.ROOT / "var" / "soak.json"))
MEMORY_GROWTH, KEYS_GROWTH, RATE_HELD = 0.10, 0.10, 0.95
WARM_UP_SLICES = 10  # at most


# --- the plan (pure) ---------------------------------------------------------------------------------


def peak_rps(results: dict) -> tuple[float, str]:
    """The peak make bench found, and which figure it is: the newsroom day's quiet readers, else the cached story."""
    quiet = results.get("newsroom_day", {}).get("quiet", {}).get("rps")
    if quiet:
        return float(quiet), "newsroom_day.quiet.rps"
    story = results.get("pages", {}).get("story_cached", {}).get("rps")
    if story:
        return float(story), "pages.story_cached.rps"
    raise SystemExit("bench/results.json has no peak to soak at: run make bench first, or set SOAK_RATE")


def slice_plan(minutes: float, slice_seconds: int) -> list[int]:
    """Seconds of each reader slice: full slices, then what is left (a whole second at least)."""
    total = max(1, round(minutes * 60))
    full, rest = divmod(total, slice_seconds)
    return [slice_seconds] * full + ([rest] if rest else [])


def warmed_up(requests: int, rate: float, slice_seconds: int) -> bool:
    """Whether readers have made as many requests as one slice at ``rate`` (within the rate held)."""
    return requests >= RATE_HELD * rate * slice_seconds


def connections_for(rate: float, threads: int = 2) -> int:
    """wrk connections for ``rate`` requests/s: at most 100 a second each (10 ms per request, a render
    after a change included, before the rate depends on the server), 16 at least, whole per thread."""
    return max(16, math.ceil(rate / 100 / threads) * threads)


def growth(start: float | None, end: float | None) -> float:
    """How much a reading grew from ``start`` to ``end``, as a fraction of ``start``; infinite if one is missing."""
    if start is None or end is None:
        return math.inf
    return (end - start) / start if start else (0.0 if end == start else math.inf)


def verdicts(soak: dict) -> dict[str, bool]:
    """The soak's targets, each with whether this run met it."""
    checks = {"no errors": soak["errors"] == 0}
    for process, reading in soak["memory_mb"].items():
        checks[f"{process}: memory grew less than {MEMORY_GROWTH:.0%}"] = (
            growth(reading["start"], reading["end"]) < MEMORY_GROWTH
        )
    keys = soak["redis_keys"]
    checks[f"Redis entries grew less than {KEYS_GROWTH:.0%}"] = growth(keys["start"], keys["end"]) <= KEYS_GROWTH
    checks["the same gunicorn workers throughout"] = not soak["workers_replaced"]
    slowest = min((each["rps"] for each in soak["p99_ms"]["slices"]), default=0)
    checks[f"readers held {RATE_HELD:.0%} of the target rate in every slice"] = (
        slowest >= RATE_HELD * soak["rate_target_rps"]
    )
    return checks


def reader_errors(run_result: dict) -> int:
    """wrk's errors of one run: responses other than 2xx/3xx, and failed connects, reads, writes and timeouts."""
    return sum(run_result["errors"].values())


# --- reading processes --------------------------------------------------------------------------------


def rss_mb(pid: int) -> float:
    """A process's resident memory (VmRSS) in MB; 0 if it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    kilobytes = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return kilobytes / 1024


def children(pid: int) -> list[int]:
    """The processes ``pid`` started (gunicorn's workers, for its master), lowest first."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except FileNotFoundError:
            continue
    return sorted(found)


def postgres_backends() -> list[int] | None:
    """The PostgreSQL backends connected to the soak's database; None while PostgreSQL cannot be reached."""
    sql = f"SELECT pid FROM pg_stat_activity WHERE datname = '{run.DATABASE}' AND pid <> pg_backend_pid()"
    try:
        return [int(pid) for pid in run.psql(sql).split()]
    except subprocess.CalledProcessError:
        return None


def memory(master: int) -> tuple[dict[str, float | None], list[int]]:
    """Resident MB of the gunicorn master, each worker and PostgreSQL's backends (together); the worker pids."""
    workers, backends = children(master), postgres_backends()
    readings = {"gunicorn_master": rss_mb(master)}
    readings |= {f"gunicorn_worker_{n}": rss_mb(pid) for n, pid in enumerate(workers, start=1)}
    readings["postgresql"] = None if backends is None else sum(rss_mb(pid) for pid in backends)
    return {name: None if mb is None else round(mb, 1) for name, mb in readings.items()}, workers


def redis_keys() -> int | None:
    """How many entries the soak's Redis database holds; None while Redis cannot be reached."""
    import redis

    try:
        return day.cache_entries(run.REDIS_URL)["keys"]
    except redis.RedisError:
        return None


def redis_reading() -> dict:
    """The soak's entries in Redis: how many, and the memory they take (MEMORY USAGE); the server's in all."""
    import redis

    client = redis.Redis.from_url(run.REDIS_URL)
    try:
        keys = list(client.scan_iter(match="*newsroom:*", count=1000))
        used = 0
        for start in range(0, len(keys), 1000):
            pipeline = client.pipeline(transaction=False)
            for key in keys[start : start + 1000]:
                pipeline.memory_usage(key, samples=0)
            used += sum(size or 0 for size in pipeline.execute())
        server = client.info("memory")["used_memory"]
    except redis.RedisError:  # Redis restarting: the reading is missing, and its verdict missed
        return {"keys": None, "entries_mb": None, "server_used_mb": None}
    return {"keys": len(keys), "entries_mb": round(used / 2**20, 1), "server_used_mb": round(server / 2**20, 1)}


# --- running ---------------------------------------------------------------------------------------------


class Soak:
    def __init__(self, bench: run.Bench, rate: float):
        self.bench, self.rate = bench, rate
        self.base_url = f"http://127.0.0.1:{run.PORTS['app']}"
        self.saves: dict[str, day.Saves] = {}
        self.slices: list[dict] = []

    def start(self) -> None:
        """The database, the app server, every page read once, and the editor signed in and saving."""
        self.bench.build()
        self.master = self.bench.start_app("app").pid
        run.wait_for(self.base_url + "/")
        self.site, self.ranked, self.readers_file = day.site_and_readers(run.WORK, run.app_environment())
        seconds = day.warm_up(self.base_url, self.ranked, run.say)
        run.say(f"Read all {len(self.ranked)} public pages once in {seconds:.0f}s")
        editor = Editor(self.base_url, **self.site["editor"])
        editor.sign_in()
        for story, every in SAVES.items():
            editor.open(self.site["stories"][story])
            self.saves[story] = day.Saves(editor, self.site["stories"][story], every, run.say)
            self.saves[story].start()

    def read(self, seconds: int) -> dict:
        """One slice of readers at the target rate; its rate, latency, errors and share of pages from the page cache."""
        result = day.wrk_readers(
            self.base_url, self.readers_file, seconds=seconds, rate=self.rate, connections=connections_for(self.rate)
        )
        rps = result["requests"] / (result["duration_us"] / 1e6)
        return {
            "seconds": seconds,
            "requests": result["requests"],
            "rps": round(rps, 1),
            "p50_ms": round(result["p50_us"] / 1000, 2),
            "p99_ms": round(result["p99_us"] / 1000, 2),
            "errors": reader_errors(result),
            "page_cache_hits": round(result["page_cache_hits"] / max(result["responses"], 1), 3),
        }

    def measure(self, plan: list[int]) -> dict:
        """The warm-up, then the soak's slices; memory and Redis after the warm-up and at the end."""
        warm_up: list[dict] = []
        while len(warm_up) < WARM_UP_SLICES and not warmed_up(
            sum(each["requests"] for each in warm_up), self.rate, SLICE_SECONDS
        ):
            warm_up.append(self.read(SLICE_SECONDS))
            run.say(f"Warm-up slice {len(warm_up)}: {warm_up[-1]}")
        start_memory, start_workers = memory(self.master)
        start_redis = redis_reading()
        run.say(f"Start: {start_memory} Redis {start_redis}")
        started = time.monotonic()
        for number, seconds in enumerate(plan, start=1):
            self.slices.append(self.read(seconds) | self.over_time(started))
            run.say(f"  slice {number} of {len(plan)}: {self.slices[-1]}")
        end_memory, end_workers = memory(self.master)
        end_redis = redis_reading()
        saves = {story: saver.stop() for story, saver in self.saves.items()}
        start_memory["redis"], end_memory["redis"] = start_redis["entries_mb"], end_redis["entries_mb"]
        return {
            "warm_up": warm_up,
            "slices": self.slices,
            "saves": saves,
            "memory_mb": {name: {"start": mb, "end": end_memory.get(name, 0.0)} for name, mb in start_memory.items()},
            "workers_replaced": start_workers != end_workers,
            "redis_keys": {"start": start_redis["keys"], "end": end_redis["keys"]},
            "redis_server_used_mb": {"start": start_redis["server_used_mb"], "end": end_redis["server_used_mb"]},
        }

    def over_time(self, started: float) -> dict:
        """When a slice ended (minutes into the soak), the memory of gunicorn and PostgreSQL, Redis's entries."""
        readings, _ = memory(self.master)
        return {
            "minute": round((time.monotonic() - started) / 60, 2),
            "gunicorn_mb": round(sum(mb for name, mb in readings.items() if name.startswith("gunicorn")), 1),
            "postgresql_mb": readings["postgresql"],
            "redis_keys": redis_keys(),
        }

    def stop_saving(self) -> None:
        for saver in self.saves.values():
            saver.stopped.set()


def report(measured: dict, *, rate: float, source: str, pages: int) -> dict:
    """var/soak.json: what ran, the errors, p99 over time, memory and Redis at the start and the end, verdicts."""
    slices = measured.pop("slices")
    saves_failed = sum(saves["failed"] for saves in measured["saves"].values())
    reader_failures = sum(each["errors"] for each in measured["warm_up"] + slices)
    soak = {
        "minutes": MINUTES,
        "stories": run.STORIES,
        "pages": pages,
        "rate_target_rps": round(rate, 1),
        "rate_source": f"{SHARE_OF_PEAK:.0%} of {source} in bench/results.json" if source else "SOAK_RATE",
        "readers": f"wrk -t2 -c{connections_for(rate)} paced by bench/paced.lua, Zipf s = 1, {SLICE_SECONDS}s slices",
        "errors": reader_failures + saves_failed,
        "errors_by_kind": {"readers": reader_failures, "saves": saves_failed},
        "p99_ms": {"max": max((each["p99_ms"] for each in slices), default=0), "slices": slices},
    }
    soak |= measured
    soak["verdicts"] = verdicts(soak)
    return soak


def summary(soak: dict) -> list[str]:
    """The soak as lines for the terminal."""
    slices = soak["p99_ms"]["slices"]
    rates, p99s = [each["rps"] for each in slices], ", ".join(str(each["p99_ms"]) for each in slices)
    lines = [
        f"\nsoak: {soak['minutes']:g} minutes at {soak['rate_target_rps']:.0f} req/s ({soak['rate_source']}), "
        f"{soak['pages']} pages",
        f"readers: {min(rates, default=0):.0f} to {max(rates, default=0):.0f} req/s a slice; "
        f"p99 by slice {p99s} ms (max {soak['p99_ms']['max']})",
        f"errors: {soak['errors']} ({soak['errors_by_kind']}); saves: {soak['saves']}",
    ]
    for process, reading in soak["memory_mb"].items():
        start, end = (f"{mb:.1f}" if mb is not None else "unread" for mb in (reading["start"], reading["end"]))
        lines.append(f"  {process:20}{start:>9} MB -> {end:>7} MB  {growth(reading['start'], reading['end']):+.1%}")
    keys, used = soak["redis_keys"], soak["redis_server_used_mb"]
    lines.append(f"Redis entries: {keys['start']} -> {keys['end']} for {soak['pages']} pages")
    lines.append(f"Redis server in all (shared with anything else using it): {used['start']} -> {used['end']} MB")
    lines += [f"  {text}: {'met' if met else 'MISSED'}" for text, met in soak["verdicts"].items()]
    return lines


def target_rate() -> tuple[float, str]:
    """Requests/s to soak at and where the figure comes from (empty: SOAK_RATE)."""
    if os.environ.get("SOAK_RATE"):
        return float(os.environ["SOAK_RATE"]), ""
    bench_results = run.ROOT / "bench" / "results.json"
    if not bench_results.exists():
        raise SystemExit("make soak runs at 80% of the peak in bench/results.json: run make bench first")
    peak, source = peak_rps(json.loads(bench_results.read_text()))
    return peak * SHARE_OF_PEAK, source


def main() -> None:
    for tool in ("wrk", "psql"):
        if not shutil.which(tool):
            raise SystemExit(f"make soak needs {tool}: apt-get install -y wrk postgresql-client")
    rate, source = target_rate()
    plan = slice_plan(MINUTES, SLICE_SECONDS)
    run.say(f"Soak: {MINUTES:g} minutes ({len(plan)} slices) at {rate:.0f} req/s, after a warm-up slice")
    soak = Soak(run.Bench(), rate)
    try:
        soak.start()
        measured = soak.measure(plan)
    finally:
        soak.stop_saving()
        soak.bench.clean_up()
    results = report(measured, rate=rate, source=source, pages=len(soak.ranked))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    for line in summary(results):
        run.say(line)
    run.say(f"\nWritten to {RESULTS}")
    sys.exit(0 if all(results["verdicts"].values()) else 1)


if __name__ == "__main__":
    main()
