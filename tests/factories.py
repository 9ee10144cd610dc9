"""Test data builders: plain functions with sensible defaults, one place for the whole suite."""

import io
import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image as PILImage

from articles.models import Author, AuthorLink, Byline, Correction, Person, Quote, Section, SocialLink, Source, Story
from media.models import Image

_counter = itertools.count(1)


def jpeg_bytes(width: int = 64, height: int = 48, color=(200, 40, 40)) -> bytes:
    return picture_bytes("JPEG", (width, height), color)


def picture_bytes(image_format: str = "JPEG", size=(64, 48), color=(200, 40, 40), mode: str = "RGB", **options):
    """A real picture file made by Pillow; ``options`` go to the encoder (exif=, comment=, ...)."""
    buffer = io.BytesIO()
    PILImage.new(mode, size, color).save(buffer, image_format, **options)
    return buffer.getvalue()


def make_user(username: str | None = None, *, password: str = "correct-horse-battery", **fields):
    username = username or f"user{next(_counter)}"
    return get_user_model().objects.create_user(username=username, password=password, **fields)


def make_staff(username: str | None = None, *, roles=(), **fields):
    """A staff account in the given role groups ("Reporter", "Editor", "Admin")."""
    user = make_user(username, is_staff=True, **fields)
    user.groups.add(*(Group.objects.get_or_create(name=role)[0] for role in roles))
    return user


def make_totp_device(user, *, confirmed: bool = True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=confirmed)


def totp_code(device: TOTPDevice) -> str:
    """The code the user's authenticator app shows right now for ``device``."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{code:0{device.digits}d}"


def log_in(client, user):
    """Sign ``user`` in on ``client`` completely: a session plus a confirmed second factor.

    Staff sessions without the second factor count as anonymous, so tests of staff pages use this
    rather than ``client.force_login`` alone (``client.login`` needs a request for django-axes).
    """
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or make_totp_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def make_section(name: str | None = None, **fields) -> Section:
    return Section.objects.create(name=name or f"Section {next(_counter)}", **fields)


def make_author(name: str | None = None, **fields) -> Author:
    return Author.objects.create(name=name or f"Author {next(_counter)}", **fields)


def make_person(name: str | None = None, **fields) -> Person:
    """A public figure (with a page of their own) unless ``has_profile=False``."""
    return Person.objects.create(name=name or f"Person {next(_counter)}", **{"has_profile": True, **fields})


def make_source(name: str = "The Citizen", **fields) -> Source:
    return Source.objects.get_or_create(name=name, defaults=fields)[0]


def make_image(*, width: int = 64, height: int = 48, **fields) -> Image:
    """A library picture; small by default so its renditions (made on save) stay cheap."""
    defaults = {"alt_text": "A street market at dusk", "credit": "Staff photographer", "caption": "Traders pack up."}
    defaults |= fields
    upload = SimpleUploadedFile("market.jpg", jpeg_bytes(width, height), content_type="image/jpeg")
    return Image.objects.create(file=upload, **defaults)


def make_story(
    headline: str | None = None,
    *,
    status: str = Story.Status.PUBLISHED,
    published_at=None,
    section: Section | None = None,
    authors=(),
    tags=(),
    **fields,
) -> Story:
    """A story; published an hour ago unless told otherwise."""
    if status == Story.Status.PUBLISHED and published_at is None:
        published_at = timezone.now() - timedelta(hours=1)
    story = Story.objects.create(
        headline=headline or f"Story number {next(_counter)}",
        status=status,
        published_at=published_at,
        section=section,
        standfirst=fields.pop("standfirst", "A short summary of what happened."),
        body=fields.pop("body", "<p>The first paragraph.</p><h2>A subheading</h2><p>More words.</p>"),
        **fields,
    )
    for position, author in enumerate(authors):
        Byline.objects.create(story=story, author=author, position=position)
    if tags:
        story.tags.add(*tags)
    return story


def make_quote(story: Story, person: Person, text: str = "We will keep going.", **fields) -> Quote:
    return Quote.objects.create(story=story, person=person, text=text, **fields)


def make_social_link(platform: str = "facebook", url: str = "https://www.facebook.com/example", **fields):
    return SocialLink.objects.create(platform=platform, url=url, **fields)


def make_correction(story: Story, text: str = "An earlier version misspelt a name.", **fields) -> Correction:
    return Correction.objects.create(story=story, text=text, **fields)


def make_author_link(author: Author, platform: str = "x", url: str = "https://x.com/reporter", **fields) -> AuthorLink:
    return AuthorLink.objects.create(author=author, platform=platform, url=url, **fields)


def ready_story(headline: str = "Council approves new bus routes", **fields) -> Story:
    """A draft that passes the publishing checklist."""
    fields.setdefault("status", Story.Status.DRAFT)
    fields.setdefault("section", make_section())
    fields.setdefault("authors", [make_author()])
    return make_story(headline, **fields)
