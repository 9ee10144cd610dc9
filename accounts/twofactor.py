"""Who must confirm a one-time code (TOTP) after their password before using the admin."""

from django.conf import settings
from django_otp import user_has_device

from articles import roles


def second_factor_required(user) -> bool:
    """Staff need a second factor, except reporters (unless configured); an enrolled device is always used."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user_has_device(user):
        return True
    if not user.is_staff:
        return False
    held = set(user.groups.values_list("name", flat=True))
    if held == {roles.REPORTER}:
        return settings.NEWSROOM_OTP_REQUIRED_FOR_REPORTERS
    return True


def is_verified(user) -> bool:
    """Whether this session confirmed a one-time code (django-otp's middleware sets ``is_verified``)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def awaiting_second_factor(user) -> bool:
    """Signed in with a password, but still owing the one-time code this account requires."""
    return user.is_authenticated and not is_verified(user) and second_factor_required(user)
