"""The benchmark's ceiling: a Django view that returns a fixed 30 KB page and does nothing else.

It runs through the same middleware as every other page, so it measures the cost of Django itself.
Only routed when ``NEWSROOM_BENCH_BASELINE`` is set (the benchmark's configuration).
"""

from django.http import HttpResponse

PAGE = ("<!doctype html><title>Baseline</title><p>".ljust(30 * 1024 - 5, "x") + "</p>\n").encode()


def fixed_page(request):
    """The same 30 KB of HTML for every request."""
    return HttpResponse(PAGE, content_type="text/html; charset=utf-8")
