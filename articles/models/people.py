"""People in the news: the staff who write it and the people quoted in it."""

import functools

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.db.models.query import ModelIterable
from django.urls import reverse
from simple_history.models import HistoricalRecords

from articles import roles
from articles.models.publication import SocialLinkBase
from articles.slugs import unique_slug
from newsroom.constraints import NotEmpty
from newsroom.jsonrows import cache_as_prefetched, json_instance, json_rows


class AuthorWithLinksIterable(ModelIterable):
    """Authors read by ``with_links``, their links cached as prefetched from the JSON rows read with them."""

    def __iter__(self):
        for author in super().__iter__():
            links = [json_instance(AuthorLink, row, author._state.db) for row in author.link_rows or []]
            cache_as_prefetched(author, {"links": sorted(links, key=lambda link: (link.position, link.pk))})
            yield author


@functools.cache  # built once: making the subquery costs more than running it
def _link_rows() -> Subquery:
    return json_rows(
        AuthorLink.objects.filter(author=OuterRef("pk")), id="id", platform="platform", url="url", position="position"
    )


class AuthorQuerySet(models.QuerySet):
    def with_published_stories(self) -> "AuthorQuerySet":
        """Authors with at least one story the public can read."""
        from articles.models.stories import Story

        return self.filter(pk__in=Story.objects.published().values("authors"))

    def with_links(self) -> "AuthorQuerySet":
        """Authors with their own links (``author.links.all()``) read in the same query, as JSON rows."""
        authors = self.annotate(link_rows=_link_rows())
        authors._iterable_class = AuthorWithLinksIterable
        return authors


class Author(models.Model):
    """A byline: the public profile of someone who writes for the publication."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True, allow_unicode=True, blank=True)
    role = models.CharField(max_length=120, blank=True, help_text='For example "Senior reporter".')
    bio = models.TextField(blank=True)
    photo = models.ForeignKey("media.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text="The staff account that writes under this byline, if any.",
    )

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [NotEmpty(field="slug", name="author_slug_not_empty")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name, fallback="author")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:author_detail", kwargs={"slug": self.slug})

    def clean(self):
        # Derive the slug before validation, so its constraints check what save() will store.
        if not self.slug:
            self.slug = unique_slug(self, self.name, fallback="author")


class AuthorLink(SocialLinkBase):
    """One of an author's own social accounts."""

    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="links")

    class Meta(SocialLinkBase.Meta):
        constraints = [models.CheckConstraint(condition=Q(url__startswith="https://"), name="authorlink_url_https")]


class PersonQuerySet(models.QuerySet):
    def public(self) -> "PersonQuerySet":
        """People with a public page: public figures quoted in a story the public can read.

        Members of the public quoted in passing have none, and neither has anyone quoted only in
        unpublished stories, so the people of an investigation cannot be found by guessing.
        """
        from articles.models.stories import Quote, Story

        return self.filter(
            has_profile=True, pk__in=Quote.objects.filter(story__in=Story.objects.published()).values("person")
        )

    def visible_to(self, user) -> "PersonQuerySet":
        """People ``user`` may find and pick in the admin (row twin: ``Person.is_visible_to``).

        Editors see everyone. Others see public figures, people quoted in a published story or in a
        story they may open, and people no story quotes yet: someone quoted only in another writer's
        unpublished story stays out of sight, as that story does.
        """
        from articles.models.stories import Quote, Story

        if not user.has_perm(roles.VIEW_PERSON):
            return self.none()
        if roles.can_edit_any_story(user):
            return self
        stories = Story.objects.published() | Story.objects.visible_to(user)
        seen = Quote.objects.filter(story__in=stories)
        return self.filter(
            Q(has_profile=True) | Q(pk__in=seen.values("person")) | ~Q(pk__in=Quote.objects.values("person"))
        )


class Person(models.Model):
    """Someone quoted in a story: an official with a public page, or a member of the public."""

    name = models.CharField(max_length=120, help_text='A member of the public may be a first name only, e.g. "Anton".')
    slug = models.SlugField(max_length=120, unique=True, allow_unicode=True, blank=True)
    description = models.CharField(
        max_length=200, blank=True, help_text='Who they are, for example "Minister of Finance".'
    )
    photo = models.ForeignKey("media.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    has_profile = models.BooleanField(
        "public figure",
        default=False,
        help_text=(
            "Tick for officials and others quoted in their public role: they get a page listing what they said. "
            "Members of the public are named in stories but get no page of their own."
        ),
    )

    objects = PersonQuerySet.as_manager()
    # Merges and splits change who said what: each person's record of them is kept.
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [NotEmpty(field="slug", name="person_slug_not_empty")]

    def __str__(self):
        return f"{self.name} ({self.description})" if self.description else self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name, fallback="person")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        if not self.has_profile:
            return ""
        return reverse("articles:person_detail", kwargs={"slug": self.slug})

    def clean(self):
        # Derive the slug before validation, so its constraints check what save() will store.
        if not self.slug:
            self.slug = unique_slug(self, self.name, fallback="person")

    def is_visible_to(self, user) -> bool:
        """Row twin of ``PersonQuerySet.visible_to``."""
        return Person.objects.visible_to(user).filter(pk=self.pk).exists()
