from django.urls import path

from articles import (
    converters,  # noqa: F401  (registers the "uslug" converter)
    views,
)

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("story/<uslug:slug>/", views.story_detail, name="story_detail"),
    path("section/<uslug:slug>/", views.SectionDetailView.as_view(), name="section_detail"),
    path("tag/<uslug:slug>/", views.TagDetailView.as_view(), name="tag_detail"),
    path("people/<uslug:slug>/", views.person_detail, name="person_detail"),
    path("authors/<uslug:slug>/", views.AuthorDetailView.as_view(), name="author_detail"),
]
