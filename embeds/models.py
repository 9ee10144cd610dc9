"""What the site keeps of an embedded post, video or document: fetched once from the provider at save time.

A row per link (the address as it stands in story bodies). Pages show the facade from it; the
reader's browser asks the provider for nothing until the reader presses the button.
"""

from django.db import models

from embeds.providers import BY_KEY, PROVIDERS
from newsroom.constraints import NotEmpty

TITLE_CHARS, ERROR_CHARS = 300, 300


class EmbedQuerySet(models.QuerySet):
    def for_urls(self, urls) -> "EmbedQuerySet":
        """The embeds of these links."""
        return self.filter(url__in=set(urls))

    def waiting(self) -> "EmbedQuerySet":
        """Embeds never fetched: their job was lost, or is still to run."""
        return self.filter(fetched_at__isnull=True)


class Embed(models.Model):
    url = models.URLField("link", max_length=2000, unique=True)
    provider = models.CharField(max_length=20, choices=[(p.key, p.name) for p in PROVIDERS])
    title = models.CharField(max_length=TITLE_CHARS, blank=True)
    author_name = models.CharField("author", max_length=200, blank=True)
    author_url = models.URLField("author's page", max_length=500, blank=True)
    # A copy on our own storage: a reader's browser never asks the provider for it.
    thumbnail = models.ImageField(upload_to="embeds/", blank=True)
    player_url = models.URLField("player", max_length=2500, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=ERROR_CHARS, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EmbedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            NotEmpty(field="url", name="embed_url_not_empty"),
        ]

    def __str__(self):
        return self.title or self.url

    @property
    def provider_name(self) -> str:
        provider = BY_KEY.get(self.provider)
        return provider.name if provider else self.provider

    @property
    def kind(self) -> str:
        provider = BY_KEY.get(self.provider)
        return provider.kind if provider else "post"

    def is_playable(self) -> bool:
        """Whether pages show the facade and its player (else a plain link): fetched, without error."""
        return bool(self.fetched_at and not self.error and self.player_url)
