"""Fault drill: the site under gunicorn and PostgreSQL, read by wrk, while things break.

Scenarios (each bounded in time, everything on 127.0.0.1):
  kill        a gunicorn worker is killed with SIGKILL
  pg-restart  PostgreSQL is restarted
  pg-stop     PostgreSQL is stopped for 30 seconds, then started
  redis       Redis (the shared cache) is stopped for 15 seconds, then started

For each: requests served and failed (from wrk; half its requests miss the page cache), the error
window and the recovery time (from a probe that reads a story page, uncached, every 50 ms), what
readers saw while the database was down, and whether any request failed once the database was back.
PostgreSQL and Redis are always started again at the end, whatever happens (other test runs on this
machine depend on them).

Usage: .venv/bin/python scripts/fault_drill.py [--scenarios kill,pg-restart,pg-stop,redis] [--port 8116]
"""

import argparse
import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
DATABASE = "newsroom_fault_drill"
PG_VERSION = sorted(os.listdir("/etc/postgresql"))[-1] if os.path.isdir("/etc/postgresql") else "15"
PG_CTL = ["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, "main"]
REDIS_START = [
    "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379", "--save", "",
    "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log",
]  # fmt: skip
FRIENDLY_503 = "We will be back in a moment"


def say(message: str) -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


# --- Services ----------------------------------------------------------------------------------------


def postgres_ready() -> bool:
    return subprocess.run(["pg_isready", "-h", HOST, "-q"], check=False).returncode == 0


def wait_for(check, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def redis_ready() -> bool:
    return subprocess.run(["redis-cli", "-h", HOST, "ping"], capture_output=True, check=False).stdout.strip() == b"PONG"


def start_postgres() -> None:
    if not postgres_ready():
        subprocess.run([*PG_CTL, "start"], check=False, timeout=60)
        wait_for(postgres_ready, 30)


def start_redis() -> None:
    if not redis_ready():
        subprocess.run(REDIS_START, check=False, timeout=30)
        wait_for(redis_ready, 10)


def restore_services() -> None:
    """Whatever happened, PostgreSQL and Redis are running when the drill ends."""
    start_postgres()
    start_redis()
    say(f"services restored: postgres={'up' if postgres_ready() else 'DOWN'} redis={'up' if redis_ready() else 'DOWN'}")


# --- The site ----------------------------------------------------------------------------------------


def site_environment(port: int) -> dict:
    return {
        **{key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "NEWSROOM_"))},
        "DATABASE_URL": f"postgres://postgres@{HOST}:5432/{DATABASE}",
        "CACHE_URL": "redis://127.0.0.1:6379/7",
        "DJANGO_CONN_MAX_AGE": "60",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
        "DJANGO_LOG_LEVEL": "CRITICAL",
    }


def prepare_site(env: dict) -> None:
    exists = subprocess.run(
        ["psql", "-h", HOST, "-U", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{DATABASE}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["psql", "-h", HOST, "-U", "postgres", "-qc", f"CREATE DATABASE {DATABASE}"], check=True)
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


class Gunicorn:
    def __init__(self, port: int, env: dict, workers: int, log: Path):
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
    samples: list = field(default_factory=list)  # (seconds since start, status or 0, note)
    started: float = field(default_factory=time.monotonic)

    def __post_init__(self):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            at = time.monotonic() - self.started
            try:
                # A query string of its own each time: the probe times the pages that need the database.
                status, headers, body = get(self.port, f"{self.path}?probe={len(self.samples)}")
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
    return subprocess.Popen(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "5s", "-s", str(ROOT / "scripts/wrk_timeline.lua")]
        + [f"http://{HOST}:{port}", "--", *paths],
        stdout=subprocess.PIPE,
        text=True,
    )


def parse_wrk(output: str, started_epoch: float) -> dict:
    timeline = [
        (int(second) - started_epoch, int(ok), int(bad))
        for second, ok, bad in re.findall(r"^TIMELINE (\d+) (\d+) (\d+)$", output, re.MULTILINE)
    ]
    summary = dict(re.findall(r"(\w+)=([\d.]+)", re.search(r"^SUMMARY .*$", output, re.MULTILINE).group(0)))
    socket_errors = sum(int(summary[k]) for k in ("connect", "read", "write", "timeout"))
    ok = sum(row[1] for row in timeline)
    return {
        "requests": int(summary["requests"]),
        "served": ok,
        "failed_http": int(summary["status"]),
        "failed_socket": socket_errors,
        "p99_ms": float(summary["p99_ms"]),
        "timeline": timeline,
    }


