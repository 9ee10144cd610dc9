"""Forms render through the project's templates; an empty error list is written as nothing, as its template would."""

from pathlib import Path

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting, get_default_renderer
from django.forms.utils import ErrorDict, ErrorList
from django.template import engines

from newsroom.formrendering import ERROR_TEMPLATES, ProjectTemplates


class Deadline(forms.Form):
    headline = forms.CharField()
    due = forms.DateField()


def error_templates() -> list[str]:
    """Every error template the project's engine can find, Django's own or an override in templates/."""
    names = []
    for loader in engines["django"].engine.template_loaders[0].loaders:
        for directory in map(Path, loader.get_dirs()):
            folder = directory / ERROR_TEMPLATES
            names += [str(path.relative_to(directory)) for path in folder.rglob("*") if path.is_file()]
    return sorted(set(names))


@pytest.mark.parametrize("template_name", error_templates())
def test_every_error_template_writes_nothing_for_no_errors(template_name):
    for empty in (ErrorList(), ErrorDict()):
        assert TemplatesSetting().render(template_name, empty.get_context()).strip() == ""
        assert ProjectTemplates().render(template_name, empty.get_context()) == ""


def test_errors_are_rendered_through_the_templates_and_no_errors_as_nothing():
    form = Deadline({"headline": "", "due": "not a date"})
    assert not form.is_valid()

    assert (
        str(form["headline"].errors)
        == '<ul class="errorlist" id="id_headline_error"><li>This field is required.</li></ul>'
    )
    assert "Enter a valid date." in str(form.errors)
    assert str(Deadline({"headline": "Budget", "due": "2026-12-07"})["headline"].errors) == ""


def test_the_site_renders_forms_with_it():
    assert isinstance(get_default_renderer(), ProjectTemplates)
