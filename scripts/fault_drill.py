"""Fault drill: the site under gunicorn and PostgreSQL, read by wrk, while things break.

Scenarios (each bounded in time, everything on 127.0.0.1):
  kill        a gunicorn worker is killed with SIGKILL
  pg-restart  PostgreSQL is restarted
  pg-stop     PostgreSQL is stopped for 30 seconds, then started; a story's headline changes just before,
              so pages showing it are retired and readers get their stored copies
  redis       Redis (the shared cache) is stopped for 15 seconds, then started; as it stops, a story's
              headline changes: its page must show the change within seconds, and at once when Redis is back

For each: what readers got (from wrk, one connection per thread, so each response is matched to its
request: half the requests read pages the page cache holds, half carry a query string of their own and
need the database), failures on each kind of page, the friendly 503s, the stored pages served stale
(X-Page-Cache: stale), the p99 latency before and during the fault, the error window and the recovery
time (from a probe that reads a story page, uncached, every 50 ms), and whether any request failed once
the service was back. Each scenario's target is printed as met or MISSED. PostgreSQL and Redis are
always started again at the end, whatever happens (other test runs on this machine depend on them).

Usage: .venv/bin/python scripts/fault_drill.py [--scenarios kill,pg-restart,pg-stop,redis] [--port 8116]
  --pg-cluster/--pg-port/--redis-port break another PostgreSQL cluster or Redis server than the
  machine's own (main, 5432, 6379), for trying the drill out without disturbing anyone.
"""

import argparse
import html
import http.client
import json
import math
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
DATABASE = "newsroom_fault_drill"
PG_VERSION = sorted(os.listdir("/etc/postgresql"))[-1] if os.path.isdir("/etc/postgresql") else "15"
FRIENDLY_503 = "We will be back in a moment"
P99_RATIO_TARGET = 2.0  # with Redis gone, p99 at most this many times its value before


def say(message: str) -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def wait_for(check, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


# --- Services ----------------------------------------------------------------------------------------


@dataclass
class Services:
    """The PostgreSQL cluster and the Redis server the drill breaks and mends."""

    pg_cluster: str = "main"
    pg_port: int = 5432
    redis_port: int = 6379

    def pg_ctl(self, *action: str) -> None:
        command = ["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, self.pg_cluster, *action]
        subprocess.run(command, check=action[0] != "start", timeout=60)

    def postgres_ready(self) -> bool:
        return subprocess.run(["pg_isready", "-h", HOST, "-p", str(self.pg_port), "-q"], check=False).returncode == 0

    def start_postgres(self) -> None:
        if not self.postgres_ready():
            self.pg_ctl("start")
            wait_for(self.postgres_ready, 30)

    def redis_cli(self, *command: str) -> bytes:
        run = ["redis-cli", "-h", HOST, "-p", str(self.redis_port), *command]
        return subprocess.run(run, capture_output=True, check=False, timeout=10).stdout.strip()

    def redis_ready(self) -> bool:
        return self.redis_cli("ping") == b"PONG"

    def stop_redis(self) -> None:
        self.redis_cli("shutdown", "nosave")

    def start_redis(self) -> None:
        if not self.redis_ready():
            log = "ci.log" if self.redis_port == 6379 else f"ci-{self.redis_port}.log"
            subprocess.run(
                ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", str(self.redis_port)]
                + ["--save", "", "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", f"/var/log/redis/{log}"],
                check=False,
                timeout=30,
            )
            wait_for(self.redis_ready, 10)

    def restore(self) -> None:
        """Whatever happened, PostgreSQL and Redis are running when the drill ends."""
        self.start_postgres()
        self.start_redis()
        postgres, redis = self.postgres_ready(), self.redis_ready()
        say(f"services restored: postgres={'up' if postgres else 'DOWN'} redis={'up' if redis else 'DOWN'}")


# --- The site ----------------------------------------------------------------------------------------


def site_environment(services: Services) -> dict:
    return {
        **{key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "NEWSROOM_"))},
        "DATABASE_URL": f"postgres://postgres@{HOST}:{services.pg_port}/{DATABASE}",
        "CACHE_URL": f"redis://127.0.0.1:{services.redis_port}/7",
        "CELERY_TASK_ALWAYS_EAGER": "true",  # no worker runs here: jobs run in the process that asks
        "DJANGO_CONN_MAX_AGE": "60",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
        "DJANGO_LOG_LEVEL": "CRITICAL",
        # Every reader is wrk on 127.0.0.1: the per-address throttles would answer 429s.
        **{f"NEWSROOM_THROTTLE_{name}": "" for name in ("SEARCH", "FEEDS", "API", "READS")},
    }


