"""Newsletters in the admin: lists, issues (compose, preview, test, schedule, send), alerts, subscribers.

Every action calls ``newsletters.sending`` or ``newsletters.subscriptions``; who may do what is
``articles.roles``' decision, checked again in those functions.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from articles import roles
from articles.models import Story
from newsletters import mail, sending, subscriptions
from newsletters.forms import TestAddressForm
from newsletters.models import (
    BreakingAlert,
    Issue,
    IssueStory,
    NewsletterList,
    PushSubscription,
    Subscriber,
    Subscription,
)


@admin.register(NewsletterList)
class NewsletterListAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "schedule", "send_time", "automatic", "offered", "subscriber_count"]
    prepopulated_fields = {"slug": ["name"]}
    fields = [
        "name",
        "slug",
        "description",
        "kind",
        "section",
        "schedule",
        "send_time",
        "automatic",
        "offered",
        "position",
    ]

    def get_queryset(self, request):
        confirmed = Count("subscriptions", filter=Q(subscriptions__confirmed_at__isnull=False))
        return super().get_queryset(request).select_related("section").annotate(confirmed_total=confirmed)

    @admin.display(description="Confirmed subscribers", ordering="confirmed_total")
    def subscriber_count(self, newsletter):
        return newsletter.confirmed_total


class IssueStoryInline(admin.TabularInline):
    model = IssueStory
    extra = 1
    autocomplete_fields = ["story"]
    fields = ["story", "position"]

    def _editable(self, obj):
        return obj is None or obj.is_editable()

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class ScheduleForm(forms.Form):
    send_at = forms.DateTimeField(
        label="Send at", required=False, help_text="Leave empty for the list's next slot on its schedule."
    )


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["subject", "newsletter", "status", "send_at", "sent_at", "sent_count"]
    list_filter = ["newsletter", "status"]
    search_fields = ["subject"]
    fields = ["newsletter", "subject", "intro", "send_at", "status", "started_at", "sent_at"]
    readonly_fields = ["status", "started_at", "sent_at"]
    inlines = [IssueStoryInline]
    change_form_template = "admin/newsletters/issue/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("newsletter").annotate(delivery_total=Count("deliveries"))

    @admin.display(description="Sent to", ordering="delivery_total")
    def sent_count(self, issue):
        return issue.delivery_total

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_editable():
            return ["newsletter", "subject", "intro", "send_at", "status", "started_at", "sent_at"]
        return super().get_readonly_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        own = [
            path("<int:pk>/preview/", self.admin_site.admin_view(self.preview_view), name="newsletters_issue_preview"),
            path(
                "<int:pk>/preview.txt",
                self.admin_site.admin_view(self.preview_text_view),
                name="newsletters_issue_preview_text",
            ),
            path("<int:pk>/send/", self.admin_site.admin_view(self.send_view), name="newsletters_issue_send"),
        ]
        return own + super().get_urls()

    def _issue(self, request, pk) -> Issue:
        issue = get_object_or_404(Issue.objects.select_related("newsletter"), pk=pk)
        if not self.has_view_or_change_permission(request, issue):
            raise PermissionDenied
        return issue

    def preview_view(self, request, pk):
        """The issue's HTML part as subscribers get it (their unsubscribe link shown as '#')."""
        edition = mail.render_issue(self._issue(request, pk))
        html = edition.html.replace(mail.UNSUBSCRIBE_MARK, "#").replace(mail.OPENED_MARK, "")
        response = HttpResponse(html)
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src * data:"
        return response

    def preview_text_view(self, request, pk):
        edition = mail.render_issue(self._issue(request, pk))
        return HttpResponse(edition.text.replace(mail.UNSUBSCRIBE_MARK, "#"), content_type="text/plain; charset=utf-8")

    def send_view(self, request, pk):
        """Fill with top stories, send a test, schedule, or send now: one page, one button per step."""
        issue = self._issue(request, pk)
        test_form, schedule_form = TestAddressForm(), ScheduleForm()
        if request.method == "POST":
            if not self.has_change_permission(request, issue):
                raise PermissionDenied
            step = request.POST.get("step")
            try:
                done = self._step(request, issue, step)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                done = None
            if done is not None:
                messages.success(request, done)
                return HttpResponseRedirect(request.path)
            test_form = TestAddressForm(request.POST) if step == "test" else test_form
            schedule_form = ScheduleForm(request.POST) if step == "schedule" else schedule_form
        context = {
            **self.admin_site.each_context(request),
            "title": f"Send “{issue.subject}”",
            "opts": self.model._meta,
            "original": issue,
            "issue": issue,
            "stories": mail.issue_stories(issue),
            "recipients": sending.recipients(issue).count(),
            "test_form": test_form,
            "schedule_form": schedule_form,
            "can_send": roles.can_send_newsletters(request.user) and issue.is_editable(),
            "next_slot": issue.newsletter.next_slot(),
        }
        return TemplateResponse(request, "admin/newsletters/issue/send.html", context)

    def _step(self, request, issue: Issue, step: str) -> str | None:
        if step == "fill":
            count = sending.fill_with_top_stories(issue)
            return f"The issue now holds the day's {count} top stories."
        if step == "test":
            form = TestAddressForm(request.POST)
            if not form.is_valid():
                return None
            sending.send_test(issue, address=form.cleaned_data["address"])
            return f"A test was sent to {form.cleaned_data['address']}."
        if step == "schedule":
            form = ScheduleForm(request.POST)
            if not form.is_valid():
                return None
            issue = sending.schedule(issue, at=form.cleaned_data["send_at"], by=request.user)
            return f"The issue goes out {timezone.localtime(issue.send_at):%A %d %B at %H:%M}."
        if step == "send" and request.POST.get("confirm") == "yes":
            sending.send_now(issue, by=request.user)
            return "The issue is being sent."
        if step == "send":
            raise ValidationError("Tick the box to confirm sending to every subscriber.")
        raise ValidationError("Choose what to do.")


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    extra = 0
    fields = ["newsletter", "created_at", "confirmed_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """Readers' addresses, for admins: export or delete one on request, or stop writing to it."""

    list_display = ["email", "created_at", "list_count", "suppressed_at", "suppressed_because"]
    list_filter = ["suppressed_because"]
    search_fields = ["email"]
    fields = ["email", "created_at", "confirmation_sent_at", "suppressed_at", "suppressed_because"]
    readonly_fields = ["created_at", "confirmation_sent_at"]
    inlines = [SubscriptionInline]
    actions = ["export_data", "suppress"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(list_total=Count("subscriptions"))

    @admin.display(description="Lists", ordering="list_total")
    def list_count(self, subscriber):
        return subscriber.list_total

    @admin.action(description="Export their data (JSON)", permissions=["export"])
    def export_data(self, request, queryset):
        response = HttpResponse(subscriptions.export_json(queryset), content_type="application/json")
        response["Content-Disposition"] = 'attachment; filename="subscriber-data.json"'
        return response

    def has_export_permission(self, request):
        return request.user.has_perm(roles.EXPORT_SUBSCRIBER)

    @admin.action(description="Suppress: never write to them again", permissions=["change"])
    def suppress(self, request, queryset):
        for subscriber in queryset:
            subscriptions.suppress(email=subscriber.email, because=Subscriber.Suppression.REQUEST)
        messages.success(request, f"{queryset.count()} addresses will receive nothing more.")


class AlertForm(forms.Form):
    story = forms.ModelChoiceField(queryset=Story.objects.none(), widget=forms.HiddenInput)
    confirm = forms.BooleanField(label="Send this alert to every subscriber of breaking news, once", required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["story"].queryset = sending.alert_candidates()


@admin.register(BreakingAlert)
class BreakingAlertAdmin(admin.ModelAdmin):
    """Breaking-news alerts: who sent which story, and when. Sent from the add page, after a confirmation."""

    list_display = ["story_headline", "sent_by_name", "sent_at", "emails_sent", "pushes"]
    list_select_related = ["story", "issue"]
    fields = ["story", "sent_by_name", "sent_at", "issue", "pushes"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(email_total=Count("issue__deliveries"))

    @admin.display(description="Story", ordering="story__headline")
    def story_headline(self, alert):
        return alert.story.headline

    @admin.display(description="E-mails sent", ordering="email_total")
    def emails_sent(self, alert):
        return alert.email_total

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        chosen = request.POST.get("story") or request.GET.get("story")
        form = AlertForm(request.POST) if request.method == "POST" else None
        if form is not None and form.is_valid():
            try:
                alert = sending.send_alert(story=form.cleaned_data["story"], by=request.user)
            except (sending.AlreadySent, ValidationError) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            else:
                messages.success(request, f"The alert for “{alert.story.headline}” is on its way.")
                return HttpResponseRedirect(reverse("admin:newsletters_breakingalert_changelist"))
        candidates = sending.alert_candidates()
        story = candidates.filter(pk=chosen).first() if chosen and str(chosen).isdigit() else None
        if chosen and story is None:
            messages.error(request, "That story is not breaking news, or its alert was sent already.")
        breaking = NewsletterList.objects.filter(kind=NewsletterList.Kind.BREAKING).first()
        context = {
            **self.admin_site.each_context(request),
            "title": "Send a breaking-news alert",
            "opts": self.model._meta,
            "candidates": candidates.order_by("-published_at")[:20],
            "story": story,
            "form": form or (AlertForm(initial={"story": story.pk}) if story else None),
            "breaking": breaking,
            "email_count": breaking.subscriptions.confirmed().count() if breaking else 0,
            "push_count": PushSubscription.objects.count(),
        }
        return TemplateResponse(request, "admin/newsletters/breakingalert/add.html", context)


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["service", "created_at", "last_alert"]
    fields = ["endpoint", "created_at", "last_alert"]
    readonly_fields = fields

    @admin.display(description="Push service")
    def service(self, subscription):
        return format_html("{}", subscription.endpoint.split("/")[2] if "//" in subscription.endpoint else "")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
