"""A text column that may not be empty is checked before a save without a query, and by the database always."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import CheckConstraint, Q
from django.test.utils import CaptureQueriesContext

from articles.models import Correction, Section
from newsroom.constraints import NotEmpty
from tests.factories import make_section, make_story

pytestmark = pytest.mark.django_db


def test_an_empty_value_is_refused_before_the_save_without_asking_the_database():
    correction = Correction(story=make_story("Bus routes approved"), kind=Correction.Kind.CORRECTION, text="")

    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError) as refused:
        correction.validate_constraints()

    assert queries.captured_queries == []
    assert refused.value.messages == ["Constraint “correction_text_not_empty” is violated."]


def test_a_value_is_accepted_and_an_excluded_field_is_not_checked():
    constraint = NotEmpty(field="text", name="correction_text_not_empty")
    story = make_story("Bus routes approved")

    with CaptureQueriesContext(connection) as queries:
        constraint.validate(Correction, Correction(story=story, text="A name was misspelt."))
        constraint.validate(Correction, Correction(story=story, text=""), exclude={"text"})

    assert queries.captured_queries == []


def test_the_database_still_refuses_an_empty_value_written_past_the_model():
    section = make_section("Business")

    with pytest.raises(IntegrityError), transaction.atomic():
        Section.objects.filter(pk=section.pk).update(slug="")


def test_migrations_and_copies_see_the_same_check_as_djangos_own():
    constraint = NotEmpty(field="slug", name="section_slug_not_empty")
    plain = CheckConstraint(condition=~Q(slug=""), name="section_slug_not_empty")

    assert constraint.deconstruct() == plain.deconstruct()
    assert constraint == plain
    copy = constraint.clone()
    assert isinstance(copy, NotEmpty) and copy.field == "slug"
    assert constraint in Section._meta.constraints