def prepare_site(env: dict, services: Services) -> None:
    psql = ["psql", "-h", HOST, "-p", str(services.pg_port), "-U", "postgres"]
    exists = subprocess.run(
        [*psql, "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{DATABASE}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run([*psql, "-qc", f"CREATE DATABASE {DATABASE}"], check=True)
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["load_demo_content"]):
        subprocess.run([PYTHON, "manage.py", *command, "-v", "0"], cwd=ROOT, env=env, check=True, timeout=600)


def get(port: int, path: str, timeout: float = 5.0) -> tuple[int, dict, str]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": HOST})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex((HOST, port)) == 0


class Gunicorn:
    def __init__(self, port: int, env: dict, workers: int, log: Path):
        if port_in_use(port):  # the health check would find whatever answers there instead
            raise SystemExit(f"Port {port} is in use; choose another with --port.")
        self.port = port
        log.parent.mkdir(exist_ok=True)
        self.log = log.open("w")  # the errors logged while the database is down would drown the report
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "newsroom.wsgi", "--bind", f"{HOST}:{port}", "--workers", str(workers)]
            + ["--timeout", "20", "--graceful-timeout", "5", "--log-level", "warning"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self) -> None:
        def healthy():
            try:
                return get(self.port, "/healthz")[0] == 200
            except OSError:
                return False

        if not wait_for(healthy, 60):
            raise RuntimeError("gunicorn did not become healthy")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def reader_paths(port: int) -> list[str]:
    """The home page and the stories and sections it links to."""
    html = get(port, "/", timeout=10)[2]
    links = re.findall(r'href="(/(?:story|section)/[^"?#]+)"', html)
    return ["/", *list(dict.fromkeys(links))[:12]]


# --- Measuring ---------------------------------------------------------------------------------------


@dataclass
class Probe:
    """Reads one page every 50 ms and records when it worked and what it got when it did not."""

    port: int
    path: str
    origin: float  # the time (epoch seconds) the scenario's seconds count from
    samples: list = field(default_factory=list)  # (seconds since origin, status or 0, note)

    def __post_init__(self):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            at = time.time() - self.origin
            try:
                # A query string of its own each time (in this run too): the probe reads pages that need the database.
                status, headers, body = get(self.port, f"{self.path}?probe={self.origin:.0f}-{len(self.samples)}")
                note = ""
                if status == 503:
                    friendly = FRIENDLY_503 in body and "Retry-After" in headers and "Traceback" not in body
                    note = "friendly-503" if friendly else "bare-503"
                self.samples.append((at, status, note))
            except OSError as error:
                self.samples.append((at, 0, type(error).__name__))
            time.sleep(0.05)

    def stop(self):
        self._stop.set()
        self._thread.join(5)

    def failures(self, after: float = 0.0) -> list:
        return [s for s in self.samples if s[0] >= after and not 200 <= s[1] < 400]


def run_wrk(port: int, seconds: int, paths: list[str]) -> subprocess.Popen:
    # One connection per thread, so the script can match each response to its request.
    return subprocess.Popen(
        ["wrk", "-t8", "-c8", f"-d{seconds}s", "--timeout", "5s", "-s", str(ROOT / "scripts/wrk_timeline.lua")]
        + [f"http://{HOST}:{port}", "--", *paths],
        stdout=subprocess.PIPE,
        text=True,
    )


