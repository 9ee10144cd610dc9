"""Control characters in any form: refused with a message naming the character, on every admin form too."""

import pytest
from bs4 import BeautifulSoup
from django import forms as django_forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from taggit.models import Tag

from articles.models import Quote, Section, Story
from newsroom.textsafety import ControlCharactersRefused, refuse_control_characters, remove_controls, safe_name
from tests.factories import make_person, make_story
from tests.security.hostile import admin_story_form

pytestmark = pytest.mark.django_db


def errors(response) -> str:
    return " ".join(e.get_text(" ") for e in BeautifulSoup(response.content, "html.parser").select(".errorlist"))


def test_text_keeps_tabs_and_line_breaks_and_loses_other_controls_and_lone_surrogates():
    assert remove_controls("a\tb\nc\r\nd\x00e\x07f\x1bg\ud800h") == "a\tb\nc\r\ndefgh"
    assert safe_name("re\u202eport\x00.txt") == "report.txt"


@pytest.mark.parametrize("field", ["headline", "standfirst", "hero_caption"])
def test_story_form_refuses_a_control_character_naming_it(editor_client, field):
    response = editor_client.post("/admin/articles/story/add/", admin_story_form(**{field: "Bell\x07 rings"}))

    assert response.status_code == 200
    assert "invisible control character (U+0007) at position 5" in errors(response)
    assert not Story.objects.exists()


def test_inline_forms_refuse_control_characters(editor_client):
    person = make_person("Lindiwe Khumalo")
    form = admin_story_form(
        **{
            "quotes-TOTAL_FORMS": "1",
            "quotes-0-person": person.pk,
            "quotes-0-text": "We will\x1b keep going.",
            "quotes-0-position": "0",
        }
    )

    response = editor_client.post("/admin/articles/story/add/", form)

    assert response.status_code == 200
    assert "U+001B" in errors(response)
    assert not Quote.objects.exists()


def test_admins_of_other_apps_refuse_control_characters_too(editor_client):
    response = editor_client.post("/admin/taggit/tag/add/", {"name": "Wea\x01ther", "slug": "weather"})
    assert response.status_code == 200
    assert "U+0001" in errors(response)
    assert not Tag.objects.exists()

    user = editor_client.user
    response = editor_client.post(
        f"/admin/auth/user/{user.pk}/change/",
        {"username": user.username, "first_name": "Ch\x02ief", "date_joined_0": "2025-01-01", "date_joined_1": "00:00"},
    )
    assert "U+0002" in errors(response)
    assert get_user_model().objects.get(pk=user.pk).first_name == ""


def test_every_text_field_of_every_admin_form_refuses_control_characters(editor_client):
    request = RequestFactory().get("/admin/")
    request.user = editor_client.user
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_add_permission(request):
            continue
        forms = [model_admin.get_form(request)]
        forms += [inline.get_formset(request).form for inline in model_admin.get_inline_instances(request)]
        for form_class in forms:
            assert issubclass(form_class, ControlCharactersRefused), model
            for name, field in form_class().fields.items():
                if isinstance(field, django_forms.CharField):
                    assert refuse_control_characters in field.validators, f"{model.__name__}.{name}"
                    checked += 1
    assert checked > 20


def test_section_form_refuses_control_characters(editor_client):
    response = editor_client.post(
        "/admin/articles/section/add/", {"name": "News", "slug": "", "description": "Daily\x0c news", "position": 0}
    )
    assert "U+000C" in errors(response)
    assert not Section.objects.exists()


def test_search_drops_control_characters_and_still_finds(client):
    make_story("Council approves new bus routes")

    response = client.get("/search/", {"q": "bus\x07 routes"})

    assert response.status_code == 200
    assert "Council approves new bus routes" in response.content.decode()
