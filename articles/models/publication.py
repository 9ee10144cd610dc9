"""The publication itself and its social accounts."""

from urllib.parse import urlsplit

from django.db import models
from django.db.models import Q

from articles.fields import WebAddressField
from articles.validators import https_url


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    X = "x", "X (Twitter)"
    TIKTOK = "tiktok", "TikTok"
    INSTAGRAM = "instagram", "Instagram"
    YOUTUBE = "youtube", "YouTube"
    WHATSAPP = "whatsapp", "WhatsApp"
    LINKEDIN = "linkedin", "LinkedIn"
    THREADS = "threads", "Threads"
    BLUESKY = "bluesky", "Bluesky"
    MASTODON = "mastodon", "Mastodon"
    TELEGRAM = "telegram", "Telegram"
    WEBSITE = "website", "Website"


# How each platform is named in running text ("Follow us on Facebook, Twitter and TikTok").
PLATFORM_SHORT_NAMES = {Platform.X: "X"}


def https_only(field_name: str = "url") -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field_name}__startswith": "https://"}), name="%(class)s_url_https")


class Publication(models.Model):
    """The one publication this installation runs (row id 1)."""

    name = models.CharField(max_length=100, default="Newsroom")
    tagline = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True, help_text="Used for the home page description and feeds.")
    base_url = WebAddressField(
        default="http://127.0.0.1:8000",
        help_text="The public address of the site, used in feeds, sitemaps and share links.",
    )
    language = models.CharField(max_length=10, default="en")
    logo = models.ForeignKey("media.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="publication_single_row")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "Publication":
        """The publication row, created with defaults the first time it is asked for."""
        publication, _ = cls.objects.get_or_create(pk=1)
        return publication

    def absolute_url(self, path: str) -> str:
        """``path`` on the public site at ``base_url``; an address that is already absolute is kept."""
        if path.startswith("//"):
            return f"{urlsplit(self.base_url).scheme}:{path}"
        if urlsplit(path).scheme:
            return path
        return self.base_url.rstrip("/") + path


class SocialLinkBase(models.Model):
    platform = models.CharField(max_length=20, choices=Platform.choices)
    url = WebAddressField("link", validators=[https_url])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.get_platform_display()}: {self.url}"

    @property
    def platform_name(self) -> str:
        return PLATFORM_SHORT_NAMES.get(self.platform, self.get_platform_display())


class SocialLinkQuerySet(models.QuerySet):
    def active(self) -> "SocialLinkQuerySet":
        """Links shown to readers: the active ones, in the admin's order."""
        return self.filter(is_active=True).order_by("position", "pk")


class SocialLink(SocialLinkBase):
    """One of the publication's social accounts, shown in "Follow us" lines."""

    is_active = models.BooleanField("active", default=True)

    objects = SocialLinkQuerySet.as_manager()

    class Meta(SocialLinkBase.Meta):
        constraints = [https_only()]