def parse_wrk(output: str, origin: float) -> dict:
    timeline = [
        (int(second) - origin, int(ok), int(bad), int(stale))
        for second, ok, bad, stale in re.findall(r"^TIMELINE (\d+) (\d+) (\d+) (\d+)$", output, re.MULTILINE)
    ]
    latencies = [
        (float(started) - origin, float(ms))
        for started, ms in re.findall(r"^LATENCY ([\d.]+) ([\d.]+)$", output, re.MULTILINE)
    ]
    kinds = {
        kind: {outcome: int(number) for outcome, number in re.findall(r"(\w+)=(\d+)", outcomes)}
        for kind, outcomes in re.findall(r"^KIND (\w+) (.*)$", output, re.MULTILINE)
    }
    summary = dict(re.findall(r"(\w+)=([\d.]+)", re.search(r"^SUMMARY .*$", output, re.MULTILINE).group(0)))
    socket_errors = sum(int(summary[k]) for k in ("connect", "read", "write", "timeout"))
    return {
        "requests": int(summary["requests"]),
        "served": sum(row[1] for row in timeline),
        "failed_http": int(summary["status"]),
        "failed_socket": socket_errors,
        # From each request's latency: wrk's own percentiles come out several times too high once the
        # server answers some requests with errors (its mean then contradicts the request rate).
        "p99_ms": p99(latencies, -math.inf, math.inf),
        "timeline": timeline,
        "latencies": latencies,
        "cached": kinds.get("cached", {}),
        "uncached": kinds.get("uncached", {}),
    }


def p99(latencies: list, start: float, end: float) -> float | None:
    """The 99th percentile latency (ms) of the requests that started between ``start`` and ``end``."""
    values = sorted(ms for at, ms in latencies if start <= at < end)
    return round(values[max(0, math.ceil(0.99 * len(values)) - 1)], 1) if values else None


def _failing_span(timeline) -> list[float]:
    """First and last second (from the start of the load) in which wrk saw failed responses."""
    failing = [row[0] for row in timeline if row[2]]
    return [round(failing[0], 1), round(failing[-1] + 1, 1)] if failing else []


TARGETS = {
    "kill": "no failed response (only the request the killed worker held may be cut off)",
    "pg-restart": "no failed request",
    "pg-stop": "no failed request for pages the cache held, the friendly 503 for the rest, none once it is back",
    "redis": f"no failed request, p99 during the outage within {P99_RATIO_TARGET:g}x of before, no stale page",
}


def target_met(key: str, report: dict) -> bool:
    no_failure = report["failed_http"] == 0 and report["failed_socket"] == 0 and not report["failed_after_service_back"]
    if key == "kill":
        return report["failed_http"] == 0 and report["failed_socket"] <= 1
    if key == "pg-restart":
        return no_failure
    if key == "pg-stop":
        return (
            report["failed_cached_pages"] == 0
            and report["failed_uncached_pages"] == report["friendly_503_uncached_pages"]
            and report["failed_socket"] == 0
            and not report["failed_after_service_back"]
        )
    before, during = report["p99_before_fault_ms"], report["p99_during_fault_ms"]
    return bool(
        no_failure
        and before
        and during is not None
        and during <= P99_RATIO_TARGET * before
        and report.get("old_headline_reads_during_outage") == 0
        and report.get("old_headline_reads_after_return") == 0
    )


