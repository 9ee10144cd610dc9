"""The story admin's own pages: revisions, previews and share links, corrections, autosave, read counts
(and the live coverage page, ``articles.live_admin``).

Each view finds the story through the admin's queryset (a story the user may not see is a 404),
checks the permission it needs (403 otherwise), and calls ``articles.publishing``,
``articles.previews`` or ``articles.autosave`` to do the work.
"""

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from articles import (
    analytics,
    autosave,
    form_actions,
    live_admin,
    previews,
    publishing,
    quoting,
    readership,
    revisions,
    roles,
)
from articles import people as people_rules
from articles.forms import CorrectionForm, PreviewLinkForm, QuoteFromSelectionForm
from articles.models import Person, PreviewLink, Story

PEOPLE_SHOWN = 8
MAX_ID = 2**63 - 1  # the largest key a database column here can hold; SQLite fails on larger numbers


class StoryWorkflowViews:
    """Mixed into ``StoryAdmin``: the extra routes under /admin/articles/story/."""

    def get_urls(self):
        def view(func, post_only=False):
            func = require_POST(func) if post_only else func
            return self.admin_site.admin_view(func)

        name = "articles_story"
        return [
            # Before the routes ending like theirs (".../correct/"): a path id would take in "live/<n>".
            path("<path:object_id>/live/", view(partial(live_admin.live_view, self)), name=f"{name}_live"),
            path(
                "<path:object_id>/live/<int:entry_id>/correct/",
                view(partial(live_admin.correct_view, self)),
                name=f"{name}_live_correct",
            ),
            path(
                "<path:object_id>/live/<int:entry_id>/delete/",
                view(partial(live_admin.delete_view, self)),
                name=f"{name}_live_delete",
            ),
            path("autosave/", view(self.autosave_view, True), name=f"{name}_autosave_new"),
            path("<path:object_id>/autosave/", view(self.autosave_view, True), name=f"{name}_autosave"),
            path("<path:object_id>/history/compare/", view(self.compare_view), name=f"{name}_compare"),
            path(
                "<path:object_id>/history/<int:revision_id>/restore/",
                view(self.restore_view, True),
                name=f"{name}_restore",
            ),
            path("<path:object_id>/preview/", view(self.preview_view), name=f"{name}_preview"),
            path("<path:object_id>/share/", view(self.share_view), name=f"{name}_share"),
            path(
                "<path:object_id>/share/<int:link_id>/revoke/",
                view(self.revoke_view, True),
                name=f"{name}_revoke",
            ),
            path("<path:object_id>/share/revoke-all/", view(self.revoke_all_view, True), name=f"{name}_revoke_all"),
            path("<path:object_id>/correct/", view(self.correction_view), name=f"{name}_correct"),
            path("people/", view(self.people_view), name=f"{name}_people"),
            path("analytics/", view(self.analytics_view), name=f"{name}_analytics"),
            path("<path:object_id>/reads/", view(self.reads_view), name=f"{name}_reads"),
            path("<path:object_id>/quotes/", view(self.quote_view, True), name=f"{name}_quote"),
            *super().get_urls(),
        ]

    def _story(self, request, object_id, *, change: bool = False) -> Story:
        story = self.get_object(request, object_id)
        allowed = self.has_change_permission(request, story) if change else self.has_view_permission(request, story)
        if not allowed:
            raise PermissionDenied
        return story

    def _context(self, request, story, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": story,
            "title": title,
            "subtitle": str(story),
            "has_view_permission": True,
            **extra,
        }

    # Read counts.

    def analytics_view(self, request):
        """The most-read stories today and this week, per section: the whole newsroom's for editors,
        a reporter's own for a reporter."""
        if not roles.can_see_read_counts(request.user):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Analytics",
            "sections": analytics.top_stories(request.user),
            "every_story": roles.sees_every_read_count(request.user),
            "keep_days": readership.KEEP.days,
            "period_minutes": int(readership.PERIOD.total_seconds() // 60),
        }
        return TemplateResponse(request, "admin/articles/story/analytics.html", context)

    def reads_view(self, request, object_id):
        """One story's reads per day over the days whose counts are kept."""
        story = self._story(request, object_id)
        if not roles.can_see_read_counts(request.user):
            raise PermissionDenied
        context = self._context(request, story, "Reads", chart=analytics.reads_chart(story))
        return TemplateResponse(request, "admin/articles/story/reads.html", context)

    # The change form and the add form.

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        story = self.get_object(request, object_id) if object_id else None
        request.story_for_change = story  # the admin's own view reads the story again: it gets this one
        extra = {"story_buttons": None, "autosave": None, "autosave_seconds": settings.NEWSROOM_AUTOSAVE_SECONDS}
        if story is None or self.has_change_permission(request, story):
            draft = story or Story(created_by=request.user)
            extra["story_buttons"] = form_actions.story_buttons(
                draft, request.user, can_add=self.has_add_permission(request)
            )
            if story is not None and self.has_delete_permission(request, story):
                extra["delete_url"] = reverse("admin:articles_story_delete", args=[story.pk])
            extra["autosave"] = autosave.pending(user=request.user, story=story)
            extra["autosave_restored"] = request.GET.get("autosave") == "restore" and extra["autosave"] is not None
            extra["autosave_url"] = reverse(
                "admin:articles_story_autosave" if story else "admin:articles_story_autosave_new",
                args=[story.pk] if story else [],
            )
        extra["can_correct"] = (
            story is not None and story.is_published() and request.user.has_perm(roles.ADD_CORRECTION)
        )
        response = super().changeform_view(request, object_id, form_url, {**extra, **(extra_context or {})})
        adminform = (getattr(response, "context_data", None) or {}).get("adminform")
        if request.method == "POST" and adminform is not None and adminform.form.refused:
            response.status_code = 403  # the form comes back with the reason; nothing was saved
        return response

    # Revisions.

    def history_view(self, request, object_id, extra_context=None):
        story = self._story(request, object_id)
        records = list(revisions.story_revisions(story))
        pair = revisions.default_pair(records)
        context = self._context(
            request,
            story,
            "History",
            revisions=records,
            compare_from=pair[0].history_id if pair else None,
            compare_to=pair[1].history_id if pair else None,
            can_restore=self.has_change_permission(request, story),
        )
        return TemplateResponse(request, "admin/articles/story/revision_list.html", context)

    def compare_view(self, request, object_id):
        story = self._story(request, object_id)
        try:
            ids = [int(request.GET["from"]), int(request.GET["to"])]
        except (KeyError, ValueError):
            raise Http404("Choose two revisions to compare.") from None
        if not all(0 < pk <= MAX_ID for pk in ids):
            raise Http404("No such revision.")
        records = {record.history_id: record for record in story.history.filter(history_id__in=ids)}
        if len(records) != len(set(ids)):
            raise Http404("No such revision.")
        old, new = sorted((records[i] for i in ids), key=lambda r: (r.history_date, r.history_id))
        context = self._context(
            request,
            story,
            "Compare revisions",
            old=old,
            new=new,
            comparison=revisions.compare_structured(old, new),
            can_restore=self.has_change_permission(request, story),
        )
        return TemplateResponse(request, "admin/articles/story/revision_compare.html", context)

    def restore_view(self, request, object_id, revision_id):
        story = self._story(request, object_id, change=True)
        if not story.history.filter(history_id=revision_id).exists():
            raise Http404("No such revision.")
        publishing.restore_revision(story=story, by=request.user, revision_id=revision_id)
        self.message_user(request, "The revision was restored as a new revision.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_story_change", args=[story.pk]))

    # Previews and share links.

    def preview_view(self, request, object_id):
        story = self._story(request, object_id)
        return previews.render_preview(request, story, staff=True)

    def share_view(self, request, object_id):
        story = self._story(request, object_id)
        form = PreviewLinkForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            now = timezone.now()
            link = previews.create_link(
                story=story, by=request.user, expires_at=form.expires_at(now), note=form.cleaned_data["note"], now=now
            )
            self.message_user(
                request,
                f"Share link created; it works until {publishing.local_time(link.expires_at)}.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(request.path)
        now = timezone.now()
        links = [
            (link, request.build_absolute_uri(previews.url_for(link)), link.why_closed(now))
            for link in previews.links_of_story(story)
        ]
        live = sum(1 for _link, _url, closed in links if not closed)
        context = self._context(request, story, "Share links", form=form, links=links, live=live)
        return TemplateResponse(request, "admin/articles/story/share_links.html", context)

    def revoke_view(self, request, object_id, link_id):
        story = self._story(request, object_id)
        link = get_object_or_404(PreviewLink, pk=link_id, story=story)
        previews.revoke_link(link=link, by=request.user)
        self.message_user(request, "The share link was revoked: it no longer opens the story.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_story_share", args=[story.pk]))

    def revoke_all_view(self, request, object_id):
        story = self._story(request, object_id)
        count = previews.revoke_story_links(story=story, by=request.user)
        self.message_user(request, f"{count} share link{pluralize(count)} revoked.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_story_share", args=[story.pk]))

    # Corrections.

    def correction_view(self, request, object_id):
        story = self._story(request, object_id)
        if not request.user.has_perm(roles.ADD_CORRECTION):
            raise PermissionDenied
        form = CorrectionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                publishing.add_correction(
                    story=story, by=request.user, text=form.cleaned_data["text"], kind=form.cleaned_data["kind"]
                )
            except publishing.WorkflowError as refused:
                form.add_error(None, refused.reasons)
            else:
                self.message_user(request, "The correction is published at the foot of the story.", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:articles_story_change", args=[story.pk]))
        context = self._context(request, story, "Add a correction", form=form, live=story.is_published())
        return TemplateResponse(request, "admin/articles/story/correction_form.html", context)

    # Quotes made from the story text.

    def people_view(self, request):
        """People on file the user may quote, whose name or description holds every word typed (JSON).

        ``same`` is the one the name is taken to mean by ``articles.people.match_person``, if any.
        """
        if not request.user.has_perm(roles.ADD_QUOTE):
            raise PermissionDenied
        term = " ".join(request.GET.get("q", "").split())[:120]
        visible = Person.objects.visible_to(request.user)
        people = visible
        for word in term.split()[:6]:
            people = people.filter(Q(name__icontains=word) | Q(description__icontains=word))
        found = list(people.order_by("name", "pk")[:PEOPLE_SHOWN]) if term else []
        same = people_rules.match_person(term).same if term else None
        if same is not None and same not in found and visible.filter(pk=same.pk).exists():
            found.insert(0, same)
        return JsonResponse(
            {
                "people": [{"id": p.pk, "name": p.name, "description": p.description} for p in found],
                "same": same.pk if same is not None and same in found else None,
            }
        )

    def quote_view(self, request, object_id):
        """Create a quote from words selected in the body (JSON in, JSON out; the body marks it with its id)."""
        story = self.get_object(request, object_id)
        if not self.has_change_permission(request, story):
            return JsonResponse({"message": "You may not change this story."}, status=403)
        form = QuoteFromSelectionForm(request.POST, user=request.user)
        if not form.is_valid():
            errors = {name: [e["message"] for e in found] for name, found in form.errors.get_json_data().items()}
            return JsonResponse({"message": next(iter(errors.values()))[0], "errors": errors}, status=400)
        data = form.cleaned_data
        try:
            quote, created = quoting.quote_from_selection(
                story=story,
                by=request.user,
                text=data["text"],
                person=data["person"],
                name=data["name"],
                description=form.description,
                kind=data["kind"],
            )
        except PermissionDenied as refused:
            return JsonResponse({"message": str(refused) or "You may not do that."}, status=403)
        person = quote.person
        return JsonResponse(
            {
                "quote": {"id": quote.pk, "text": quote.text, "attribution": quote.attribution},
                "person": {"id": person.pk, "name": person.name, "description": person.description},
                "new_person": created,
            },
            status=201,
        )

    # Autosave.

    def autosave_view(self, request, object_id=None):
        story = None
        if object_id is not None:
            story = self._story(request, object_id, change=True)
        elif not self.has_add_permission(request):
            raise PermissionDenied
        if request.POST.get("_discard"):
            autosave.discard(user=request.user, story=story)
            self.message_user(request, "Your unsaved changes were discarded.", messages.INFO)
            target = "admin:articles_story_change" if story else "admin:articles_story_add"
            return HttpResponseRedirect(reverse(target, args=[story.pk] if story else []))
        kept = autosave.keep(user=request.user, story=story, data=request.POST)
        return JsonResponse({"saved_at": timezone.localtime(kept.saved_at).isoformat()})
