"""Readers' pages of newsletters: subscribing, confirming, leaving a list, and browser alerts.

The subscribe form sits on the home page, which the page cache shares among all readers, so it
carries no CSRF token. Its endpoint takes none: it only ever sends a confirmation message (the same
thing anyone typing the address would cause), refuses posts whose Origin is another site, and is
throttled per address. Confirming and leaving take a signed link instead of a token: the signature
proves the request was made for that reader, which is what CSRF protection would establish.
"""

import base64
import json
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from newsletters import links, push, subscriptions
from newsletters.forms import PushSubscriptionForm, SubscribeForm
from newsletters.models import Delivery, NewsletterList, PushSubscription, Subscriber
from newsroom import throttles

# A transparent 1x1 GIF.
GIF = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==")


def _private(response):
    add_never_cache_headers(response)
    return response


def _from_another_site(request) -> bool:
    """A browser's post from a page elsewhere (Origin or Sec-Fetch-Site say so)."""
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        return True
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return origin == "null"
    trusted = {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}
    return origin not in trusted and urlsplit(origin).netloc != request.get_host()


@csrf_exempt
@require_POST
def subscription_create(request):
    """The home page's form: record the wish and send the confirmation message."""
    if _from_another_site(request):
        return HttpResponseForbidden("Subscribe from the site's own form.")
    wait = throttles.hit(request, "subscribe")
    if wait is not None:
        return throttles.too_many_requests(request, wait, reason="Too many sign-ups from this address.")
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        context = {"form": form, "lists": NewsletterList.objects.offered(), "checked": request.POST.getlist("lists")}
        response = render(request, "newsletters/subscription_create.html", context, status=400)
        return _private(response)
    subscriptions.subscribe(email=form.cleaned_data["email"], lists=form.cleaned_data["lists"])
    context = {"email": form.cleaned_data["email"], "lists": form.cleaned_data["lists"]}
    return _private(render(request, "newsletters/subscription_created.html", context))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def subscription_confirm(request, token):
    """GET shows a button (mail scanners follow links; they do not press buttons); POST confirms."""
    read = links.read_confirm_token(token)
    if read is None:
        return _private(render(request, "newsletters/link_invalid.html", status=404))
    subscriber_id, list_ids = read
    if request.method == "GET":
        lists = NewsletterList.objects.filter(pk__in=list_ids, subscriptions__subscriber_id=subscriber_id)
        return _private(render(request, "newsletters/subscription_confirm.html", {"lists": lists}))
    confirmed = subscriptions.confirm(subscriber_id=subscriber_id, list_ids=list_ids)
    if not confirmed:
        return _private(render(request, "newsletters/link_invalid.html", status=404))
    return _private(render(request, "newsletters/subscription_confirmed.html", {"lists": confirmed}))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def subscription_unsubscribe(request, token):
    """Leave one list: GET asks, POST leaves. Mail programs' one-click unsubscribe (RFC 8058) is the POST."""
    read = links.read_unsubscribe_token(token)
    if read is None:
        return _private(render(request, "newsletters/link_invalid.html", status=404))
    subscriber_id, list_id = read
    newsletter = NewsletterList.objects.filter(pk=list_id).first()
    if request.method == "GET":
        subscribed = newsletter is not None and newsletter.subscriptions.filter(subscriber_id=subscriber_id).exists()
        context = {"newsletter": newsletter, "subscribed": subscribed}
        return _private(render(request, "newsletters/subscription_unsubscribe.html", context))
    subscriptions.unsubscribe(subscriber_id=subscriber_id, list_id=list_id)
    if request.POST.get("List-Unsubscribe") == "One-Click":
        return _private(HttpResponse("Unsubscribed.", content_type="text/plain"))
    return _private(render(request, "newsletters/subscription_unsubscribed.html", {"newsletter": newsletter}))


@require_GET
def delivery_opened(request, token):
    """The open-counting picture, only in issues sent with NEWSROOM_NEWSLETTER_TRACKING on."""
    read = links.read_opened_token(token)
    if read is not None and settings.NEWSROOM_NEWSLETTER_TRACKING:
        subscriber_id, issue_id = read
        Delivery.objects.filter(subscriber_id=subscriber_id, issue_id=issue_id, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )
    return _private(HttpResponse(GIF, content_type="image/gif"))


@csrf_exempt
@require_POST
def bounce_create(request):
    """A bounce or complaint from the mail service: ``{"email": ..., "kind": "bounce"|"complaint"}``.

    Answers only to ``Authorization: Bearer NEWSROOM_NEWSLETTER_BOUNCE_TOKEN``; the address is suppressed.
    """
    token = settings.NEWSROOM_NEWSLETTER_BOUNCE_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not token or not constant_time_compare(given, token):
        return _private(JsonResponse({"error": "A valid bearer token is required."}, status=403))
    try:
        payload = json.loads(request.body or b"{}")
        email, kind = str(payload["email"]).strip(), str(payload.get("kind", "bounce"))
    except (ValueError, KeyError, TypeError, AttributeError):
        return _private(JsonResponse({"error": 'Send JSON: {"email": "...", "kind": "bounce"}.'}, status=400))
    if kind not in (Subscriber.Suppression.BOUNCE, Subscriber.Suppression.COMPLAINT):
        return _private(JsonResponse({"error": 'kind is "bounce" or "complaint".'}, status=400))
    try:
        validate_email(email)
    except ValidationError:
        return _private(JsonResponse({"error": "Not an e-mail address."}, status=400))
    subscriptions.suppress(email=email, because=kind)
    return _private(JsonResponse({"suppressed": email.lower()}))


@csrf_exempt
@require_POST
def push_subscription_create(request):
    """A browser's push subscription, sent by static/js/newsletters.js after the reader chose alerts."""
    if _from_another_site(request):
        return _private(JsonResponse({"error": "Subscribe from the site's own pages."}, status=403))
    wait = throttles.hit(request, "subscribe")
    if wait is not None:
        return throttles.too_many_requests(request, wait, json=True)
    try:
        data = json.loads(request.body or b"{}")
        fields = {"endpoint": data["endpoint"], "p256dh": data["keys"]["p256dh"], "auth": data["keys"]["auth"]}
    except (ValueError, KeyError, TypeError):
        return _private(JsonResponse({"error": "Send the browser's push subscription as JSON."}, status=400))
    form = PushSubscriptionForm(fields)
    if not push.enabled() or not form.is_valid() or not push.is_push_service(fields["endpoint"]):
        return _private(JsonResponse({"error": "This push subscription is not accepted."}, status=400))
    PushSubscription.objects.update_or_create(
        endpoint=form.cleaned_data["endpoint"],
        defaults={"p256dh": form.cleaned_data["p256dh"], "auth": form.cleaned_data["auth"]},
    )
    return _private(JsonResponse({"subscribed": True}, status=201))


@csrf_exempt
@require_POST
def push_subscription_delete(request):
    """The browser stopped alerts: its subscription goes (knowing the endpoint is the proof)."""
    try:
        endpoint = str(json.loads(request.body or b"{}")["endpoint"])
    except (ValueError, KeyError, TypeError):
        return _private(JsonResponse({"error": "Send the endpoint as JSON."}, status=400))
    PushSubscription.objects.filter(endpoint=endpoint).delete()
    return _private(JsonResponse({"subscribed": False}))