def scenario(key, name, port, paths, seconds, fault_at, fault, restore=None, restore_at=None, after_restore=None):
    """Run wrk and the probe for ``seconds``; break something at ``fault_at``, mend it at ``restore_at``.

    ``fault`` and ``after_restore`` may return a dict of findings, added to the report.
    """
    say(f"--- {name}: {seconds}s of load, fault at {fault_at}s" + (f", restored at {restore_at}s" if restore else ""))
    origin = time.time()
    wrk = run_wrk(port, seconds, paths)
    probe = Probe(port, paths[1] if len(paths) > 1 else "/", origin)
    marks, findings = {}, {}
    try:
        time.sleep(fault_at)
        marks["fault"] = time.time() - origin
        findings.update(fault() or {})
        if restore:
            time.sleep(max(0.0, (restore_at or 0) - (time.time() - origin)))
            marks["restore"] = time.time() - origin
            restore()
            marks["back"] = time.time() - origin  # the service answers again
            findings.update(after_restore() if after_restore else {})
        output, _ = wrk.communicate(timeout=seconds + 60)
    finally:
        probe.stop()
        if wrk.poll() is None:
            wrk.kill()
    result = parse_wrk(output, origin)
    cached, uncached = result["cached"], result["uncached"]
    failures = probe.failures()
    back = marks.get("back", marks["fault"])
    after_back = probe.failures(after=back + 0.5)
    wrk_after_back = sum(row[2] for row in result["timeline"] if row[0] > back + 1)
    notes = sorted({f[2] or str(f[1]) for f in failures})
    report = {
        "scenario": name,
        "wrk_requests": result["requests"],
        "served": result["served"],
        "failed_http": result["failed_http"],
        "failed_socket": result["failed_socket"],
        "p99_ms": result["p99_ms"],
        "stale_served": cached.get("stale", 0) + uncached.get("stale", 0),
        "friendly_503_seen": sum(1 for sample in probe.samples if sample[2] == "friendly-503"),
        # Pages the page cache held (plain paths) and pages it never holds (a query string of their own);
        # a failure is an error status or a request left without a response.
        "failed_cached_pages": cached.get("failed", 0) + cached.get("lost", 0),
        "failed_uncached_pages": uncached.get("failed", 0) + uncached.get("lost", 0),
        "friendly_503_uncached_pages": uncached.get("friendly", 0),
        "friendly_503_cached_pages": cached.get("friendly", 0),
        "p99_before_fault_ms": p99(result["latencies"], 0, marks["fault"]),
        "p99_during_fault_ms": p99(result["latencies"], marks["fault"], back) if back > marks["fault"] else None,
        "p99_after_back_ms": p99(result["latencies"], back, seconds + 1),
        "service_back_after_s": round(back - marks["fault"], 2),
        "probe_samples": len(probe.samples),
        "probe_failures": len(failures),
        "error_window_s": round(failures[-1][0] - failures[0][0], 2) if failures else 0.0,
        "probe_first_last_failure_s": [round(failures[0][0], 2), round(failures[-1][0], 2)] if failures else [],
        "wrk_seconds_with_failures": _failing_span(result["timeline"]),
        "recovery_s": round(max(0.0, failures[-1][0] - back), 2) if failures else 0.0,
        "failed_after_service_back": len(after_back) + wrk_after_back,
        "what_failures_looked_like": notes,
        "marks_s": {mark: round(value, 2) for mark, value in marks.items()},
        **findings,
        "wrk_timeline": [[round(row[0]), *row[1:]] for row in result["timeline"] if row[2] or row[3]],
    }
    report["target"] = TARGETS[key]
    report["target_met"] = target_met(key, report)
    say(json.dumps(report, indent=2))
    return report


# --- A change while Redis is gone --------------------------------------------------------------------

EDIT_HEADLINE = """
from articles.models import Story
story = Story.objects.get(slug={slug!r})
input()  # ready: the change is made when told
story.headline = story.headline.removesuffix({mark!r}) + ({mark!r} if {add!r} else "")
story.save()
print(story.headline)
"""
MARK = " (updated in the drill)"
# Without Redis each process caches for itself, a few seconds at most (newsroom/cache.py, LOCAL_TIMEOUT):
# a change made elsewhere shows within that. Once Redis is back, at once.
CHANGE_SHOWS_WITHIN_S = 6


