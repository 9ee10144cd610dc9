"""Who may do what in the newsroom: the three roles and the story-level rules built on them.

Roles are Django groups holding model permissions; the rules that depend on the story itself
(whose it is, whether it is published) are the functions below. The admin, the preview and
autosave views, and ``articles.publishing`` all ask these functions, never the group names.
"""

from django.contrib.auth.management import create_permissions
from django.db.models import Q

REPORTER = "Reporter"
EDITOR = "Editor"
ADMIN = "Admin"

# The permissions the code checks by name: every check reads one of these, never a raw string.
PUBLISH_STORY = "articles.publish_story"
EDIT_ANY_STORY = "articles.edit_any_story"
ADD_STORY = "articles.add_story"
VIEW_STORY = "articles.view_story"
CHANGE_STORY = "articles.change_story"
DELETE_STORY = "articles.delete_story"
ADD_CORRECTION = "articles.add_correction"
ADD_QUOTE = "articles.add_quote"
CHANGE_QUOTE = "articles.change_quote"
ADD_PERSON = "articles.add_person"
VIEW_PERSON = "articles.view_person"
CHANGE_PERSON = "articles.change_person"
DELETE_PERSON = "articles.delete_person"
VIEW_STORYREADCOUNT = "articles.view_storyreadcount"
CHANGE_PREVIEWLINK = "articles.change_previewlink"
ADD_ARCHIVEEXPORT = "interchange.add_archiveexport"
CHANGE_USER = "auth.change_user"
ADD_LIVEENTRY = "articles.add_liveentry"
CHANGE_LIVEENTRY = "articles.change_liveentry"
SEND_ISSUE = "newsletters.send_issue"
ADD_BREAKINGALERT = "newsletters.add_breakingalert"
EXPORT_SUBSCRIBER = "newsletters.export_subscriber"


def _crud(app_label: str, *models: str, actions=("add", "change", "delete", "view")) -> set[str]:
    return {f"{app_label}.{action}_{model}" for model in models for action in actions}


REPORTER_PERMISSIONS = (
    _crud("articles", "story", "byline", "quote")
    | _crud("articles", "liveentry", actions=("add", "change", "view"))
    | _crud("articles", "person", actions=("add", "view"))
    | _crud("articles", "section", "source", "author", "correction", "series", "seriesstory", actions=("view",))
    | _crud("taggit", "tag", actions=("add", "view"))
    | _crud("media", "image", actions=("add", "view"))
    | _crud("embeds", "embed", actions=("view",))
)

EDITOR_PERMISSIONS = (
    REPORTER_PERMISSIONS
    | {PUBLISH_STORY, EDIT_ANY_STORY, ADD_CORRECTION}
    | _crud("articles", "section", "source", "author", "authorlink", "person", "series", "seriesstory", "liveentry")
    | _crud("articles", "storyreadcount", actions=("view",))
    | _crud("taggit", "tag")
    | _crud("media", "image")
    | _crud("embeds", "embed", actions=("view", "change"))  # change: fetch again from the provider
    | _crud("interchange", "importeditem", actions=("view",))
    | _crud("interchange", "suggestedquote", actions=("view", "change"))
    # Newsletters: lists and issues, sending them and breaking-news alerts; subscribers' data stays with admins.
    | _crud("newsletters", "newsletterlist", "issue", "issuestory")
    | {"newsletters.send_issue", "newsletters.add_breakingalert", "newsletters.view_breakingalert"}
)

# Admins hold every permission there is: users, groups, the publication and its social links too.
ROLE_PERMISSIONS = {REPORTER: REPORTER_PERMISSIONS, EDITOR: EDITOR_PERMISSIONS, ADMIN: None}

# What each role is for, in the words the account form shows beside it (weakest role first).
ROLE_DESCRIPTIONS = {
    REPORTER: "Writes stories and sends them for review; sees only her own until they are published.",
    EDITOR: (
        "Reviews, publishes, schedules and corrects every story; looks after sections, series, people and "
        "tags; sees what readers read; sends newsletters and breaking-news alerts."
    ),
    ADMIN: "Everything an editor does, plus staff accounts and the publication's own settings.",
}


