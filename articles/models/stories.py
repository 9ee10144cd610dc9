"""Stories: the row, its rules and what it derives on save; queries, bylines, quotes and corrections sit beside it."""

from datetime import datetime
from operator import itemgetter

import simple_history
from django.conf import settings
from django.contrib.postgres.search import (
    SearchVectorField,
)
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from articles.fields import WebAddressField
from articles.languages import MAX_LENGTH as LANGUAGE_MAX_LENGTH
from articles.languages import bcp47, default_language, primary_subtag, validate_language_tag
from articles.models.bylines import Byline
from articles.models.corrections import Correction
from articles.models.people import Author, Person
from articles.models.quotes import Quote, QuotedPerson, comparable_text, is_carried_by
from articles.models.story_queries import RENDERING_FIELDS, StoryQuerySet
from articles.richtext import BODY_EXTENSIONS, plain_text, sanitize_body
from articles.slugs import unique_slug
from media.figures import picture_ids
from newsroom.celery import enqueue
from newsroom.constraints import NotEmpty
from newsroom.jsonrows import cache_as_prefetched, json_datetime, json_instance

RELATED_SHORTLIST = 50  # stories sharing tags that are considered for "related", the best matches first
RELATED_SHOWN = 4  # related stories a story page offers
# Related stories kept on a story when it is published: more than are shown, so one retracted later is
# replaced at once by the next best.
RELATED_KEPT = 8