class HeadlineEdit:
    """Adds or takes off MARK on the headline of the story at ``path``, as an editor's save would.

    The process starts (and loads Django) at once; ``apply()`` makes the change and returns the new headline.
    """

    def __init__(self, env: dict, path: str, *, add: bool):
        code = EDIT_HEADLINE.format(slug=unquote(path.rstrip("/").rsplit("/", 1)[-1]), mark=MARK, add=add)
        self.process = subprocess.Popen(
            [PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip

    def apply(self) -> str:
        try:
            output, _ = self.process.communicate("\n", timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return ""
        return output.strip().splitlines()[-1] if self.process.returncode == 0 and output.strip() else ""


def old_headline_reads(port: int, path: str, headline: str, reads: int, within: float) -> int:
    """How many of ``reads`` reads of ``path`` in ``within`` seconds (through the page cache) miss ``headline``."""
    missing, deadline = 0, time.monotonic() + within
    for _ in range(reads):
        if time.monotonic() > deadline:
            break
        try:
            status, _, body = get(port, path)
            missing += status != 200 or not headline or html.escape(headline) not in body
        except OSError:
            missing += 1
        time.sleep(0.05)
    return missing


# --- Faults ------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenarios", default="kill,pg-restart,pg-stop,redis")
    parser.add_argument("--port", type=int, default=8116)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--pg-cluster", default="main")
    parser.add_argument("--pg-port", type=int, default=5432)
    parser.add_argument("--redis-port", type=int, default=6379)
    parser.add_argument("--output", type=Path, default=ROOT / "var" / "fault-drill.json")
    args = parser.parse_args()
    wanted = args.scenarios.split(",")
    services = Services(args.pg_cluster, args.pg_port, args.redis_port)

    def interrupted(signum, frame):
        raise SystemExit(f"stopped by signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    env = site_environment(services)
    gunicorn = None
    reports = []
    try:
        services.restore()
        prepare_site(env, services)
        gunicorn = Gunicorn(args.port, env, args.workers, args.output.with_suffix(".gunicorn.log"))
        gunicorn.wait_ready()
        paths = reader_paths(args.port)
        say(f"reading {len(paths)} pages: {' '.join(paths[:4])} ...")
        run_wrk(args.port, 3, paths).communicate()  # warm the workers and the cache

        if "kill" in wanted:
            victim = []

            def kill_one():
                victim.append(gunicorn.workers()[0])
                os.kill(victim[0], signal.SIGKILL)

            def replaced():
                workers = gunicorn.workers()
                return len(workers) == args.workers and victim[0] not in workers

            respawned = lambda: wait_for(replaced, 30)  # noqa: E731
            reports.append(scenario("kill", "kill a worker", args.port, paths, 20, 8, kill_one, restore=respawned))
        if "pg-restart" in wanted:
            reports.append(
                scenario(
                    "pg-restart",
                    "restart PostgreSQL",
                    args.port,
                    paths,
                    25,
                    8,
                    lambda: services.pg_ctl("restart"),
                    restore=lambda: wait_for(services.postgres_ready, 30),
                    restore_at=8,
                )  # fmt: skip
            )
        story = next((path for path in paths if path.startswith("/story/")), paths[-1])
        if "pg-stop" in wanted:
            edit = HeadlineEdit(env, story, add=True)

            def edit_and_stop_postgres():
                edit.apply()  # retires the story's pages: readers get them stale while the database is down
                services.pg_ctl("stop", "-m", "fast")

            reports.append(
                scenario(
                    "pg-stop",
                    "stop PostgreSQL for 30 s",
                    args.port,
                    paths,
                    55,
                    8,
                    edit_and_stop_postgres,
                    restore=services.start_postgres,
                    restore_at=38,
                )  # fmt: skip
            )
            HeadlineEdit(env, story, add=False).apply()
        if "redis" in wanted:
            edit, headline = HeadlineEdit(env, story, add=True), []

            def stop_redis_and_edit():
                services.stop_redis()
                headline.append(edit.apply())
                time.sleep(CHANGE_SHOWS_WITHIN_S)
                reads = old_headline_reads(args.port, story, headline[0], 20, within=4)
                return {"edited_headline": headline[0], "old_headline_reads_during_outage": reads}

            def read_after_return():
                reads = old_headline_reads(args.port, story, headline[0], 40, within=6)
                return {"old_headline_reads_after_return": reads}

            reports.append(
                scenario(
                    "redis",
                    "stop Redis for 15 s",
                    args.port,
                    paths,
                    35,
                    8,
                    stop_redis_and_edit,
                    restore=services.start_redis,
                    restore_at=23,
                    after_restore=read_after_return,
                )  # fmt: skip
            )
            HeadlineEdit(env, story, add=False).apply()
    finally:
        if gunicorn:
            gunicorn.stop()
        services.restore()
    args.output.parent.mkdir(exist_ok=True)
    args.output.write_text(json.dumps(reports, indent=2))
    say(f"results written to {args.output}")
    say("targets:")
    for report in reports:
        say(f"  {'met' if report['target_met'] else 'MISSED':<6} {report['scenario']}: {report['target']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
