"""Second-factor pages: confirm a one-time code after the password, enrol an authenticator app, backup codes."""

import base64

import segno
from axes.helpers import get_cool_off
from django.contrib import admin, messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import throttles
from accounts.forms import OneTimeCodeForm, SignInCodeForm
from accounts.twofactor import (
    APP_DEVICE_NAME,
    awaiting_second_factor,
    backup_device,
    issue_backup_codes,
    second_factor_required,
)
from audit import record
from audit.models import Action
from newsroom.wording import counted


def locked_out(request, response=None, credentials=None):
    """The page a paused sign-in gets (django-axes' lockout response): the admin's look, the wait in minutes."""
    minutes = max(1, round(get_cool_off(request).total_seconds() / 60))
    context = {**admin.site.each_context(request), "cooloff_minutes": minutes}
    return render(request, "accounts/locked_out.html", context, status=429)


def safe_next(request) -> str:
    """The ``next`` address when it stays on this site, otherwise the admin's front page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("admin:index")


def _with_next(name: str, request) -> str:
    return f"{reverse(name)}?{urlencode({'next': safe_next(request)})}"


def _finish_sign_in(request, device) -> None:
    # A new session key for the elevated session, so a key seen before the second factor is useless.
    request.session.cycle_key()
    request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id


def _page(request, template: str, context: dict):
    context = {**admin.site.each_context(request), "next": safe_next(request), **context}
    return render(request, template, context)


@never_cache
@sensitive_post_parameters("code")
def second_factor(request):
    """Ask a signed-in user for the one-time code from their enrolled authenticator app."""
    user = request.signed_in_user
    if not user.is_authenticated:
        return redirect(_with_next("admin:login", request))
    if request.method == "POST" and "sign_out" in request.POST:
        logout(request)
        return redirect("admin:login")
    if not awaiting_second_factor(user):
        return redirect(safe_next(request))
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return redirect(_with_next("admin:second_factor_setup", request))
    posted = request.method == "POST"
    if posted and (wait := throttles.code_wait(request)):
        return throttles.paused(request, wait, throttles.CODE_PAUSED)
    form = SignInCodeForm(device, backup_device(user), request.POST if posted else None)
    if form.is_valid():
        _finish_sign_in(request, form.used_device)
        if form.used_device == device:
            record(action=Action.SECOND_FACTOR_PASSED, actor=user, obj=user)
        else:
            _backup_code_used(request, user, form.used_device)
        return redirect(safe_next(request))
    if posted:
        throttles.code_failed(request)
        record(action=Action.SECOND_FACTOR_FAILED, actor=user, obj=user)
    return _page(request, "accounts/second_factor.html", {"form": form, "title": "Confirm it is you"})


def _backup_code_used(request, user, device) -> None:
    left = device.token_set.count()
    record(action=Action.BACKUP_CODE_USED, actor=user, obj=user, details={"left": left})
    messages.warning(
        request,
        f"You signed in with a backup code; {counted(left, 'code is', 'codes are')} left. "
        "Lost your phone? Ask an admin to reset your two-step sign-in so you can set up a new one.",
    )


@never_cache
@sensitive_post_parameters("code")
def second_factor_setup(request):
    """Enrol an authenticator app: scan the QR code (or type the key), then confirm one code."""
    user = request.signed_in_user
    if not user.is_authenticated:
        return redirect(_with_next("admin:login", request))
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        # Replacing a device needs an admin to remove the old one first: a stolen password alone
        # must never be enough to add a second device.
        return redirect(_with_next("admin:second_factor", request))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    form = OneTimeCodeForm(device, request.POST if request.method == "POST" else None)
    if form.is_valid():
        device.confirmed, device.name = True, APP_DEVICE_NAME
        device.save(update_fields=["confirmed", "name"])
        _finish_sign_in(request, device)
        record(action=Action.SECOND_FACTOR_ENROLLED, actor=user, obj=user)
        return _show_backup_codes(request, issue_backup_codes(user=user))
    context = {
        "form": form,
        "title": "Set up two-step sign-in",
        # A reporter (unless the newsroom requires it of reporters too) may carry on without it.
        "optional": not second_factor_required(user),
        # segno draws the code from our own otpauth:// address: the SVG holds only path data.
        "qr_svg": mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=5, border=2)),
        "secret": base64.b32encode(device.bin_key).decode(),
    }
    return _page(request, "accounts/second_factor_setup.html", context)


def _show_backup_codes(request, codes: list[str]):
    """The one and only time these codes are shown: never stored or sent anywhere else in readable form."""
    context = {"codes": codes, "title": "Your backup codes"}
    return _page(request, "accounts/backup_codes.html", context)


@never_cache
@sensitive_post_parameters("code")
def backup_codes(request):
    """How many backup codes are left, and new ones (the old stop working) after a current code."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return redirect(_with_next("admin:second_factor_setup", request))
    backup = backup_device(user)
    form = SignInCodeForm(device, backup, request.POST if request.method == "POST" else None)
    if form.is_valid():
        return _show_backup_codes(request, issue_backup_codes(user=user))
    if form.is_bound:
        record(action=Action.SECOND_FACTOR_FAILED, actor=user, obj=user, details={"for": "new backup codes"})
    left = backup.token_set.count() if backup else 0
    context = {"form": form, "left": left, "title": "Backup codes"}
    return _page(request, "accounts/backup_codes_renew.html", context)
