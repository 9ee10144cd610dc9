"""Project-wide middleware: refusing NUL bytes in addresses, and the Content-Security-Policy."""

from csp.middleware import CSPMiddleware
from django import forms
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse
from js_asset import Media


def is_admin_path(request) -> bool:
    """Whether the request is for the staff admin (which has its own, looser, style policy)."""
    return request.path_info.startswith(reverse("admin:index"))


class NulByteInAddress(SuspiciousOperation):
    """A NUL byte in the path or query string (Django answers SuspiciousOperation with the 400 page)."""


def has_nul_byte(request) -> bool:
    """Whether the request's path or query string holds a NUL byte."""
    if "\x00" in request.path:
        return True
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists())


class RejectNulBytesMiddleware:
    """No address ever needs a NUL byte, and PostgreSQL refuses them in text: answer 400 at once.

    Forms already refuse NUL bytes with a field error (Django's CharField validator); this covers
    what reaches queries without a form, such as admin list filters and API parameters.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_nul_byte(request):
            raise NulByteInAddress("NUL byte in the request address")
        return self.get_response(request)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp, with ``NEWSROOM_ADMIN_CSP`` for the admin and the nonce on admin form media.

    Form media in the admin includes the rich-text editor's inline import map; carrying the
    request's nonce lets it run while the policy still refuses every other inline script.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and is_admin_path(request):
            parts.config = settings.NEWSROOM_ADMIN_CSP
        return parts

    def process_template_response(self, request, response):
        media = (response.context_data or {}).get("media")
        if isinstance(media, forms.Media):
            response.context_data["media"] = Media.from_media(media, nonce=request.csp_nonce)
        return response
