from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("interchange.urls")),
    path("newsletters/", include("newsletters.urls")),
    path("", include("articles.urls")),
]


def serve_media(request, path):
    """An uploaded file from MEDIA_ROOT, kept by browsers for a year like the bucket's copies (settings.py).

    Stored names are generated and never reused for other content, so a file at one address never changes.
    """
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if response.status_code == 200:
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


if settings.SERVE_MEDIA:
    # Local installations keep uploads on disk; production serves them from object storage.
    urlpatterns += [re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", serve_media)]

if settings.NEWSROOM_BENCH_BASELINE:
    # The benchmark's fixed-page view (bench/baseline.py): never routed outside the benchmark.
    from bench.baseline import fixed_page

    urlpatterns.insert(0, path("bench/baseline/", fixed_page))

handler500 = "newsroom.errors.server_error"
