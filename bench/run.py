"""``make bench``: how fast Newsroom serves readers, as ratios to Django's and nginx's own ceilings.

Builds a PostgreSQL database of ``BENCH_STORIES`` stories (default 20,000), starts three gunicorn app
servers with production settings on 127.0.0.1 (2 sync workers each: one with the Redis page cache, one
with the page cache off but Redis still holding the shared site chrome and related-story rankings,
and one with no cache at all), and nginx both as the caching proxy of ``deploy/nginx.conf`` and as a
static file server. Then wrk (-t2 -c16) measures each page in turn, round after round, so machine noise
falls on all of them alike. Then the newsroom day (bench/day.py): readers all over the site, Zipf by
popularity, while an editor saves drafts and then re-saves a live story in the admin. Prints requests/s,
p50/p99 and ratios, writes ``bench/results.json``, and removes everything it started or made: processes,
database, cache keys, files.

Settings (environment): BENCH_STORIES, BENCH_SECONDS (per run, 5), BENCH_ROUNDS (3), BENCH_DAY_SECONDS (per
phase of the newsroom day, 40; 0 leaves the day out), BENCH_PORT (first of five ports, 8107), BENCH_RESULTS
(bench/results.json), REDIS_URL (redis://127.0.0.1:6379/11), PGHOST/PGUSER (127.0.0.1/postgres), BENCH_WORK
(where its logs and files go while it runs, bench/work).
"""

import json
import os
import platform
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench import day, lighthouse

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(os.environ.get("BENCH_WORK", ROOT / "bench" / "work"))
PYTHON = sys.executable
STORIES = int(os.environ.get("BENCH_STORIES", 20000))
SECONDS = int(os.environ.get("BENCH_SECONDS", 5))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 3))
PORT = int(os.environ.get("BENCH_PORT", 8107))
PORTS = {"app": PORT, "app_uncached": PORT + 1, "proxy": PORT + 2, "static": PORT + 3, "app_cold": PORT + 4}
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/11")
PG = {"host": os.environ.get("PGHOST", "127.0.0.1"), "user": os.environ.get("PGUSER", "postgres")}
DATABASE = f"nr_bench_{os.getpid()}"
STATIC_FILE = "static-30k.html"
RESULTS = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench" / "results.json"))

# name: (server, path, header that must show the response came from a cache)
TARGETS = {
    "baseline": ("app", "/bench/baseline/", None),
    "nginx_static": ("static", f"/{STATIC_FILE}", None),
    "story_uncached": ("app_uncached", "/story/bench-story/", None),
    "story_cold": ("app_cold", "/story/bench-story/", None),
    # Lists, search and feeds with no cache at all, as the first reader after a change gets them.
    "section_cold": ("app_cold", "/section/news/", None),
    "tag_cold": ("app_cold", "/tag/topic-0/", None),
    "author_cold": ("app_cold", "/authors/author-0/", None),
    "search_cold": ("app_cold", "/search/?q=drought", None),
    "feed_cold": ("app_cold", "/feed/", None),
    "story_cached": ("app", "/story/bench-story/", ("X-Page-Cache", "hit")),
    "section_cached": ("app", "/section/news/", ("X-Page-Cache", "hit")),
    "home_cached": ("app", "/", ("X-Page-Cache", "hit")),
    "search": ("app_uncached", "/search/?q=drought", None),
    "feed": ("app_uncached", "/feed/", None),
    "search_cached": ("app", "/search/?q=drought", ("X-Page-Cache", "hit")),
    "feed_cached": ("app", "/feed/", ("X-Page-Cache", "hit")),
    "story_proxy": ("proxy", "/story/bench-story/", ("X-Proxy-Cache", "HIT")),
}


