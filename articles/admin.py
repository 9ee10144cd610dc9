"""The newsroom's admin: laid out the way a writer works. No business rules live here.

Who may do what is decided in ``articles.roles``; every state change goes through
``articles.publishing``. The admin opens on the newsroom dashboard.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin

from articles import analytics, autosave, form_actions, previews, publishing, roles
from articles import people as people_workflow
from articles.admin_views import StoryWorkflowViews
from articles.forms import MergePeopleForm, QuoteForm, SplitPersonForm, StoryChildFormSet, StoryForm
from articles.models import (
    Author,
    AuthorLink,
    Byline,
    Correction,
    Person,
    PreviewLink,
    Publication,
    Quote,
    Section,
    Series,
    SeriesStory,
    SocialLink,
    Source,
    Story,
)
from media.admin import ImageChooserMixin
from newsroom.protected_deletion import ExplainsProtectedDeletion
from newsroom.wording import counted, staff_time


class StoryChildInline:
    """Bylines and quotes change only with their story: the story's permission rules apply to them."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (obj is None or roles.can_edit_story(request.user, obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or roles.can_edit_story(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or roles.can_edit_story(request.user, obj))


class BylineInline(StoryChildInline, admin.TabularInline):
    model = Byline
    formset = StoryChildFormSet
    extra = 0
    min_num = 0
    autocomplete_fields = ["author"]
    fields = ["author", "position"]

    def get_extra(self, request, obj=None, **kwargs):
        # A new story opens with one byline row, filled with the writer's own (see StoryAdmin).
        if obj is None and request.method == "GET" and Author.objects.filter(user=request.user).exists():
            return 1
        return super().get_extra(request, obj, **kwargs)


class QuoteInline(StoryChildInline, admin.StackedInline):
    model = Quote
    formset = StoryChildFormSet
    form = QuoteForm
    extra = 0
    autocomplete_fields = ["person"]
    fields = [("person", "position"), ("text", "kind"), ("introduction", "context")]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "person":
            kwargs["queryset"] = Person.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CorrectionInline(admin.TabularInline):
    """Corrections are appended with the "Add correction" page and never edited or deleted."""

    model = Correction
    extra = 0
    fields = ["kind", "text", "created_time", "created_by"]
    readonly_fields = fields
    verbose_name_plural = "corrections and clarifications (shown to readers; permanent)"

    @admin.display(description="Created at")
    def created_time(self, correction):
        return staff_time(correction.created_at)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Fields only editors may change; reporters see them read-only.
EDITOR_FIELDS = ["embargo_until", "editor_note"]
CURATION_FIELDS = ["home_position", "breaking_until", "related"]
# What related stories are chosen from: a change to any of them on a published story chooses them again.
RELATED_INPUTS = {"tags", "section", "related"}


class StoryChangeList(ChangeList):
    """The story list, with each story's reads of the last days read in one query for the whole page."""

    def get_results(self, request):
        super().get_results(request)
        if roles.can_see_read_counts(request.user):
            analytics.attach_sparklines(list(self.result_list))


def _list_action(step: publishing.Transition):
    """The change list action that applies one transition of the workflow's table to the chosen stories."""

    def apply(modeladmin, request, queryset):
        modeladmin._apply_to_selected(request, queryset, step)

    apply.__name__ = f"{step.name}_selected"
    return admin.action(description=step.list_action, permissions=["publish" if step.editors_only else "change"])(apply)


