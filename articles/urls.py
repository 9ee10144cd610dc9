from django.urls import path

from articles import (
    converters,  # noqa: F401  (registers the "uslug" converter)
    views,
)
from articles.feeds import (
    FullTextFeed,
    StoryFeed,
    author_subject,
    latest_subject,
    section_subject,
    series_subject,
    tag_subject,
)
from articles.sitemaps import news_sitemap, sitemap_index, sitemap_section
from newsroom.pagecache import public_page
from newsroom.throttles import throttled

app_name = "articles"


def feed(subject, *, atom: bool = False):
    return public_page(throttled("feeds")(StoryFeed(subject, atom=atom)))


# Reader pages are marked public_page: the same for every anonymous reader, so the page cache and
# proxies may share them (newsroom/pagecache.py). Throttled ones count the requests that reach the
# view, i.e. what the page cache could not answer (newsroom/throttles.py).
urlpatterns = [
    path("", public_page(views.home), name="home"),
    path("story/<uslug:slug>/", public_page(views.story_detail), name="story_detail"),
    path("story/<uslug:slug>/live.json", public_page(views.story_live), name="story_live"),
    path("section/<uslug:slug>/", public_page(views.SectionDetailView.as_view()), name="section_detail"),
    path("tag/<uslug:slug>/", public_page(views.TagDetailView.as_view()), name="tag_detail"),
    path("series/<uslug:slug>/", public_page(views.SeriesDetailView.as_view()), name="series_detail"),
    path("people/<uslug:slug>/", public_page(views.person_detail), name="person_detail"),
    path("authors/<uslug:slug>/", public_page(views.AuthorDetailView.as_view()), name="author_detail"),
    path("search/", public_page(throttled("search")(views.story_search)), name="story_search"),
    path("reads/<int:pk>/", throttled("reads")(views.story_read), name="story_read"),
    # Feeds: RSS at .../feed/, Atom at .../feed/atom/.
    path("feed/", feed(latest_subject), name="latest_feed"),
    path("feed/atom/", feed(latest_subject, atom=True), name="latest_atom"),
    path("section/<uslug:slug>/feed/", feed(section_subject), name="section_feed"),
    path("section/<uslug:slug>/feed/atom/", feed(section_subject, atom=True), name="section_atom"),
    # For aggregators, where an editor has switched it on: whole stories with their pictures.
    path("section/<uslug:slug>/feed/full/", public_page(throttled("feeds")(FullTextFeed())), name="section_full_feed"),
    path("tag/<uslug:slug>/feed/", feed(tag_subject), name="tag_feed"),
    path("tag/<uslug:slug>/feed/atom/", feed(tag_subject, atom=True), name="tag_atom"),
    path("authors/<uslug:slug>/feed/", feed(author_subject), name="author_feed"),
    path("authors/<uslug:slug>/feed/atom/", feed(author_subject, atom=True), name="author_atom"),
    path("series/<uslug:slug>/feed/", feed(series_subject), name="series_feed"),
    path("series/<uslug:slug>/feed/atom/", feed(series_subject, atom=True), name="series_atom"),
    # Sitemaps and crawler rules.
    path("sitemap.xml", public_page(sitemap_index), name="sitemap_index"),
    path("sitemap-news.xml", public_page(news_sitemap), name="news_sitemap"),
    path("sitemap-<slug:section>.xml", public_page(sitemap_section), name="sitemap"),
    path("robots.txt", public_page(views.robots_txt), name="robots_txt"),
    path("corrections/", public_page(views.CorrectionListView.as_view()), name="correction_list"),
    # Share links of unpublished stories: never cached (their responses say private, no-store).
    path("preview/<str:token>/", views.story_preview, name="story_preview"),
]