def say(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def psql(sql: str) -> str:
    command = ["psql", "-h", PG["host"], "-U", PG["user"], "-qAt", "-c", sql]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def app_environment(page_cache: bool = True, cache_url: str = REDIS_URL) -> dict:
    """Production settings, as environment values, for one app server of the benchmark."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "NEWSROOM_"))}
    return (
        environment
        | {
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": SECRET_KEY,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": f"postgres://{PG['user']}@{PG['host']}:5432/{DATABASE}",
            "DJANGO_CONN_MAX_AGE": "600",
            "CACHE_URL": cache_url,
            "CELERY_TASK_ALWAYS_EAGER": "true",  # no worker runs here: jobs run in the process that asks
            "STATIC_ROOT": str(WORK / "static"),
            "MEDIA_ROOT": str(WORK / "media"),
            "NEWSROOM_SERVE_MEDIA": "false",
            "NEWSROOM_BENCH_BASELINE": "true",
            "NEWSROOM_PAGE_CACHE": "true" if page_cache else "false",
        }
        | READERS_FROM_ONE_ADDRESS
    )


# wrk and the warm-up read from 127.0.0.1 only, where a real site's readers come from many addresses:
# the per-address throttles (NEWSROOM_THROTTLE_*) would answer the benchmark with 429s.
READERS_FROM_ONE_ADDRESS = {
    f"NEWSROOM_THROTTLE_{name}": "" for name in ("SEARCH", "FEEDS", "API", "READS", "LOGIN_ADDRESS", "CODE_ADDRESS")
}


SECRET_KEY = secrets.token_urlsafe(50)


class Bench:
    def __init__(self):
        self.processes: list[subprocess.Popen] = []
        self.database_created = False

    # --- setting up -------------------------------------------------------------------------------

    def build(self) -> None:
        started = time.monotonic()
        WORK.mkdir(parents=True, exist_ok=True)
        psql(f"CREATE DATABASE {DATABASE}")
        self.database_created = True
        environment = app_environment()
        manage = [PYTHON, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=environment, check=True)
        subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=environment, check=True)
        subprocess.run(
            [PYTHON, "-m", "bench.content", "--stories", str(STORIES)], cwd=ROOT, env=environment, check=True
        )
        (WORK / STATIC_FILE).write_bytes(b"<!doctype html><p>" + b"x" * (30 * 1024 - 23) + b"</p>\n")
        say(f"Database of {STORIES} stories ready in {time.monotonic() - started:.0f}s")

    def start(self, command: list[str], log: str, environment: dict | None = None) -> None:
        with open(WORK / log, "ab") as output:
            process = subprocess.Popen(
                command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.processes.append(process)

    def start_servers(self) -> None:
        # app_cold has no cache at all: every request does all its work, as the first one after a change does.
        servers = (("app", True, REDIS_URL), ("app_uncached", False, REDIS_URL), ("app_cold", False, "dummycache://"))
        for name, page_cache, cache_url in servers:
            self.start_app(name, page_cache, cache_url)
        self.start(
            ["nginx", "-p", str(WORK / "nginx"), "-c", str(self.nginx_config()), "-g", "daemon off;"], "nginx.log"
        )
        for name, port in PORTS.items():
            wait_for(f"http://127.0.0.1:{port}" + (f"/{STATIC_FILE}" if name == "static" else "/bench/baseline/"))

    def start_app(self, name: str, page_cache: bool = True, cache_url: str = REDIS_URL) -> subprocess.Popen:
        """One app server on PORTS[name]: gunicorn, 2 sync workers, production settings; its log in WORK."""
        gunicorn = [PYTHON, "-m", "gunicorn", "newsroom.wsgi", "--workers", "2", "--worker-class", "sync"]
        gunicorn += ["--bind", f"127.0.0.1:{PORTS[name]}", "--timeout", "30"]
        self.start(gunicorn, f"{name}.log", app_environment(page_cache, cache_url))
        return self.processes[-1]

    def nginx_config(self) -> Path:
        """nginx.conf: the shipped proxy configuration, filled in, plus a plain static-file server."""
        prefix = WORK / "nginx"
        (prefix / "logs").mkdir(parents=True, exist_ok=True)
        values = {
            "NEWSROOM_LISTEN": f"127.0.0.1:{PORTS['proxy']}",
            "NEWSROOM_SERVER_NAME": "127.0.0.1",
            "NEWSROOM_UPSTREAM": f"127.0.0.1:{PORTS['app']}",
            "NEWSROOM_PROXY_CACHE_DIR": str(prefix / "cache"),
            "NEWSROOM_STATIC_ROOT": str(WORK / "static"),
            "NEWSROOM_MEDIA_ROOT": str(WORK / "media"),
        }
        proxy = (ROOT / "deploy" / "nginx.conf").read_text()
        for name, value in values.items():  # like envsubst with a list of names: nginx's own $variables stay
            proxy = proxy.replace("${" + name + "}", value)
        (prefix / "newsroom.conf").write_text(proxy)
        config = prefix / "nginx.conf"
        config.write_text(
            f"""worker_processes 2;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    include /etc/nginx/mime.types;
    client_body_temp_path {prefix}/client; proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi; uwsgi_temp_path {prefix}/uwsgi; scgi_temp_path {prefix}/scgi;
    include {prefix}/newsroom.conf;
    server {{
        listen 127.0.0.1:{PORTS["static"]};
        root {WORK};
        location / {{ }}
    }}
}}
"""
        )
        return config

    def warm_and_check(self) -> None:
        """Every page answers 200, and the cached ones come from their cache before measuring starts."""
        for name, (server, path, cache_header) in TARGETS.items():
            url = f"http://127.0.0.1:{PORTS[server]}{path}"
            for _ in range(3):
                response = fetch(url)
            if cache_header and response.headers.get(cache_header[0]) != cache_header[1]:
                raise SystemExit(f"{name}: {url} was not served from the cache ({dict(response.headers)})")
            say(f"  {name:15} {url}  {len(response.body):,} bytes")

    # --- measuring ------------------------------------------------------------------------------------

    def measure(self) -> dict:
        runs = {name: [] for name in TARGETS}
        names = list(TARGETS)
        for round_number in range(ROUNDS):
            order = names[round_number % len(names) :] + names[: round_number % len(names)]
            for name in order:
                server, path, _ = TARGETS[name]
                runs[name].append(wrk(f"http://127.0.0.1:{PORTS[server]}{path}"))
            say(f"  round {round_number + 1} of {ROUNDS} done")
        return {name: summarise(name_runs) for name, name_runs in runs.items()}

    def newsroom_day(self, baseline_rps: float) -> dict:
        return day.run(
            base_url=f"http://127.0.0.1:{PORTS['app']}",
            work=WORK,
            environment=app_environment(),
            redis_url=REDIS_URL,
            baseline_rps=baseline_rps,
            log=say,
        )

    # --- cleaning up ----------------------------------------------------------------------------------

    def clean_up(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        if self.database_created:
            psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        forget_cached_keys()
        shutil.rmtree(WORK, ignore_errors=True)


class Fetched:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body


def fetch(url: str) -> Fetched:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (our own loopback servers)
        return Fetched(response.status, response.headers, response.read())


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            fetch(url)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"{url} did not come up; see the logs in {WORK}") from None
            time.sleep(0.3)


def wrk(url: str) -> dict:
    command = ["wrk", "-t2", "-c16", f"-d{SECONDS}s", "--timeout", "5s", "-s", str(ROOT / "bench" / "report.lua"), url]
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=SECONDS + 30).stdout
    return json.loads(next(line for line in reversed(output.splitlines()) if line.startswith("{")))


def summarise(runs: list[dict]) -> dict:
    """Requests/s over all rounds; p50 and p99 as the median of the rounds' own percentiles."""
    requests = sum(run["requests"] for run in runs)
    seconds = sum(run["duration_us"] for run in runs) / 1e6
    return {
        "rps": round(requests / seconds, 1),
        "p50_ms": round(statistics.median(run["p50_us"] for run in runs) / 1000, 2),
        "p99_ms": round(statistics.median(run["p99_us"] for run in runs) / 1000, 2),
        "errors": sum(sum(run["errors"].values()) for run in runs),
        "requests": requests,
        "rounds_rps": [round(run["requests"] / (run["duration_us"] / 1e6), 1) for run in runs],
    }


