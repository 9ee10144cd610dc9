"""Who must confirm a one-time code (TOTP) after their password, and how a lost phone is recovered.

Recovery is by single-use backup codes (django-otp's static device), shown once when issued, or by an
admin resetting a colleague's second factor so that they enrol again at their next sign-in. Both
leave an entry in the audit log.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles import roles
from audit import record
from audit.models import Action

APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
# An authenticator app not set up yet that must be, because an admin reset the account's second factor.
RESET_DEVICE_NAME = "Authenticator app (set up again after a reset)"


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
        return settings.NEWSROOM_OTP_REQUIRED_FOR_REPORTERS or _owes_enrolment(user)
    return True


def _owes_enrolment(user) -> bool:
    return TOTPDevice.objects.filter(user=user, name=RESET_DEVICE_NAME, confirmed=False).exists()


def is_verified(user) -> bool:
    """Whether this session confirmed a one-time code (django-otp's middleware sets ``is_verified``)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def awaiting_second_factor(user) -> bool:
    """Signed in with a password, but still owing the one-time code this account requires."""
    return user.is_authenticated and not is_verified(user) and second_factor_required(user)


def backup_device(user) -> StaticDevice | None:
    """The user's backup codes, if they were ever issued."""
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def normalized_backup_code(text: str) -> str:
    """A backup code as stored: typed with any case, spaces or dashes."""
    return "".join(text.split()).replace("-", "").lower()


def shown_backup_code(code: str) -> str:
    """A backup code as the user reads it: two groups of four."""
    return f"{code[:4]}-{code[4:]}"


def issue_backup_codes(*, user) -> list[str]:
    """New single-use backup codes for ``user``, to be shown once; every earlier code stops working."""
    count = settings.NEWSROOM_BACKUP_CODE_COUNT
    codes = [StaticToken.random_token() for _ in range(count)]
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()  # and with it every unused code
        device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
        record(action=Action.BACKUP_CODES_ISSUED, actor=user, obj=user, details={"count": count})
    return [shown_backup_code(code) for code in codes]


def can_reset_second_factor(by, user) -> bool:
    """Admins who manage accounts reset a colleague's second factor; nobody their own, only superusers a superuser's."""
    if by is None:
        return True  # the system itself (a management command)
    if by.pk == user.pk or not by.has_perm(roles.CHANGE_USER):
        return False
    return by.is_superuser or not user.is_superuser


def reset_second_factor(*, user, by) -> int:
    """Remove every device of ``user`` (authenticator app and backup codes); returns how many.

    Their sessions lose the second factor at once, and their next sign-in asks them to enrol again
    (reporters too, for whom a second factor is otherwise optional).
    """
    if not can_reset_second_factor(by, user):
        raise PermissionDenied("You may not reset this person's two-step sign-in.")
    with transaction.atomic():
        devices = list(devices_for_user(user, confirmed=None))
        for device in devices:
            device.delete()
        TOTPDevice.objects.create(user=user, name=RESET_DEVICE_NAME, confirmed=False)
        record(action=Action.SECOND_FACTOR_RESET, actor=by, obj=user, details={"devices_removed": len(devices)})
    return len(devices)