def role_of(user) -> str | None:
    """The strongest role the user holds (a superuser counts as an admin), or None.

    Reads ``user.groups.all()``, so a list of users prefetches ``groups`` and asks no more.
    """
    if user.is_superuser:
        return ADMIN
    held = {group.name for group in user.groups.all()}
    return next((role for role in reversed(ROLE_PERMISSIONS) if role in held), None)


def is_site_admin(user) -> bool:
    """Admins and superusers run the site itself: accounts, the publication, the libraries' records."""
    return user.is_active and role_of(user) == ADMIN


def sync_roles(apps) -> None:
    """Create the role groups and grant each its permissions (adds only; safe to run again).

    ``apps`` is a migration's app registry or ``django.apps.apps``. Permissions of models that
    do not exist yet are skipped; a later data migration calling this again picks them up.
    """
    for app_config in apps.get_app_configs():
        # Permissions are normally created after all migrations ran; roles need them now.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.all()
        if wanted is not None:
            query = Q(pk__in=[])
            for dotted in wanted:
                app_label, codename = dotted.split(".")
                query |= Q(content_type__app_label=app_label, codename=codename)
            permissions = permissions.filter(query)
        group.permissions.add(*permissions)


def can_publish(user) -> bool:
    """Editors and admins publish, schedule, unpublish and retract; reporters never do."""
    return user.has_perm(PUBLISH_STORY)


def can_send_newsletters(user) -> bool:
    """Editors and admins send and schedule newsletter issues."""
    return user.has_perm(SEND_ISSUE)


def can_send_alerts(user) -> bool:
    """Editors and admins send a breaking story to the breaking-news list and browsers."""
    return user.has_perm(ADD_BREAKINGALERT)


def can_edit_any_story(user) -> bool:
    return user.has_perm(EDIT_ANY_STORY)


def is_own_story(user, story) -> bool:
    """The user started the story or is bylined on it (row twin of ``StoryQuerySet.owned_by``)."""
    if not user.is_authenticated or story.pk is None:
        return False
    return story.created_by_id == user.pk or story.bylines.filter(author__user=user).exists()


def can_view_story(user, story) -> bool:
    """Editors see every story; reporters only their own."""
    return user.has_perm(VIEW_STORY) and (can_edit_any_story(user) or is_own_story(user, story))


def _is_unpublished(story) -> bool:
    return story.status in (story.Status.DRAFT, story.Status.SUBMITTED)


def can_edit_story(user, story) -> bool:
    """Editors edit every story; reporters their own until it is published or scheduled."""
    if not user.has_perm(CHANGE_STORY):
        return False
    return can_edit_any_story(user) or (_is_unpublished(story) and is_own_story(user, story))


def can_delete_story(user, story) -> bool:
    """Nobody deletes a published story (retract it instead); reporters delete only their own drafts."""
    if not user.has_perm(DELETE_STORY) or story.status == story.Status.PUBLISHED:
        return False
    return can_edit_any_story(user) or (_is_unpublished(story) and is_own_story(user, story))


def can_cover_live(user, story) -> bool:
    """Run a story's live coverage (start it, post, pin, correct and delete entries, end it): editors on
    every story, reporters on their own (started by them or bylined on them), published or not, since
    live coverage is written after publication."""
    if not user.has_perms([CHANGE_LIVEENTRY, ADD_LIVEENTRY]):
        return False
    return can_edit_any_story(user) or is_own_story(user, story)


def sees_every_read_count(user) -> bool:
    """Editors see the read counts of every story; reporters only those of their own (``StoryQuerySet.owned_by``)."""
    return user.has_perm(VIEW_STORYREADCOUNT) and can_edit_any_story(user)


def can_see_read_counts(user) -> bool:
    """Anyone who may open stories in the admin sees the read counts of the stories they may open."""
    return user.has_perm(VIEW_STORY) or user.has_perm(VIEW_STORYREADCOUNT)


def can_merge_people(user) -> bool:
    """Merging or splitting people moves quotes between them on any story, published or not: editors only."""
    return user.has_perms([CHANGE_PERSON, DELETE_PERSON, CHANGE_QUOTE]) and (can_edit_any_story(user))
