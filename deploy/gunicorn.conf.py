"""gunicorn's configuration for Newsroom: ``gunicorn -c deploy/gunicorn.conf.py newsroom.wsgi``.

Every value can be changed from the environment without editing this file:

- ``GUNICORN_BIND`` (``0.0.0.0:8000``), ``GUNICORN_WORKERS`` (2 per core, plus one),
  ``GUNICORN_THREADS`` (1), ``GUNICORN_TIMEOUT`` (30 s), ``GUNICORN_GRACEFUL_TIMEOUT`` (30 s),
  ``GUNICORN_KEEPALIVE`` (5 s), ``GUNICORN_MAX_REQUESTS`` (2,000; 0 never recycles a worker).
- ``NEWSROOM_TRUSTED_PROXY_COUNT`` and ``NEWSROOM_TRUSTED_PROXIES``: the proxies in front, whose
  X-Forwarded-For and X-Forwarded-Proto gunicorn may believe, exactly as Django reads them
  (``newsroom/client_ip.py``). With no proxy counted (the default) gunicorn trusts none.
- ``NEWSROOM_LOG_FORMAT``: ``json`` (default) or ``plain``, for gunicorn's own log lines as for the
  application's (newsroom/logs.py). Access lines go to standard output, the rest to standard error.
- ``PROMETHEUS_MULTIPROC_DIR``: where the workers keep their metrics so that ``/metrics`` adds them
  up; a fresh temporary directory when unset.
"""

import multiprocessing
import os
import shutil
import sys
import tempfile
from pathlib import Path

# The project root, so "newsroom.wsgi" and the logging helpers import whatever the working directory.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
chdir = str(ROOT)

from newsroom import logs  # noqa: E402  (needs the project root on the path)


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Sync workers: every page is CPU work in Python or a short database query; 2 per core keeps the cores
# busy while some workers wait on PostgreSQL or Redis.
cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else multiprocessing.cpu_count()
workers = _int("GUNICORN_WORKERS", cores * 2 + 1)
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
# A request still running after this is killed (the client gets a 502 from the proxy): no page takes
# anywhere near it, so it only ends requests stuck on a dead connection.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then, spread out so they do not all restart at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# Worker heartbeats in memory rather than on a disk that may be slow or full.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Only the proxies Django trusts may tell gunicorn the client's address and scheme (newsroom/client_ip.py).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
from newsroom.client_ip import forwarded_allow_ips as _trusted  # noqa: E402

forwarded_allow_ips = _trusted()

# Logs: the access line carries the request id the application returns in X-Request-ID.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(f)s" "%(a)s" request_id=%({x-request-id}o)s'
logconfig_dict = logs.gunicorn_config(os.environ.get("NEWSROOM_LOG_FORMAT", "json"), loglevel.upper())

# Metrics from every worker (newsroom/metrics.py). The directory is settled before the workers start
# and import prometheus_client (so do not preload the application).
_made_metrics_dir = False


def on_starting(server):
    """Give the workers a metrics directory, with no counts left in it from an earlier run."""
    global _made_metrics_dir
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="newsroom-metrics-")
        _made_metrics_dir = True
    directory = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    for leftover in directory.glob("*.db"):  # only metric files: the directory may hold other things
        leftover.unlink()


def child_exit(server, worker):
    """A worker that ended no longer counts in gauges (counters and histograms keep its counts)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    """Remove the metrics directory this configuration made for the run."""
    if _made_metrics_dir:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