def _failing_span(timeline) -> list[float]:
    """First and last second (from the start of the load) in which wrk saw failed responses."""
    failing = [second for second, _, bad in timeline if bad]
    return [round(failing[0], 1), round(failing[-1] + 1, 1)] if failing else []


def scenario(name, port, paths, seconds, fault_at, fault, restore=None, restore_at=None):
    """Run wrk and the probe for ``seconds``; break something at ``fault_at``, mend it at ``restore_at``."""
    say(f"--- {name}: {seconds}s of load, fault at {fault_at}s" + (f", restored at {restore_at}s" if restore else ""))
    started_epoch = time.time()
    wrk = run_wrk(port, seconds, paths)
    probe = Probe(port, paths[1] if len(paths) > 1 else "/")
    marks = {}
    try:
        time.sleep(fault_at)
        marks["fault"] = time.monotonic() - probe.started
        fault()
        if restore:
            time.sleep(max(0.0, (restore_at or 0) - (time.monotonic() - probe.started)))
            marks["restore"] = time.monotonic() - probe.started
            restore()
            marks["back"] = time.monotonic() - probe.started  # the service answers again
        output, _ = wrk.communicate(timeout=seconds + 60)
    finally:
        probe.stop()
        if wrk.poll() is None:
            wrk.kill()
    result = parse_wrk(output, started_epoch)
    failures = probe.failures()
    back = marks.get("back", marks["fault"])
    after_back = probe.failures(after=back + 0.5)
    wrk_after_back = sum(bad for second, _, bad in result["timeline"] if second > back + 1)
    notes = sorted({f[2] or str(f[1]) for f in failures})
    report = {
        "scenario": name,
        "wrk_requests": result["requests"],
        "served": result["served"],
        "failed_http": result["failed_http"],
        "failed_socket": result["failed_socket"],
        "p99_ms": result["p99_ms"],
        "service_back_after_s": round(back - marks["fault"], 2),
        "friendly_503_seen": sum(1 for sample in probe.samples if sample[2] == "friendly-503"),
        "probe_samples": len(probe.samples),
        "probe_failures": len(failures),
        "error_window_s": round(failures[-1][0] - failures[0][0], 2) if failures else 0.0,
        "probe_first_last_failure_s": [round(failures[0][0], 2), round(failures[-1][0], 2)] if failures else [],
        "wrk_seconds_with_failures": _failing_span(result["timeline"]),
        "recovery_s": round(max(0.0, failures[-1][0] - back), 2) if failures else 0.0,
        "failed_after_service_back": len(after_back) + wrk_after_back,
        "what_failures_looked_like": notes,
        "marks_s": {key: round(value, 2) for key, value in marks.items()},
        "wrk_timeline": [row for row in result["timeline"] if row[2]],
    }
    say(json.dumps(report, indent=2))
    return report


# --- Faults ------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenarios", default="kill,pg-restart,pg-stop,redis")
    parser.add_argument("--port", type=int, default=8116)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--output", type=Path, default=ROOT / "var" / "fault-drill.json")
    args = parser.parse_args()
    wanted = args.scenarios.split(",")

    def interrupted(signum, frame):
        raise SystemExit(f"stopped by signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    env = site_environment(args.port)
    gunicorn = None
    reports = []
    try:
        restore_services()
        prepare_site(env)
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
            reports.append(scenario("kill a worker", args.port, paths, 20, 8, kill_one, restore=respawned))
        if "pg-restart" in wanted:
            reports.append(
                scenario(
                    "restart PostgreSQL",
                    args.port,
                    paths,
                    25,
                    8,
                    lambda: subprocess.run([*PG_CTL, "restart"], check=True, timeout=60),
                    restore=lambda: wait_for(postgres_ready, 30),
                    restore_at=8,
                )  # fmt: skip
            )
        if "pg-stop" in wanted:
            reports.append(
                scenario(
                    "stop PostgreSQL for 30 s",
                    args.port,
                    paths,
                    55,
                    8,
                    lambda: subprocess.run([*PG_CTL, "stop", "-m", "fast"], check=True, timeout=60),
                    restore=start_postgres,
                    restore_at=38,
                )  # fmt: skip
            )
        if "redis" in wanted:
            reports.append(
                scenario(
                    "stop Redis for 15 s",
                    args.port,
                    paths,
                    35,
                    8,
                    lambda: subprocess.run(["redis-cli", "-h", HOST, "shutdown", "nosave"], check=False, timeout=10),
                    restore=start_redis,
                    restore_at=23,
                )  # fmt: skip
            )
    finally:
        if gunicorn:
            gunicorn.stop()
        restore_services()
    args.output.parent.mkdir(exist_ok=True)
    args.output.write_text(json.dumps(reports, indent=2))
    say(f"results written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
