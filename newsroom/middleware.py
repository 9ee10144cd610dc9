"""Project-wide middleware: the Content-Security-Policy for public pages and for the admin."""

from csp.middleware import CSPMiddleware
from django import forms
from django.conf import settings
from django.urls import reverse
from js_asset import Media


def is_admin_path(request) -> bool:
    """Whether the request is for the staff admin (which has its own, looser, style policy)."""
    return request.path_info.startswith(reverse("admin:index"))


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
