"""Query plans of the reader pages that grow with the archive: proof that they read indexes, not tables.

    python -m bench.plans                   # EXPLAIN ANALYZE against the database in DATABASE_URL
    python -m bench.plans --build 100000    # build a scratch PostgreSQL database of that size first,
                                            # explain, and drop it again (make plans)

Each plan is for the queryset the page itself runs (the same QuerySet methods), so a plan that
says "Seq Scan on articles_story" is a page that slows down as the archive grows.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.run import DATABASE, PYTHON, ROOT, app_environment, psql


def plans() -> list[tuple[str, object]]:
    """(page, queryset) for the pages whose cost could grow with the number of stories."""
    from taggit.models import Tag

    from articles.models import Author, Section, Story
    from articles.pagination import MAX_PAGES
    from articles.views import HOME_SECTION_BLOCK, PAGE_SIZE

    published = Story.objects.published()  # the views' own querysets, as in articles/views.py
    section = Section.objects.first()
    tag = Tag.objects.order_by("-pk").first()
    author = Author.objects.first()
    deepest = (MAX_PAGES - 1) * PAGE_SIZE
    sections = list(Section.objects.values_list("pk", flat=True))
    return [
        ("home: latest stories", published.for_listing()[:9]),
        ("home: newest in each section", published.for_listing().latest_in_each_section(sections, HOME_SECTION_BLOCK)),
        ("section front, page 1", published.in_section(section).for_listing()[:PAGE_SIZE]),
        (
            f"section front, page {MAX_PAGES} (the deepest)",
            published.in_section(section).for_listing()[deepest:][:PAGE_SIZE],
        ),
        ("section front, capped count", published.in_section(section)[: MAX_PAGES * PAGE_SIZE]),
        ("tag page, page 1", published.tagged(tag).for_listing()[:PAGE_SIZE]),
        ("author page, page 1", published.by_author(author).for_listing()[:PAGE_SIZE]),
        ("search 'drought', page 1", published.for_listing().search("drought")[:PAGE_SIZE]),
        ("story page", published.for_detail().filter(slug="bench-story")),
    ]


def explain() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("Query plans are for PostgreSQL: set DATABASE_URL.")
    from articles.models import Story

    sys.stdout.write(f"{Story.objects.count()} stories\n")
    for title, queryset in plans():
        plan = queryset.explain(analyze=True)
        uses_index = "Index" in plan and "Seq Scan on articles_story" not in plan
        sys.stdout.write(f"\n=== {title} ({'index' if uses_index else 'CHECK: no index on stories'})\n{plan}\n")


def build_and_explain(stories: int) -> None:
    files = Path(tempfile.mkdtemp(prefix="newsroom-plans-"))
    environment = app_environment() | {"STATIC_ROOT": str(files / "static"), "MEDIA_ROOT": str(files / "media")}
    psql(f"CREATE DATABASE {DATABASE}")
    try:
        subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=environment, check=True)
        build = [PYTHON, "-m", "bench.content", "--stories", str(stories)]
        subprocess.run(build, cwd=ROOT, env=environment, check=True)
        subprocess.run([PYTHON, "-m", "bench.plans"], cwd=ROOT, env=environment, check=True)
    finally:
        psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        shutil.rmtree(files, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=int, metavar="STORIES", help="build a scratch database of this size first")
    args = parser.parse_args()
    if args.build:
        build_and_explain(args.build)
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    explain()


if __name__ == "__main__":
    main()