@admin.register(Story)
class StoryAdmin(StoryWorkflowViews, ImageChooserMixin, admin.ModelAdmin):
    form = StoryForm
    list_display = [
        "headline",
        "status_label",
        "section",
        "kind",
        "authors_list",
        "published_at",
        "updated_at",
        "reads_last_week",
    ]
    list_filter = ["status", "section", "kind", ("published_at", admin.DateFieldListFilter)]
    list_select_related = ["section"]
    search_fields = ["headline", "standfirst", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["source", "hero_image", "related"]
    # A newsroom has a handful of sections: one click on a radio button files the story.
    radio_fields = {"section": admin.HORIZONTAL}
    inlines = [BylineInline, QuoteInline, CorrectionInline]
    save_on_top = True
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = [_list_action(step) for step in publishing.TRANSITIONS if step.list_action]
    fieldsets = [
        (None, {"fields": ["headline", "standfirst", "body", "base_version"]}),
        ("Filing", {"fields": [("section", "kind", "language"), "tags", "slug"]}),
        ("Picture", {"fields": ["hero_image", "hero_caption"]}),
        ("Syndication", {"fields": ["source", "original_url"], "classes": ["collapse"]}),
        ("Review", {"fields": ["status_label", "review_note", "editor_note", ("submitted_time", "returned_time")]}),
        ("Publishing", {"fields": ["publishing_checklist", "publish_at", "publish_time", "embargo_until"]}),
        ("Curation", {"fields": CURATION_FIELDS, "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bylines__author").visible_to(request.user)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("hero_image", "section") and formfield is not None:
            # No pop-up windows: a new picture is uploaded in the story's own picture panel
            # (static/js/story-editor.js); sections are made in their own page.
            wrapper = formfield.widget
            wrapper.can_add_related = wrapper.can_change_related = wrapper.can_view_related = False
            wrapper.can_delete_related = False
        return formfield

    def get_object(self, request, object_id, from_field=None):
        """A story the user may not see is the same 404 as one that does not exist."""
        story = getattr(request, "story_for_change", None)
        if story is None or from_field is not None or str(story.pk) != unquote(str(object_id)):
            story = super().get_object(request, object_id, from_field)
        if story is None:
            raise Http404("No such story.")
        return story

    def get_changelist(self, request, **kwargs):
        return StoryChangeList

    @admin.display(description="Reads, 7 days")
    def reads_last_week(self, story):
        return getattr(story, "reads_sparkline", "")

    def get_view_on_site_url(self, obj=None):
        # Unpublished stories are a 404 on the site; their link is Preview.
        if obj is not None and not obj.is_published():
            return None
        return super().get_view_on_site_url(obj)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (obj is None or roles.can_view_story(request.user, obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or roles.can_edit_story(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return roles.can_delete_story(request.user, obj)

    def has_publish_permission(self, request):
        return roles.can_publish(request.user)

    def get_fieldsets(self, request, obj=None):
        editable = obj is None or self.has_change_permission(request, obj)
        hidden = set()
        if obj is None:
            hidden |= {"base_version", "submitted_time", "returned_time"}
        if not editable:
            hidden |= {"base_version", "publish_at"}
        if not roles.can_publish(request.user):
            hidden |= {"publish_at", *CURATION_FIELDS}
        fieldsets = []
        for name, options in self.fieldsets:
            fields = [f for f in options["fields"] if (f if isinstance(f, str) else f[0]) not in hidden]
            if not editable:
                fields = ["body_text" if f == "body" else f for f in fields]
            if fields:
                fieldsets.append((name, {**options, "fields": fields}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = ["status_label", "publish_time", "submitted_time", "returned_time", "publishing_checklist"]
        if not roles.can_publish(request.user):
            readonly += EDITOR_FIELDS
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not roles.can_publish(request.user):
            form.base_fields.pop("publish_at", None)
        if request.method == "POST":
            # The posted button is checked before anything is saved: a refused action saves nothing.
            draft = obj or Story(created_by=request.user)
            refused = form_actions.refusal(draft, request.user, request.POST.get("_transition"))
            if refused:
                form = type(form.__name__, (form,), {"refused": refused})
        if request.method == "GET" and request.GET.get("autosave") == "restore":
            kept = autosave.pending(user=request.user, story=obj)
            if kept is not None:
                form = type(form.__name__, (form,), {"restored": autosave.initial_from(kept, form)})
        return form

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.pop("autosave", None)
        return initial

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, BylineInline) and obj.pk is None and request.method == "GET":
            # Only on the blank form: posted back unchanged, the row must still count as filled in.
            author = Author.objects.filter(user=request.user).first()
            if author is not None:
                kwargs["initial"] = [{"author": author.pk, "position": 0}]
        return kwargs

    @admin.display(description="Status", ordering="status")
    def status_label(self, story):
        if story.is_scheduled():
            return f"Scheduled for {staff_time(story.published_at)}"
        return story.get_status_display()

    # The workflow sets these times; they show in the admin's one format, not Django's default.
    @admin.display(description="Publish time")
    def publish_time(self, story):
        return staff_time(story.published_at) if story.published_at else self.get_empty_value_display()

    @admin.display(description="Submitted at")
    def submitted_time(self, story):
        return staff_time(story.submitted_at) if story.submitted_at else self.get_empty_value_display()

    @admin.display(description="Returned to the reporter")
    def returned_time(self, story):
        return staff_time(story.returned_at) if story.returned_at else self.get_empty_value_display()

    @admin.display(description="By")
    def authors_list(self, story):
        return ", ".join(author.name for author in story.byline_authors)

    @admin.display(description="Body")
    def body_text(self, story):
        return mark_safe(story.body)  # sanitized by Story.save()

    @admin.display(description="Checklist")
    def publishing_checklist(self, story):
        reasons = publishing.checklist(story) if story.pk else ["Save the story to check it."]
        if not reasons:
            return format_html('<p class="checklist checklist--ready">{}</p>', "Ready to publish.")
        return format_html(
            '<ul class="checklist">{}</ul>', format_html_join("", "<li>{}</li>", ((reason,) for reason in reasons))
        )

    def save_model(self, request, obj, form, change):
        publishing.save_story(story=obj, by=request.user, changed_fields=form.changed_data)
        if form.merge is not None:
            self.message_user(request, form.merge.summary(), messages.INFO)
        if "home_position" in form.changed_data and obj.home_position is not None:
            self._warn_of_shared_home_position(request, obj)

    def _warn_of_shared_home_position(self, request, story):
        # Two live stories at one position: which comes first is not the editor's choice, so say so.
        others = Story.objects.filter(status=Story.Status.PUBLISHED, home_position=story.home_position)
        for other in others.exclude(pk=story.pk).only("headline"):
            self.message_user(
                request,
                f"“{other}” also has home position {story.home_position}. Give one of them another position"
                " or clear it, so the home page shows the one you mean.",
                messages.WARNING,
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        story = form.instance
        if not change:
            publishing.byline_writer_by_default(story=story, by=request.user)
        if change and any(formset.has_changed() for formset in formsets):
            publishing.record_public_update(story=story)
        transition = request.POST.get("_transition")
        if change and RELATED_INPUTS & set(form.changed_data) and transition != "publish":
            publishing.choose_related(story=story)
        if transition:
            self.run_transition(request, story, transition, form.cleaned_data)

    def run_transition(self, request, story, transition, data):
        """Apply the button the user pressed; a transition they may not use is refused (403)."""
        if transition not in publishing.allowed_transitions(story, request.user):
            raise PermissionDenied
        step = publishing.TRANSITIONS_BY_NAME[transition]
        arguments = {keyword: data.get(field) for field, keyword in step.form_arguments.items()}
        try:
            step.run(story=story, by=request.user, **arguments)
            self.message_user(request, step.done.format(status=self.status_label(story)), messages.SUCCESS)
        except publishing.WorkflowError as refused:
            message = f"Your changes were saved, but the story was not {step.not_done}:"
            self.message_user(request, message, messages.ERROR)
            for reason in refused.reasons:
                self.message_user(request, reason, messages.ERROR)

    def response_add(self, request, obj, post_url_continue=None):
        if "_transition" in request.POST:
            return HttpResponseRedirect(reverse("admin:articles_story_change", args=[obj.pk]))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_transition" in request.POST:
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def _apply_to_selected(self, request, queryset, step):
        applied, done = 0, step.list_done
        for story in queryset:
            try:
                if step.name not in publishing.allowed_transitions(story, request.user):
                    raise publishing.WorkflowError([f"it cannot be {done} in its present state."])
                step.run(story=story, by=request.user)
                applied += 1
            except publishing.WorkflowError as error:
                self.message_user(request, f"“{story}” was not {done}: {' '.join(error.reasons)}", messages.ERROR)
        if applied:
            self.message_user(request, f"{applied} {'story' if applied == 1 else 'stories'} {done}.", messages.SUCCESS)


@admin.register(Section)
class SectionAdmin(ExplainsProtectedDeletion, admin.ModelAdmin):
    list_display = ["name", "slug", "position", "full_text_feed"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(ExplainsProtectedDeletion, admin.ModelAdmin):
    list_display = ["name", "url", "byline_style", "canonical_to_original"]
    search_fields = ["name"]


def without_pop_ups(formfield):
    """A related field with no pop-up windows to add, change or view the object: each has its own page."""
    wrapper = formfield.widget
    wrapper.can_add_related = wrapper.can_change_related = wrapper.can_view_related = False
    wrapper.can_delete_related = False
    return formfield


class SeriesStoryInline(admin.TabularInline):
    """The stories of a series in the order readers see them; a draft among them shows once it is published."""

    model = SeriesStory
    extra = 0
    autocomplete_fields = ["story"]
    fields = ["story", "position", "story_status"]
    readonly_fields = ["story_status"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("story")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        return without_pop_ups(formfield) if db_field.name == "story" and formfield is not None else formfield

    @admin.display(description="Status")
    def story_status(self, row):
        if row.story_id is None:
            return "—"
        story = row.story
        return "Scheduled" if story.is_scheduled() else story.get_status_display()


@admin.register(Series)
class SeriesAdmin(ImageChooserMixin, admin.ModelAdmin):
    """Series of stories: editors make and order them, reporters may look."""

    list_display = ["name", "slug", "story_count"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["picture"]
    fields = ["name", "slug", "description", "picture"]
    inlines = [SeriesStoryInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_total=models.Count("memberships"))

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        return without_pop_ups(formfield) if db_field.name == "picture" and formfield is not None else formfield

    @admin.display(description="Stories", ordering="story_total")
    def story_count(self, series):
        return series.story_total

    def get_view_on_site_url(self, obj=None):
        # A series with no published story is a 404 on the site.
        if obj is None or not Series.objects.with_published_stories().filter(pk=obj.pk).exists():
            return None
        return super().get_view_on_site_url(obj)


class AuthorLinkInline(admin.TabularInline):
    model = AuthorLink
    extra = 0


@admin.register(Author)
class AuthorAdmin(ImageChooserMixin, admin.ModelAdmin):
    list_display = ["name", "role", "user"]
    search_fields = ["name", "role"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo"]
    raw_id_fields = ["user"]
    inlines = [AuthorLinkInline]


@admin.register(Person)
class PersonAdmin(ImageChooserMixin, SimpleHistoryAdmin):
    """People quoted in stories; editors merge two records of one person and split one of two people."""

    list_display = ["name", "description", "has_profile", "quote_count"]
    list_filter = ["has_profile"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo"]
    readonly_fields = ["split_link"]
    actions = ["merge_into"]

    def get_queryset(self, request):
        people = super().get_queryset(request).visible_to(request.user)
        return people.annotate(quote_total=models.Count("quotes"))

    @admin.display(description="Quotes", ordering="quote_total")
    def quote_count(self, person):
        return person.quote_total

    @admin.display(description="Two people taken for one?")
    def split_link(self, person):
        if person.pk is None:
            return ""
        return format_html(
            '<a href="{}">Split: move some of their quotes to a new person</a>',
            reverse("admin:articles_person_split", args=[person.pk]),
        )

    def get_urls(self):
        split = self.admin_site.admin_view(self.split_view)
        return [path("<int:object_id>/split/", split, name="articles_person_split"), *super().get_urls()]

    def has_merge_permission(self, request):
        return roles.can_merge_people(request.user)

    @admin.action(description="Merge into…: the selected people are one person", permissions=["merge"])
    def merge_into(self, request, queryset):
        people = queryset.order_by("name", "pk")
        if people.count() < 2:
            self.message_user(request, "Choose at least two people to merge.", messages.WARNING)
            return None
        form = MergePeopleForm(request.POST if "apply" in request.POST else None, people=people)
        if form.is_bound and form.is_valid():
            into = form.cleaned_data["into"]
            moved = people_workflow.merge_people(people=list(people), into=into, by=request.user)
            self.message_user(
                request, f"Merged into {into.name}: {counted(moved, 'quote', 'quotes')} moved.", messages.SUCCESS
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Merge people",
            "form": form,
            "people": people,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/articles/person/merge.html", context)

    def split_view(self, request, object_id):
        """Move the chosen quotes of one person to a new person, with a record on both."""
        person = self.get_object(request, str(object_id))
        if person is None:
            raise Http404("No such person.")
        if not (roles.can_merge_people(request.user) and request.user.has_perm(roles.ADD_PERSON)):
            raise PermissionDenied
        form = SplitPersonForm(request.POST or None, person=person)
        if form.is_bound and form.is_valid():
            new = people_workflow.split_person(
                person=person,
                quotes=list(form.cleaned_data["quotes"]),
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                by=request.user,
            )
            self.message_user(request, f"{new.name} is now a person of their own.", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:articles_person_change", args=[new.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": person,
            "title": f"Split {person.name}",
            "form": form,
        }
        return TemplateResponse(request, "admin/articles/person/split.html", context)


@admin.register(SocialLink)
class SocialLinkAdmin(admin.ModelAdmin):
    list_display = ["platform", "link", "position", "is_active"]
    list_editable = ["position", "is_active"]

    @admin.display(description="Link")
    def link(self, social_link):
        return format_html('<a href="{}" rel="noopener">{}</a>', social_link.url, social_link.url)


@admin.register(Publication)
class PublicationAdmin(ImageChooserMixin, admin.ModelAdmin):
    list_display = ["name", "base_url"]
    autocomplete_fields = ["logo"]

    def has_add_permission(self, request):
        return not Publication.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PreviewLink)
class PreviewLinkAdmin(admin.ModelAdmin):
    """Every share link, for admins: whose, for which story, and whether it still works. Made on a story's page.

    Links are never edited or deleted here, only revoked, so the list stays a record of what was shared.
    """

    list_display = ["story", "note", "created_by", "created_at", "expires_at", "state"]
    list_filter = [("created_by", admin.RelatedOnlyFieldListFilter), ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["story", "created_by", "revoked_by"]
    search_fields = ["story__headline", "created_by__username", "note"]
    readonly_fields = [*list_display, "revoked_at", "revoked_by", "revoked_reason"]
    fields = readonly_fields
    actions = ["revoke"]

    @admin.display(description="State")
    def state(self, link):
        return link.why_closed() or "Works"

    @admin.action(description="Revoke the selected share links", permissions=["change"])
    def revoke(self, request, queryset):
        count = previews.revoke_links(queryset, by=request.user, reason=f"by {request.user.get_username()}")
        self.message_user(request, f"{count} share link{'s' if count != 1 else ''} revoked.", messages.SUCCESS)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
