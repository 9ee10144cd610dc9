"""The story admin's live coverage page: start a live blog, post entries, pin, correct or delete one, end it.

One page beside the story's change form (/admin/articles/story/<id>/live/), with the entry form on top so
a reporter posts in one click, and small pages for a correction and a deletion's confirmation. Each view
finds the story through the admin's queryset (a story the user may not see is a 404); every change asks
``roles.can_cover_live`` (403 otherwise, nothing saved) and is made by ``articles.live``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from articles import live, roles
from articles.forms import LiveCorrectionForm, LiveEndForm, LiveEntryForm
from articles.models import LiveEntry, Story
from articles.publishing import WorkflowError


def _page(story) -> str:
    return reverse("admin:articles_story_live", args=[story.pk])


def _covered_story(model_admin, request, object_id):
    """The story for the page: a change by someone who may not cover it is refused (403) before anything
    else; looking follows the admin (a story the user may not see is a 404)."""
    story = Story.objects.filter(pk=int(object_id)).first() if object_id.isdigit() and len(object_id) < 19 else None
    if story is None:
        raise Http404("No such story.")
    if request.method == "POST" and not roles.can_cover_live(request.user, story):
        raise PermissionDenied
    return model_admin._story(request, object_id)


def live_view(model_admin, request, object_id):
    """The live coverage page; a POST names its ``action`` and comes back here after it."""
    story = _covered_story(model_admin, request, object_id)
    forms = {"post": LiveEntryForm(request.POST or None, user=request.user), "end": LiveEndForm(request.POST or None)}
    if request.method != "POST":
        return _render(model_admin, request, story, forms)
    action, by = request.POST.get("action"), request.user
    if action in forms:
        form = forms[action]
        forms = {**forms, **{other: _unbound(other, request) for other in forms if other != action}}
        if not form.is_valid():
            return _render(model_admin, request, story, forms, status=400)
        data = form.cleaned_data
        if action == "post":
            change, success = (lambda: live.post_entry(story=story, by=by, **data)), "The entry is on the page."
        else:
            change = lambda: live.end_coverage(story=story, by=by, summary=data["summary"])  # noqa: E731
            success = "Live coverage ended; the summary tops the page."
        try:
            change()
        except WorkflowError as refused:
            form.add_error(None, refused.reasons)  # the text typed stays in the form
            return _render(model_admin, request, story, forms, status=400)
    elif action == "start":
        success = "Live coverage started: post the first entry."
        if not _made(request, lambda: live.start_coverage(story=story, by=by)):
            return HttpResponseRedirect(_page(story))
    elif action in ("pin", "unpin"):
        entry = get_object_or_404(LiveEntry, pk=_entry_id(request), story=story)
        pinned = action == "pin"
        success = "The entry is pinned above the others." if pinned else "The entry is no longer pinned."
        if not _made(request, lambda: live.pin_entry(entry=entry, by=by, pinned=pinned)):
            return HttpResponseRedirect(_page(story))
    else:
        messages.error(request, "Choose what to do.")
        return HttpResponseRedirect(_page(story))
    messages.success(request, success)
    return HttpResponseRedirect(_page(story))


def _unbound(action: str, request):
    return LiveEntryForm(user=request.user) if action == "post" else LiveEndForm()


def _entry_id(request) -> int:
    value = request.POST.get("entry", "")
    return int(value) if value.isdigit() and len(value) < 19 else 0


def _made(request, change) -> bool:
    """Make a change that needs no form; a refusal is told as a message."""
    try:
        change()
    except WorkflowError as refused:
        for reason in refused.reasons:
            messages.error(request, reason)
        return False
    return True


def _render(model_admin, request, story, forms, *, status=200):
    entries = story.live_entries.select_related("author", "person", "picture").order_by("-pinned", "-posted_at", "-pk")
    context = model_admin._context(
        request,
        story,
        "Live coverage",
        entries=list(entries),
        entry_form=forms["post"],
        end_form=forms["end"],
        can_cover=roles.can_cover_live(request.user, story),
        public_url=story.get_absolute_url() if story.is_published() else "",
    )
    return TemplateResponse(request, "admin/articles/story/live.html", context, status=status)


def _entry(model_admin, request, object_id, entry_id):
    story = _covered_story(model_admin, request, object_id)
    if not roles.can_cover_live(request.user, story):
        raise PermissionDenied
    entry = get_object_or_404(LiveEntry, pk=entry_id, story=story, deleted_at__isnull=True)
    return story, entry


def correct_view(model_admin, request, object_id, entry_id):
    """Correct an entry's text with a note readers see."""
    story, entry = _entry(model_admin, request, object_id, entry_id)
    form = LiveCorrectionForm(request.POST or None, initial={"body": entry.body})
    if request.method == "POST" and form.is_valid():
        try:
            live.correct_entry(entry=entry, by=request.user, **form.cleaned_data)
        except WorkflowError as refused:
            form.add_error(None, refused.reasons)
        else:
            messages.success(request, "The entry is corrected; readers see the note with its time.")
            return HttpResponseRedirect(_page(story))
    context = model_admin._context(request, story, "Correct a live entry", entry=entry, form=form)
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(request, "admin/articles/story/live_correct.html", context, status=status)


def delete_view(model_admin, request, object_id, entry_id):
    """Ask, then take the entry off the page (the row and the audit log keep it)."""
    story, entry = _entry(model_admin, request, object_id, entry_id)
    if request.method == "POST":
        live.delete_entry(entry=entry, by=request.user)
        messages.success(request, "The entry was deleted: readers no longer see it.")
        return HttpResponseRedirect(_page(story))
    context = model_admin._context(request, story, "Delete a live entry", entry=entry)
    return TemplateResponse(request, "admin/articles/story/live_delete.html", context)
