from django import template
from django.conf import settings
from django.templatetags.static import static

from newsletters import dependencies, push
from newsletters.models import NewsletterList
from newsroom import cachetags

register = template.Library()


def _offered_lists() -> list[dict]:
    return list(NewsletterList.objects.offered().values("pk", "name", "description"))


@register.inclusion_tag("newsletters/includes/subscribe_form.html")
def subscribe_form():
    """The subscribe form: the lists offered are worked out once until an editor changes a list.

    The form has no CSRF token, so the page it is on stays the same for every reader (newsletters.views).
    """
    lists = cachetags.remember("newsletter-lists", _offered_lists, tags=[dependencies.LISTS])
    return {
        "lists": lists,
        "checked": [str(lists[0]["pk"])] if lists else [],
        "vapid_key": settings.NEWSROOM_VAPID_PUBLIC_KEY if push.enabled() else "",
        "worker_url": static("js/newsletter-alerts-worker.js"),
    }