def forget_cached_keys() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match="*newsroom:*", count=1000))
    if keys:
        client.delete(*keys)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor() or "unknown CPU",
    )
    memory_kb = int(
        next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line)
    )
    load = os.getloadavg()[0]
    return (
        f"{os.cpu_count()} x {cpu}, {memory_kb / 1024 / 1024:.0f} GiB, Linux {platform.release()}, "
        f"Python {platform.python_version()}; load average {load:.1f} at start (a shared machine)"
    )


def report(results: dict, machine_text: str) -> dict:
    baseline, static = results["baseline"]["rps"], results["nginx_static"]["rps"]
    pages = {}
    for name, result in results.items():
        if name in ("baseline", "nginx_static"):
            continue
        reference = static if name == "story_proxy" else baseline
        pages[name] = {key: result[key] for key in ("rps", "p50_ms", "p99_ms", "errors")}
        pages[name]["ratio"] = round(result["rps"] / reference, 3)
        pages[name]["rounds_rps"] = result["rounds_rps"]
    return {
        "machine": machine_text,
        "stories": STORIES,
        "load": {"tool": "wrk -t2 -c16", "seconds_per_run": SECONDS, "rounds": ROUNDS},
        "app_servers": "gunicorn, 2 sync workers, production settings, PostgreSQL, Redis cache",
        "baseline": {key: results["baseline"][key] for key in ("rps", "p50_ms", "p99_ms", "errors")},
        "nginx_static": {key: results["nginx_static"][key] for key in ("rps", "p50_ms", "p99_ms", "errors")},
        "pages": pages,
    }


