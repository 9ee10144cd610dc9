"""Second-factor pages: confirm a one-time code after the password, or enrol an authenticator app."""

import base64

import segno
from axes.helpers import get_cool_off
from django.contrib import admin
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms import OneTimeCodeForm
from accounts.twofactor import awaiting_second_factor, second_factor_required


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
    form = OneTimeCodeForm(device, request.POST if request.method == "POST" else None)
    if form.is_valid():
        _finish_sign_in(request, device)
        return redirect(safe_next(request))
    return _page(request, "accounts/second_factor.html", {"form": form, "title": "Confirm it is you"})


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
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = OneTimeCodeForm(device, request.POST if request.method == "POST" else None)
    if form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        _finish_sign_in(request, device)
        return redirect(safe_next(request))
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
