"""Part of ``make bench``: sending one newsletter issue to many subscribers through a real SMTP server.

Builds a throwaway SQLite database with ``BENCH_SUBSCRIBERS`` confirmed subscribers (default 100,000),
starts an SMTP server on 127.0.0.1 in its own process (aiosmtpd, counting and discarding what it gets),
and sends an issue the way the worker does, in batches of NEWSROOM_NEWSLETTER_BATCH (jobs run in this
process, one after another). Prints messages per second and this process's resident memory at the
start, at its highest while sending and at the end, checks that the server received every message and
the database recorded one delivery per subscriber, adds ``newsletter_send`` to ``bench/results.json``,
and removes what it made.

Settings (environment): BENCH_SUBSCRIBERS, BENCH_SMTP_PORT (8125), BENCH_RESULTS (bench/results.json).
``python -m bench.mailing --serve PORT`` is the SMTP server's own process.
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUBSCRIBERS = int(os.environ.get("BENCH_SUBSCRIBERS", 100_000))
SMTP_PORT = int(os.environ.get("BENCH_SMTP_PORT", 8125))
RESULTS = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench" / "results.json"))
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    """This process's resident memory now, in megabytes."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE / 1024 / 1024


def say(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def serve(port: int) -> None:
    """The SMTP server: counts messages and recipients, keeps nothing; prints the counts when stopped."""
    from aiosmtpd.controller import Controller

    class Counting:
        messages = recipients = 0

        async def handle_DATA(self, server, session, envelope):
            Counting.messages += 1
            Counting.recipients += len(envelope.rcpt_tos)
            return "250 Message accepted"

    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    stopped.wait()
    controller.stop()
    sys.stdout.write(json.dumps({"messages": Counting.messages, "recipients": Counting.recipients}) + "\n")
    sys.stdout.flush()


def build(count: int):
    """A publication, a list with ``count`` confirmed subscribers and an issue of three stories."""
    from django.utils import timezone

    from articles.models import Publication, Section, Story
    from newsletters.models import Issue, IssueStory, NewsletterList, Subscriber, Subscription

    publication = Publication.load()
    publication.name, publication.base_url = "Bench Herald", "https://bench.example"
    publication.postal_address = "1 Bench Street, Johannesburg"
    publication.save()
    section = Section.objects.create(name="News")
    now = timezone.now()
    stories = [
        Story.objects.create(
            headline=f"Bench story {n}",
            standfirst="A short summary.",
            body="<p>Words.</p>",
            section=section,
            status=Story.Status.PUBLISHED,
            published_at=now,
        )
        for n in range(3)
    ]
    newsletter = NewsletterList.objects.create(name="Bench briefing", slug="bench-briefing")
    issue = Issue.objects.create(newsletter=newsletter, subject="The bench briefing")
    IssueStory.objects.bulk_create(IssueStory(issue=issue, story=story, position=n) for n, story in enumerate(stories))
    for start in range(0, count, 5000):
        batch = Subscriber.objects.bulk_create(
            Subscriber(email=f"reader{n}@bench.example") for n in range(start, min(count, start + 5000))
        )
        Subscription.objects.bulk_create(
            Subscription(subscriber=subscriber, newsletter=newsletter, confirmed_at=now) for subscriber in batch
        )
    return issue


def measure(count: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    from newsletters import sending
    from newsletters.models import Delivery, Issue

    call_command("migrate", verbosity=0)
    issue = build(count)
    rss = {"start": rss_mb()}
    peak = [rss["start"]]
    done = threading.Event()

    def sample():
        while not done.wait(0.2):
            peak.append(rss_mb())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    sending.send_now(issue, by=None)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    rss["end"] = rss_mb()
    issue.refresh_from_db()
    return {
        "subscribers": count,
        "seconds": round(seconds, 2),
        "messages_per_second": round(count / seconds, 1),
        "rss_mb_start": round(rss["start"], 1),
        "rss_mb_peak": round(max(peak + [rss["end"]]), 1),
        "rss_mb_end": round(rss["end"], 1),
        "deliveries_recorded": Delivery.objects.filter(issue=issue).count(),
        "issue_status": issue.status,
        "batch": int(os.environ["NEWSROOM_NEWSLETTER_BATCH"]),
        "status_ok": issue.status == Issue.Status.SENT,
    }


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="nr-bench-mail-"))
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.mailing", "--serve", str(SMTP_PORT)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout.readline().strip() == "ready", "the SMTP server did not start"
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "newsroom.settings",
                "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
                "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
                "CELERY_TASK_ALWAYS_EAGER": "true",
                "CELERY_BROKER_URL": "",
                "CACHE_URL": "locmemcache://bench-mail",
                "MEDIA_ROOT": str(work / "media"),
                "NEWSROOM_NEWSLETTER_BATCH": os.environ.get("NEWSROOM_NEWSLETTER_BATCH", "500"),
            }
        )
        result = measure(SUBSCRIBERS)
    finally:
        server.send_signal(signal.SIGTERM)
        received = json.loads(server.communicate(timeout=60)[0].strip().splitlines()[-1])
        for path in sorted(work.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        work.rmdir()
    result["received_by_smtp_server"] = received["messages"]
    ok = result.pop("status_ok") and received["messages"] == result["deliveries_recorded"] == SUBSCRIBERS
    result["all_received_once"] = ok
    say(
        f"Newsletter: {result['subscribers']:,} subscribers in {result['seconds']}s, "
        f"{result['messages_per_second']:,} messages/s to the local SMTP server; "
        f"RSS {result['rss_mb_start']} MB at the start, {result['rss_mb_peak']} MB at most, {result['rss_mb_end']} MB "
        f"at the end; {received['messages']:,} received, each subscriber once: {'yes' if ok else 'NO'}."
    )
    summary = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    summary["newsletter_send"] = result
    RESULTS.write_text(json.dumps(summary, indent=2) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve(int(sys.argv[2]))
    else:
        sys.exit(main())