TARGET_RATIOS = {
    "story_uncached": 0.2,
    "story_cached": 0.8,
    "section_cached": 0.8,
    "home_cached": 0.8,
    "story_proxy": 0.5,
}


def print_table(summary: dict) -> None:
    say(f"\n{'page':16}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'ratio':>8}  target")
    for name in ("baseline", "nginx_static"):
        row = summary[name]
        say(f"{name:16}{row['rps']:>10.0f}{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}{row['errors']:>8}")
    for name, row in summary["pages"].items():
        goal = TARGET_RATIOS.get(name)
        verdict = "" if goal is None else f">= {goal:.0%} {'met' if row['ratio'] >= goal else 'MISSED'}"
        say(
            f"{name:16}{row['rps']:>10.0f}{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}{row['errors']:>8}"
            f"{row['ratio']:>8.1%}  {verdict}"
        )
    if "newsroom_day" in summary:
        for line in day.table(summary["newsroom_day"]):
            say(line)
    for page, result in summary.get("lighthouse", {}).items():
        scores = ", ".join(f"{name} {score}" for name, score in result["scores"].items())
        say(f"Lighthouse {page}: {scores}; largest contentful paint {result['largest_contentful_paint_ms']} ms")


LIGHTHOUSE_PAGES = {"home": "/", "story": "/story/bench-story/"}


def lighthouse_scores() -> dict:
    """Lighthouse on the home and story pages through nginx (deploy/nginx.conf), which serves the pictures and
    static files as in production, in front of the app server with the page cache: reported, not judged."""
    if not lighthouse.available():
        say(f"Lighthouse skipped: it needs {lighthouse.LIGHTHOUSE} (make test-browser installs it) and Chromium")
        return {}
    say("Lighthouse (mobile, simulated throttling) on the home and story pages")
    base = f"http://127.0.0.1:{PORTS['proxy']}"
    return {
        page: {"path": path, **lighthouse.summary(lighthouse.report(base + path))}
        for page, path in LIGHTHOUSE_PAGES.items()
    }


def main() -> None:
    for tool in ("nginx", "wrk", "psql"):
        if not shutil.which(tool):
            raise SystemExit(f"make bench needs {tool}: apt-get install -y nginx wrk postgresql-client")
    machine_text, started = machine(), time.monotonic()
    bench = Bench()
    try:
        bench.build()
        bench.start_servers()
        say("Warming up:")
        bench.warm_and_check()
        say(f"Measuring: {ROUNDS} rounds of {len(TARGETS)} runs of {SECONDS}s")
        summary = report(bench.measure(), machine_text)
        if day.SECONDS > 0:
            say(f"The newsroom day: three phases of {day.SECONDS}s")
            summary["newsroom_day"] = bench.newsroom_day(summary["baseline"]["rps"])
        summary["lighthouse"] = lighthouse_scores()
    finally:
        bench.clean_up()
    summary["total_seconds"] = round(time.monotonic() - started)
    RESULTS.write_text(json.dumps(summary, indent=2) + "\n")
    print_table(summary)
    say(f"\nWritten to {RESULTS}; {summary['total_seconds']}s in all.")


if __name__ == "__main__":
    main()
