"""Forms of the editorial workflow: the story form and the small forms beside it."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.html import format_html
from taggit.models import Tag

from articles import merging, publishing, quoting
from articles.models import Author, Correction, Person, Quote, Story
from articles.richtext import proposed_standfirst
from media.models import Image
from newsroom.textsafety import ControlCharactersRefused

TAG_NAME_MAX = Tag._meta.get_field("name").max_length


class ListedChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices of a short table, read in one query: Django reads them through a server-side cursor
    on PostgreSQL, three round trips (declare, fetch, close) for a handful of rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for row in self.queryset:
            yield self.choice(row)


class ShortListChoiceField(forms.ModelChoiceField):
    """A choice of one row of a short table (the sections), offered in a select."""

    iterator = ListedChoiceIterator


class HttpsURLField(forms.URLField):
    """A link field that reads "example.org" as https://example.org."""

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class StoryForm(ControlCharactersRefused, forms.ModelForm):
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

    # The merge with what others saved since the form was opened, when they did (``articles.merging``).
    merge = None
    # Initial values from the writer's autosaved copy, when they asked to restore it.
    restored = None
    # Why the action posted with the form is refused (``articles.form_actions.refusal``); "" when it is not.
    refused = ""

    class Meta:
        model = Story
        # The admin passes its own field list from its fieldsets; this one is for use outside it.
        fields = [
            "headline",
            "standfirst",
            "body",
            "section",
            "kind",
            "language",
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
        field_classes = {"original_url": HttpsURLField, "section": ShortListChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("base_version", self.instance.version)
            if self.instance.is_scheduled():
                self.initial.setdefault("publish_at", self.instance.published_at)
        if "standfirst" in self.fields and self.instance.pk and not self.instance.standfirst.strip():
            proposal = proposed_standfirst(self.instance.body, settings.NEWSROOM_STANDFIRST_MAX_CHARS)
            if proposal:
                # The admin shows help text as HTML: the proposal is the copy's own text, so escape it.
                self.fields["standfirst"].help_text = format_html("Proposed from the first paragraph: “{}”", proposal)
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
        if self.refused:
            raise forms.ValidationError(self.refused, code="refused")
        if self.instance.pk:
            self._merge_later_saves(cleaned)
        return cleaned

    def _merge_later_saves(self, cleaned: dict) -> None:
        """Merge in what others saved since the form was opened; refuse the save while a field needs a choice."""
        # Inside the admin's transaction the row stays locked until the save ends: two saves cannot both pass.
        stories = Story.objects.filter(pk=self.instance.pk)
        if transaction.get_connection().in_atomic_block:
            stories = stories.select_for_update()
        current = stories.first()
        version = cleaned.get("base_version")
        if current is None or version == current.version:
            self.instance.version = current.version if current else self.instance.version
            return
        base = merging.base_revision(current, version)
        merge = merging.merge(story=current, base=base, cleaned=cleaned, data=self.data)
        merge.choose(self.data)
        self.merge = merge
        if merge.conflicts:
            # The choices were made against the version saved when the page was shown; a later save asks again.
            shown = _version(self.data.get("merge_version", ""))
            if shown != current.version:
                merge.choose(QueryDict())
                raise forms.ValidationError(
                    STALE_AGAIN if shown is not None else STALE,
                    code="stale",
                )
            if merge.unchosen:
                names = ", ".join(f.label for f in merge.unchosen)
                raise forms.ValidationError(f"Choose which version to keep for: {names}. Nothing has been saved yet.")
        self._take_merged(cleaned, current, merge)

    def _take_merged(self, cleaned: dict, current: Story, merge: "merging.Merge") -> None:
        theirs = [f.name for f in merge.fields if f.name in merging.LABELS and merge.takes(f.name) == "theirs"]
        for name in theirs:
            if name == "tags":
                cleaned[name] = list(current.tags.names())
            elif name == "related":
                cleaned[name] = list(current.related.all())
            else:
                cleaned[name] = getattr(current, name)
        self._check_kept_rows(merge)
        # The inlines read the merge from the story they belong to (see StoryChildFormSet).
        self.instance.merge = merge
        self.instance.version = current.version
        # What the save changes is now measured against the saved story, not against the stale form.
        self.__dict__["changed_data"] = [name for name in self.changed_data if name not in theirs]

    def _check_kept_rows(self, merge: "merging.Merge") -> None:
        # Rows kept over the other side's are written without their formset: check them as it would.
        errors = []
        for name, rows in merging.replacing_rows(merge, story=self.instance).items():
            for row in rows:
                try:
                    row.full_clean(exclude=["story"], validate_unique=False)
                except ValidationError:
                    errors.append(f"One of your {merging.ROWS[name].lower()} cannot be kept as it is: {row}.")
        if errors:
            raise forms.ValidationError(errors)


class StoryChildFormSet(forms.BaseInlineFormSet):
    """Bylines or quotes in the story form; after a merge, the merge decides what happens to them.

    Their rows as saved stay when the merge takes their side; when it keeps the writer's list over a
    list someone else changed, the posted rows replace theirs (the formset's rows are stale then).
    Otherwise the formset works as usual.
    """

    def _merged(self) -> str | None:
        merge = getattr(self.instance, "merge", None)
        if merge is None:
            return None
        if merge.takes(self.prefix) == "theirs":
            return "theirs"
        return "replace" if self.prefix in merging.replacing_rows(merge, story=self.instance) else None

    def is_valid(self):
        return self._merged() is not None or super().is_valid()

    def has_changed(self):
        merged = self._merged()
        return merged == "replace" if merged is not None else super().has_changed()

    def save(self, commit=True):
        merged = self._merged()
        if merged is None:
            return super().save(commit)
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        if merged == "replace":
            rows = merging.replacing_rows(self.instance.merge, story=self.instance)[self.prefix]
            by = getattr(self.instance, "_history_user", None)  # set by publishing.save_story
            publishing.replace_rows(story=self.instance, model=self.model, rows=rows, by=by)
        return []


STALE = (
    "Someone else saved this story after you opened it. Where you changed different fields, both changes are "
    "kept; where you both changed the same field, choose below which version to keep, then save again. "
    "Nothing has been saved yet."
)
STALE_AGAIN = (
    "The story was saved again while you were choosing. The choices below are against its latest version: "
    "check them and save again. Nothing has been saved yet."
)


def _version(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) < 12 else None


class CorrectionForm(ControlCharactersRefused, forms.Form):
    kind = forms.ChoiceField(choices=Correction.Kind.choices, initial=Correction.Kind.CORRECTION)
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text="Say what was wrong and what is right. It is shown to readers at the foot of the story "
        "and cannot be edited or deleted later.",
    )


class PreviewLinkForm(ControlCharactersRefused, forms.Form):
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


class QuoteFromSelectionForm(ControlCharactersRefused, forms.Form):
    """A quote made from words selected in the story text: the words, and the person on file or a new one."""

    text = forms.CharField(
        max_length=quoting.MAX_QUOTE_CHARS,
        error_messages={"required": "Select the words they said in the story text first."},
    )
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        error_messages={"invalid_choice": "That person is not on file, or not one you may quote."},
    )
    name = forms.CharField(max_length=120, required=False)
    age = forms.IntegerField(min_value=1, max_value=120, required=False)
    role = forms.CharField(max_length=160, required=False)
    kind = forms.ChoiceField(choices=Quote.Kind.choices, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.visible_to(user)

    def clean_text(self):
        words = quoting.quoted_words(self.cleaned_data["text"])
        if not words:
            raise forms.ValidationError("Select the words they said in the story text first.")
        return words

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("person") and not " ".join(cleaned.get("name", "").split()) and "person" not in self.errors:
            self.add_error("name", "Choose who said it, or give the new person's name.")
        return cleaned

    @property
    def description(self) -> str:
        return quoting.describe(age=self.cleaned_data.get("age"), role=self.cleaned_data.get("role", ""))


LIVE_PICTURES_OFFERED = 40  # the newest library pictures the live entry form offers
LIVE_PEOPLE_OFFERED = 300


class LiveEntryForm(ControlCharactersRefused, forms.Form):
    """A live blog entry, quick to fill in: the text, and a byline, picture and quote if wanted."""

    body = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80, "autofocus": True}),
        help_text="A few lines; a blank line starts a new paragraph. Bold, italic, links and lists are kept.",
    )
    author = forms.ModelChoiceField(queryset=Author.objects.all(), required=False, label="Byline")
    picture = forms.ModelChoiceField(
        queryset=Image.objects.all(), required=False, help_text="One of the newest pictures in the media library."
    )
    quote_text = forms.CharField(label="Quote", required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 80}))
    person = forms.ModelChoiceField(queryset=Person.objects.none(), required=False, label="Who said it")
    pinned = forms.BooleanField(required=False, label="Pin above the other entries")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.visible_to(user).order_by("name", "pk")
        # The choices offered are the newest pictures; any picture of the library is accepted.
        newest = Image.objects.order_by("-pk")[:LIVE_PICTURES_OFFERED]
        self.fields["picture"].choices = [("", "---------"), *((image.pk, str(image)) for image in newest)]
        people = self.fields["person"].queryset[:LIVE_PEOPLE_OFFERED]
        self.fields["person"].choices = [("", "---------"), *((person.pk, person.name) for person in people)]
        own = Author.objects.filter(user=user).first() if user.is_authenticated else None
        if own is not None:
            self.fields["author"].initial = own.pk

    def clean(self):
        data = super().clean()
        if data.get("quote_text", "").strip() and not data.get("person"):
            self.add_error("person", "Say who said the quote.")
        return data


class LiveCorrectionForm(ControlCharactersRefused, forms.Form):
    body = forms.CharField(label="Corrected text", widget=forms.Textarea(attrs={"rows": 4, "cols": 80}))
    note = forms.CharField(
        label="What was corrected",
        max_length=300,
        help_text="Shown to readers under the entry with the time of the correction.",
    )


class LiveEndForm(ControlCharactersRefused, forms.Form):
    summary = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text="What happened, for readers who arrive after the coverage ended; shown above the entries.",
    )
