from django.urls import path

from interchange import views

app_name = "interchange"

urlpatterns = [
    path("ninjs/stories/", views.story_list, name="ninjs_stories"),
    path("ninjs/stories/<str:key>/", views.story_detail, name="ninjs_story"),
    path("ninjs/sections/", views.section_list, name="ninjs_sections"),
    path("ninjs/people/", views.person_list, name="ninjs_people"),
    path("ninjs/schema.json", views.ninjs_schema, name="ninjs_schema"),
    path("openapi.json", views.openapi, name="openapi"),
]