class Story(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for review"
        PUBLISHED = "published", "Published"
        RETRACTED = "retracted", "Retracted"

    class Kind(models.TextChoices):
        NEWS = "news", "News"
        COMMENTARY = "commentary", "Commentary"
        ANALYSIS = "analysis", "Analysis"
        FEATURE = "feature", "Feature"
        INTERVIEW = "interview", "Interview"
        EXPLAINER = "explainer", "Explainer"
        REVIEW = "review", "Review"
        OBITUARY = "obituary", "Obituary"

    headline = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True, allow_unicode=True, blank=True)
    standfirst = models.TextField(blank=True, help_text="The summary under the headline, one or two sentences.")
    body = ProseEditorField(config={"extensions": BODY_EXTENSIONS}, sanitize=sanitize_body, blank=True)
    section = models.ForeignKey(
        "articles.Section", null=True, blank=True, on_delete=models.PROTECT, related_name="stories"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NEWS)
    language = models.CharField(
        max_length=LANGUAGE_MAX_LENGTH,
        default=default_language,
        blank=True,
        validators=[validate_language_tag],
        help_text="The language the story is written in, as a BCP 47 tag: en, de, nb-NO, sv. "
        "Left empty, the site's language.",
    )
    tags = TaggableManager(blank=True, help_text="Topics, places and names readers may follow.")
    authors = models.ManyToManyField("articles.Author", through="articles.Byline", related_name="stories")
    source = models.ForeignKey(
        "articles.Source",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stories",
        help_text='For syndicated copy: shown as "Source: ..." under the story.',
    )
    original_url = WebAddressField("original article", blank=True, help_text="The syndicated story's own address.")
    hero_image = models.ForeignKey(
        "media.Image", null=True, blank=True, on_delete=models.PROTECT, related_name="hero_of"
    )
    # The library pictures placed in the body, kept by save(): the library's "Used in" reads these, not the text.
    body_pictures = models.ManyToManyField("media.Image", blank=True, editable=False, related_name="in_body_of")
    hero_caption = models.CharField(
        max_length=300, blank=True, help_text="Caption for this story; the image's own caption is used if empty."
    )

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(
        "publish time", null=True, blank=True, help_text="Set by Publish; a time still to come means scheduled."
    )
    embargo_until = models.DateTimeField(
        null=True, blank=True, help_text="Nothing publishes the story before this time."
    )
    modified_at = models.DateTimeField(
        "last public update", null=True, blank=True, editable=False, help_text="Last change readers can see."
    )
    review_note = models.TextField("note to the editor", blank=True)
    editor_note = models.TextField("note from the editor", blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    returned_at = models.DateTimeField("returned to the reporter", null=True, blank=True, editable=False)
    retracted_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Curation by editors.
    home_position = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Place on the home page: 1 is the lead story, 2 and up the top stories."
    )
    breaking_until = models.DateTimeField(
        null=True, blank=True, help_text="Show a breaking-news banner across the site until this time."
    )
    related = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="related_by",
        help_text="Chosen by hand; otherwise related stories are automatic.",
    )

    # Live coverage (``articles.live``): the story runs as a live blog of short entries from the start
    # until the end, when the summary of what happened tops the page.
    live = models.BooleanField("live coverage", default=False, editable=False)
    live_started_at = models.DateTimeField("coverage started", null=True, blank=True, editable=False)
    live_ended_at = models.DateTimeField("coverage ended", null=True, blank=True, editable=False)
    live_summary = models.TextField("summary at the end of coverage", blank=True, editable=False)

    word_count = models.PositiveIntegerField(default=0, editable=False)
    # Chosen when the story is published, and again when its tags, section or hand-picked related
    # stories change (``publishing.choose_related``): the page reads them instead of ranking per request.
    related_ids = models.JSONField(default=list, blank=True, editable=False)
    # Kept by save() on PostgreSQL (see ``search_document``); unused and empty on other databases.
    search_document = SearchVectorField(null=True, editable=False)
    # Goes up by one on every save: a form carrying an older number was filled in from a stale copy.
    version = models.PositiveIntegerField(default=1, editable=False)
    # The story's public markup, rendered once after each change that shows on it and read by every
    # request after (``articles.rendering``): empty until then, and again after such a change.
    rendered_head = models.TextField(blank=True, editable=False)
    rendered_article = models.TextField(blank=True, editable=False)
    rendered_teaser = models.TextField(blank=True, editable=False)
    rendered_card = models.TextField(blank=True, editable=False)
    # The teaser with its picture in the home page's grids, with a slot for the grid's image sizes.
    rendered_grid = models.TextField(blank=True, editable=False)
    rendered_result = models.TextField(blank=True, editable=False)  # a search result, its snippet left out
    # The story's entry in RSS and in Atom feeds, as XML (``articles.feeds``).
    rendered_rss = models.TextField(blank=True, editable=False)
    rendered_atom = models.TextField(blank=True, editable=False)
    # The cache tags of what the head and article show, of what the teaser and card show, and of the feed entries.
    rendered_page_tags = models.JSONField(default=list, blank=True, editable=False)
    rendered_teaser_tags = models.JSONField(default=list, blank=True, editable=False)
    rendered_feed_tags = models.JSONField(default=list, blank=True, editable=False)
    # The story's entry in the full-text feeds for aggregators, with the tags of what it shows (``articles.feeds``).
    rendered_full = models.TextField(blank=True, editable=False)
    rendered_full_tags = models.JSONField(default=list, blank=True, editable=False)
    # Goes up with every change that empties the markup: markup rendered from an older version is not kept.
    rendered_version = models.PositiveIntegerField(default=0, editable=False)

    objects = StoryQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["word_count", "search_document", "related_ids", *RENDERING_FIELDS])

    class Meta:
        verbose_name_plural = "stories"
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        permissions = [
            ("publish_story", "Can publish, schedule, unpublish and retract stories"),
            ("edit_any_story", "Can edit every story, including other writers' and published ones"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="story_status_published"),
            models.Index(fields=["section", "status", "-published_at"], name="story_section_published"),
            # Few stories carry a breaking-news banner: the banner and its expiry are read from these alone.
            models.Index(
                fields=["breaking_until"], name="story_breaking_until", condition=Q(breaking_until__isnull=False)
            ),
            # Likewise the few stories editors placed on the home page.
            models.Index(
                fields=["home_position"], name="story_home_position", condition=Q(home_position__isnull=False)
            ),
        ]
        constraints = [
            NotEmpty(field="slug", name="story_slug_not_empty"),
            NotEmpty(field="headline", name="story_headline_not_empty"),
            NotEmpty(field="language", name="story_language_not_empty"),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="story_published_has_time",
            ),
            models.CheckConstraint(
                condition=Q(live=False) | Q(live_started_at__isnull=False), name="story_live_has_start"
            ),
            models.CheckConstraint(
                condition=Q(live_ended_at__isnull=True)
                | Q(live=True, live_started_at__isnull=False, live_ended_at__gte=F("live_started_at")),
                name="story_live_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="published")
                | Q(embargo_until__isnull=True)
                | Q(published_at__gte=F("embargo_until")),
                name="story_respects_embargo",
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.headline, fallback="story")
        self.body = sanitize_body(self.body)
        self.language = bcp47(self.language) or self.language or default_language()
        self.word_count = len(plain_text(self.body).split())
        if not self._state.adding:
            self.version += 1
        update_fields = kwargs.get("update_fields")
        if update_fields is None and not self._state.adding:
            # Every field this copy holds but the stored markup, which an older copy would put back.
            skipped = {*RENDERING_FIELDS, *self.get_deferred_fields()}
            update_fields = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in skipped and field.attname not in skipped
            ]
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "version", *(["word_count"] if "body" in update_fields else [])}
        adding = self._state.adding
        super().save(*args, **kwargs)
        if update_fields is None or "body" in update_fields:
            self._keep_body_pictures(adding=adding)
        searchable = update_fields is None or {"headline", "standfirst", "body"} & set(update_fields)
        if searchable and connections[self._state.db].vendor == "postgresql":
            from articles.tasks import refresh_search_documents

            # Search finds the new text once the worker has run the job (at once when jobs run eagerly).
            enqueue(refresh_search_documents, [self.pk])

    def get_absolute_url(self):
        return reverse("articles:story_detail", kwargs={"slug": self.slug})

    def _keep_body_pictures(self, *, adding: bool) -> None:
        """Relate the library pictures the body places (``body_pictures``), those still in the library."""
        placed = picture_ids(self.body)
        if adding and not placed:
            return
        pictures = self._meta.get_field("body_pictures").related_model.objects.filter(pk__in=placed)
        self.body_pictures.set(list(pictures.values_list("pk", flat=True)) if placed else [])

    def clean(self):
        # Derive the slug before validation, so its constraints check what save() will store.
        if not self.slug:
            self.slug = unique_slug(self, self.headline, fallback="story")
        # The same rule as the story_respects_embargo constraint, as a form error instead of a database error.
        if (
            self.status == self.Status.PUBLISHED
            and self.embargo_until
            and self.published_at
            and self.published_at < self.embargo_until
        ):
            raise ValidationError(
                {"embargo_until": "The story is published or scheduled before this time: unpublish it first."}
            )

    def canonical_url(self, publication) -> str:
        """The address search engines should credit: the syndicated original if its source asks, else our page."""
        if self.original_url and self.source_id and self.source.canonical_to_original:
            return self.original_url
        return publication.absolute_url(self.get_absolute_url())

    def is_published(self, now: datetime | None = None) -> bool:
        """Row-level twin of ``StoryQuerySet.published``."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= (now or timezone.now())
        )

    def is_scheduled(self, now: datetime | None = None) -> bool:
        """Published with a publish time still to come."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > (now or timezone.now())
        )

    @property
    def is_retracted(self) -> bool:
        """Taken off every public page by an editor; kept with its history."""
        return self.status == self.Status.RETRACTED

    @property
    def byline_authors(self) -> list:
        """Authors in byline order (uses the bylines read with the story when there are some)."""
        bylines = getattr(self, "byline_list", None)
        return [byline.author for byline in (self.bylines.all() if bylines is None else bylines)]

    @property
    def byline(self) -> str:
        """The authors' names as a byline reads them: "Ann", "Ann and Bo", "Ann, Bo and Cy" ("" for none)."""
        names = [author.name for author in self.byline_authors]
        return " and ".join(filter(None, [", ".join(names[:-1]), names[-1]])) if names else ""

    @property
    def source_byline(self) -> str:
        """The source's byline ("By The Citizen") for syndicated copy that no one on the staff is bylined on;
        "" when the story has staff bylines or no source."""
        if self.source_id is None or self.byline_authors:
            return ""
        return self.source.byline

    @property
    def byline_list(self) -> list["Byline"]:
        """The bylines, with their authors' names and slugs, as ``for_listing`` read them with the story.

        Missing (AttributeError) on a story read otherwise, as ``getattr(story, "byline_list", None)`` expects.
        """
        if not hasattr(self, "byline_rows"):
            raise AttributeError("byline_list: the story was not read with its bylines (for_listing)")

        def byline(row: dict) -> Byline:
            fields = {"id": row["byline"], "story_id": self.pk, "position": row["at"]}
            byline = json_instance(Byline, fields, self._state.db)
            byline.author = json_instance(Author, row, self._state.db)
            return byline

        return self._from_rows("byline_rows", itemgetter("at", "byline"), byline)

    @property
    def feed_tags(self) -> list[Tag]:
        """The tags in the order they were given, as ``for_feed`` and ``for_detail`` read them with the story."""
        if not hasattr(self, "tag_rows"):
            raise AttributeError("feed_tags: the story was not read with its tags (for_feed, for_detail)")
        return self._from_rows("tag_rows", itemgetter("item"), Tag)

    def _from_rows(self, name: str, order, build) -> list:
        """Objects built from the JSON rows in ``name`` (a model, or a function of a row), in ``order``.

        Built once per story object: a page asks for them more than once.
        """
        built = self.__dict__.setdefault("_built_from_rows", {})
        if name not in built:
            if isinstance(build, type):
                model, build = build, lambda row: json_instance(model, row, self._state.db)
            built[name] = [build(row) for row in sorted(getattr(self, name) or [], key=order)]
        return built[name]

    def _cache_relations_from_rows(self) -> None:
        """Put the bylines, tags, quotes and corrections ``for_detail`` read where prefetching puts them,
        so ``story.tags.all()``, ``story.quotes.all()`` and the like answer without a query."""
        db = self._state.db

        def quote(row: dict) -> Quote:
            quote = json_instance(Quote, row, db)
            person = {name.removeprefix("person_"): value for name, value in row.items() if name.startswith("person_")}
            person["has_profile"] = bool(person["has_profile"])  # 0 or 1 in SQLite's JSON
            quote.person = json_instance(Person, person, db)
            return quote

        def correction(row: dict) -> Correction:
            return json_instance(Correction, {**row, "created_at": json_datetime(row["created_at"])}, db)

        corrections = sorted(
            self._from_rows("correction_rows", itemgetter("id"), correction), key=lambda c: (c.created_at, c.pk)
        )
        relations = {
            "bylines": self.byline_list,
            "tags": self.feed_tags,
            "quotes": self._from_rows("quote_rows", itemgetter("position", "id"), quote),
            "corrections": corrections,
        }
        cache_as_prefetched(self, relations)

    @property
    def caption(self) -> str:
        return self.hero_caption or (self.hero_image.caption if self.hero_image else "")

    @property
    def quoted_people(self) -> list["QuotedPerson"]:
        """Who the story quotes, each once in order of first quote, with only the quotes its body lacks.

        The body carries a quote's words in their context; "Who said what" names who said them, and
        repeats words only where they were added beside the body rather than in it.
        """
        body = comparable_text(plain_text(self.body))
        people: dict[int, QuotedPerson] = {}
        for quote in self.quotes.all():
            entry = people.setdefault(
                quote.person_id, QuotedPerson(quote.person, quote.introduction or quote.person.description, [])
            )
            if not is_carried_by(quote.text, body):
                entry.extra_quotes.append(quote)
        return list(people.values())

    @property
    def primary_language(self) -> str:
        """The story's language without script or region ("nb" for "nb-NO"), as news sitemaps name it."""
        return primary_subtag(self.language)

    @property
    def is_opinion(self) -> bool:
        return self.kind == self.Kind.COMMENTARY

    @property
    def reading_minutes(self) -> int:
        return max(1, round(self.word_count / 230))

    @property
    def last_public_change(self):
        """When readers last saw the story change: its last public update, or its publish time."""
        if self.modified_at and (self.published_at is None or self.modified_at > self.published_at):
            return self.modified_at
        return self.published_at

    @property
    def coverage_running(self) -> bool:
        """A live blog whose coverage has not ended: readers are told to expect new entries."""
        return self.live and self.live_ended_at is None

    @property
    def was_updated(self) -> bool:
        """Whether readers should see an "Updated" time next to the publish time."""
        return bool(self.modified_at and self.published_at and self.modified_at > self.published_at)

    def related_story_ids(self, limit: int = 4) -> list[int]:
        """Ids of the stories to offer after this one, best first.

        Hand-picked stories first, then those sharing the most tags, then the latest from the same
        section. Stories sharing tags are shortlisted from the tag index first (the most shared tags,
        newest first), so the cost stays small however many stories carry a popular tag. Uses the
        prefetched tags; two queries at most.
        """
        picked = Story.related.through.objects.filter(from_story_id=self.pk).values("to_story_id").order_by()
        candidates, shared = picked, Value(0)
        tag_ids = [tag.pk for tag in self.tags.all()]
        if tag_ids:
            tagged = TaggedItem.objects.filter(
                content_type__app_label="articles", content_type__model="story", tag_id__in=tag_ids
            ).exclude(object_id=self.pk)
            shortlist = (
                tagged.values("object_id").annotate(n=Count("pk")).order_by("-n", "-object_id").values("object_id")
            )
            sharing = Story.objects.filter(pk__in=shortlist[:RELATED_SHORTLIST]).values("pk").order_by()
            candidates = picked.union(sharing)
            per_story = tagged.filter(object_id=OuterRef("pk")).order_by().values("object_id")
            shared = Coalesce(Subquery(per_story.annotate(n=Count("pk")).values("n")[:1]), 0)
        others = Story.objects.published().exclude(pk=self.pk)
        chosen = list(
            others.filter(pk__in=candidates)
            .annotate(is_picked=Exists(picked.filter(to_story_id=OuterRef("pk"))), shared_tags=shared)
            .order_by("-is_picked", "-shared_tags", "-published_at", "-pk")
            .values_list("pk", flat=True)[:limit]
        )
        if len(chosen) < limit and self.section_id:
            newest = others.in_section(self.section_id).exclude(pk__in=chosen).order_by("-published_at", "-pk")
            chosen += newest.values_list("pk", flat=True)[: limit - len(chosen)]
        return chosen


def public_tags() -> models.QuerySet:
    """Tags readers may see: those on at least one published story (a draft's tags stay private)."""
    return Tag.objects.filter(pk__in=Story.objects.published().values("tags"))


# Tags live in taggit's own table; keeping its history here lets a story revision show and restore its tags.
simple_history.register(TaggedItem, app="articles")
