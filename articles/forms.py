"""Forms of the editorial workflow: the story form and the small forms beside it."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminSplitDateTime
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag

from articles import revisions
from articles.models import Correction, Person, Quote, Story

TAG_NAME_MAX = Tag._meta.get_field("name").max_length


class HttpsURLField(forms.URLField):
    """A link field that reads "example.org" as https://example.org."""

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class StoryForm(forms.ModelForm):
    """The story form; refuses a save made from a copy someone else has changed since it was opened."""

    # The story version this form was filled from; only ever used to detect a stale copy.
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    publish_at = forms.SplitDateTimeField(
        label="Publish at",
        required=False,
        widget=AdminSplitDateTime,
        help_text="For the Publish button: leave empty to publish at once; a later time schedules the story. "
        "Times are the newsroom's local time.",
    )

    # What the other person changed, for the template, when the save is refused.
    conflict = None
    # Initial values from the writer's autosaved copy, when they asked to restore it.
    restored = None

    class Meta:
        model = Story
        # The admin passes its own field list from its fieldsets; this one is for use outside it.
        fields = [
            "headline",
            "standfirst",
            "body",
            "section",
            "kind",
            "tags",
            "slug",
            "hero_image",
            "hero_caption",
            "source",
            "original_url",
            "review_note",
            "editor_note",
            "embargo_until",
        ]
        field_classes = {"original_url": HttpsURLField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("base_version", self.instance.version)
            if self.instance.is_scheduled():
                self.initial.setdefault("publish_at", self.instance.published_at)
        if self.restored and not self.is_bound:
            self.initial.update({name: value for name, value in self.restored.items() if name in self.fields})

    def clean_tags(self):
        tags = self.cleaned_data.get("tags") or []
        limit = settings.NEWSROOM_MAX_TAGS_PER_STORY
        errors = []
        if len(tags) > limit:
            errors.append(f"A story can have at most {limit} tags; this one has {len(tags)}.")
        for name in tags:
            if not Tag().slugify(name):
                errors.append(f"“{name}” cannot be a tag: it has no letters or digits to link to.")
            elif len(name) > TAG_NAME_MAX:
                errors.append(f"“{name[:40]}…” is too long for a tag (at most {TAG_NAME_MAX} characters).")
        if errors:
            raise forms.ValidationError(errors)
        return tags

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self._refuse_stale_copy(cleaned.get("base_version"))
        return cleaned

    def _refuse_stale_copy(self, version: int | None) -> None:
        # Inside the admin's transaction the row stays locked until the save ends: two saves cannot both pass.
        stories = Story.objects.filter(pk=self.instance.pk)
        if transaction.get_connection().in_atomic_block:
            stories = stories.select_for_update()
        current = stories.values_list("version", flat=True).first()
        if current is None or version == current:
            self.instance.version = current or self.instance.version
            return
        changes, revisions_since = revisions.changes_since(self.instance, version)
        self.conflict = {"changes": changes, "revisions": revisions_since}
        # The next save is a deliberate one: the writer has now seen what changed.
        self.data = self.data.copy()
        self.data[self.add_prefix("base_version")] = current
        raise forms.ValidationError(
            "Someone else saved this story after you opened it, so your changes were not saved. "
            "Their changes are shown below and your text is still in the form: merge the two and save again.",
            code="stale",
        )


class CorrectionForm(forms.Form):
    kind = forms.ChoiceField(choices=Correction.Kind.choices, initial=Correction.Kind.CORRECTION)
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text="Say what was wrong and what is right. It is shown to readers at the foot of the story "
        "and cannot be edited or deleted later.",
    )


class PreviewLinkForm(forms.Form):
    note = forms.CharField(max_length=200, required=False, help_text='Who the link is for, e.g. "legal check".')
    hours = forms.IntegerField(
        label="Valid for (hours)",
        min_value=1,
        max_value=24 * 30,
        initial=lambda: settings.NEWSROOM_PREVIEW_LINK_HOURS,
    )

    def expires_at(self, now=None):
        return (now or timezone.now()) + timedelta(hours=self.cleaned_data["hours"])


class QuoteChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, quote):
        return f"{quote.story.headline}: {quote.text[:100]}"


class MergePeopleForm(forms.Form):
    """Which of the people chosen on the list stays: the others are merged into it."""

    into = forms.ModelChoiceField(queryset=Person.objects.none(), widget=forms.RadioSelect, label="Keep")

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = people


class SplitPersonForm(forms.Form):
    """Some of a person's quotes are someone else's: they move to a new person."""

    quotes = QuoteChoiceField(queryset=Quote.objects.none(), widget=forms.CheckboxSelectMultiple)
    name = forms.CharField(max_length=120, help_text="The new person's name; left as it is, the same name.")
    description = forms.CharField(max_length=200, required=False, help_text='For example "a 19-year-old student".')

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quotes"].queryset = person.quotes.select_related("story").order_by("story__headline", "pk")
        self.fields["name"].initial = person.name


class QuoteForm(forms.ModelForm):
    """A quote in the story form; copy that does not say how it was said is taken as direct speech."""

    class Meta:
        model = Quote
        fields = ["person", "position", "text", "kind", "introduction", "context"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].required = False

    def clean_kind(self):
        return self.cleaned_data["kind"] or Quote.Kind.DIRECT
