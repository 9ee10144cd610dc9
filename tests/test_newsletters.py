"""Newsletters: subscribing with double opt-in from the cached home page, leaving a list, issues composed,
tested, scheduled and sent in batches (never twice to anyone), bounces, subscribers' data, and the admin."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from newsletters import links, sending
from newsletters.models import Delivery, Issue, IssueStory, NewsletterList, Subscriber, Subscription
from tests.factories import log_in, make_section, make_staff, make_story
from tests.newsletter_helpers import (
    links_in,
    make_list,
    path_of,
    publication_with_address,
    subscribe_confirmed,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def briefing():
    publication_with_address()
    return make_list(description="The day's top stories.")


def subscribe(client, email, *lists, **headers):
    return client.post("/newsletters/subscribe/", {"email": email, "lists": [n.pk for n in lists]}, **headers)


def make_issue(newsletter, *stories, subject="Tuesday's briefing") -> Issue:
    issue = Issue.objects.create(newsletter=newsletter, subject=subject)
    for position, story in enumerate(stories):
        IssueStory.objects.create(issue=issue, story=story, position=position)
    return issue


# --- subscribing ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("page_cache")
def test_the_home_page_offers_the_lists_and_stays_cached_with_the_form_on_it(briefing):
    make_list("Breaking news", "breaking-news", kind="breaking", schedule="news", position=1)
    first, second = Client().get("/"), Client().get("/")

    form = BeautifulSoup(first.content, "html.parser").select_one(".newsletter-signup form")
    assert form["action"] == "/newsletters/subscribe/"
    labels = [label.get_text(" ", strip=True) for label in form.select("fieldset label")]
    assert labels == ["The Morning Herald The day's top stories.", "Breaking news"]
    assert form.select_one("input[name=lists]")["value"] == str(briefing.pk)
    assert form.select_one("input[name=email][type=email]") is not None
    assert form.select_one("input[name=csrfmiddlewaretoken]") is None
    assert "csrftoken" not in first.cookies
    assert second["X-Page-Cache"] == "hit"


@pytest.mark.usefixtures("page_cache")
def test_changing_a_list_retires_the_home_page(briefing):
    Client().get("/")
    assert Client().get("/")["X-Page-Cache"] == "hit"

    briefing.name = "The Evening Herald"
    briefing.save()

    fresh = Client().get("/")
    assert fresh["X-Page-Cache"] != "hit"
    assert "The Evening Herald" in fresh.content.decode()


def test_subscribing_sends_only_a_confirmation_and_the_link_confirms(briefing):
    client = Client(enforce_csrf_checks=True)  # the form on the cached page carries no token
    response = subscribe(client, "Reader@Example.org", briefing)

    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reader@example.org"]
    assert "The Morning Herald" in message.body
    confirm_url = links_in(message.body, "/newsletters/confirm/")[0]
    assert confirm_url.startswith("https://herald.example/")
    assert not Subscription.objects.filter(confirmed_at__isnull=False).exists()

    # Nothing but the confirmation reaches an unconfirmed address.
    issue = make_issue(briefing, make_story("Dam levels rise"))
    sending.send_now(issue, by=None)
    assert len(mail.outbox) == 1

    page = client.get(path_of(confirm_url))
    assert page.status_code == 200 and "Confirm my subscription" in page.content.decode()
    assert not Subscription.objects.filter(confirmed_at__isnull=False).exists()  # a GET changes nothing
    confirmed = client.post(path_of(confirm_url))
    assert confirmed.status_code == 200
    assert "You are subscribed" in confirmed.content.decode()
    assert Subscription.objects.get().confirmed_at is not None


def test_a_forged_or_expired_confirmation_link_is_a_clear_404(briefing, settings):
    subscribe(Client(), "reader@example.org", briefing)
    url = path_of(links_in(mail.outbox[0].body, "/newsletters/confirm/")[0])

    assert Client().post(url[:-3] + "xx/").status_code == 404
    settings.NEWSROOM_NEWSLETTER_CONFIRM_DAYS = -1
    expired = Client().post(url)
    assert expired.status_code == 404
    assert "This link does not work" in expired.content.decode()
    assert not Subscription.objects.filter(confirmed_at__isnull=False).exists()


def test_without_a_choice_the_daily_briefing_is_chosen(briefing):
    subscribe(Client(), "reader@example.org")
    assert list(Subscription.objects.values_list("newsletter__slug", flat=True)) == ["daily-briefing"]


def test_a_bad_address_gets_the_form_back_with_a_message(briefing):
    response = subscribe(Client(), "not an address", briefing)
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert mail.outbox == []


def test_a_post_from_another_site_is_refused(briefing):
    response = subscribe(Client(), "victim@example.org", briefing, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert mail.outbox == [] and not Subscriber.objects.exists()


def test_an_address_is_sent_one_confirmation_however_often_it_is_entered(briefing):
    for _ in range(3):
        assert subscribe(Client(), "reader@example.org", briefing).status_code == 200
    assert len(mail.outbox) == 1


def test_subscribing_is_throttled_per_address(briefing, settings):
    settings.NEWSROOM_THROTTLE_SUBSCRIBE = "2/m"
    client = Client()
    statuses = [subscribe(client, f"reader{n}@example.org", briefing).status_code for n in range(3)]
    assert statuses == [200, 200, 429]
    assert len(mail.outbox) == 2


def test_a_suppressed_address_is_sent_nothing_not_even_a_confirmation(briefing):
    call_command("suppress_address", "gone@example.org", "--because", "complaint")
    response = subscribe(Client(), "gone@example.org", briefing)
    assert response.status_code == 200  # the reader is told the same as anyone
    assert mail.outbox == []


# --- unsubscribing ---------------------------------------------------------------------------------


def unsubscribe_path(subscriber, newsletter):
    return links.unsubscribe_path(links.unsubscribe_token(subscriber.pk, newsletter.pk))


def test_the_unsubscribe_link_asks_then_leaves_one_list_without_login(briefing):
    other = make_list("Sport this week", "sport-weekly", schedule="weekly")
    (reader,) = subscribe_confirmed(briefing, "reader@example.org")
    subscribe_confirmed(other, "reader@example.org")
    client = Client(enforce_csrf_checks=True)
    url = unsubscribe_path(reader, briefing)

    page = client.get(url)
    assert page.status_code == 200 and "Unsubscribe from The Morning Herald?" in page.content.decode()
    done = client.post(url)
    assert done.status_code == 200 and "You are unsubscribed" in done.content.decode()
    assert list(reader.subscriptions.values_list("newsletter__slug", flat=True)) == ["sport-weekly"]
    assert "You are not subscribed" in client.get(url).content.decode()


def test_one_click_unsubscribe_is_a_post_without_csrf_token(briefing):
    (reader,) = subscribe_confirmed(briefing, "reader@example.org")
    response = Client(enforce_csrf_checks=True).post(
        unsubscribe_path(reader, briefing), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert not reader.subscriptions.exists()


def test_a_forged_unsubscribe_link_changes_nothing(briefing):
    (reader,) = subscribe_confirmed(briefing, "reader@example.org")
    token = links.unsubscribe_token(reader.pk, briefing.pk)
    forged = token.replace(f"{reader.pk}-", f"{reader.pk + 1}-", 1)
    assert Client().post(links.unsubscribe_path(forged)).status_code == 404
    assert reader.subscriptions.exists()


# --- issues ------------------------------------------------------------------------------------------


def test_an_issue_goes_to_every_confirmed_subscriber_once_as_multipart_mail(briefing):
    story = make_story("Dam levels rise after the rains", standfirst="Vaal Dam is at 64%.")
    subscribers = subscribe_confirmed(briefing, "a@example.org", "b@example.org")
    issue = make_issue(briefing, story)

    sending.send_now(issue, by=None)

    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.org", "b@example.org"]
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT and issue.sent_at is not None
    message = next(message for message in mail.outbox if message.to == ["a@example.org"])
    html = message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html"
    assert "Dam levels rise after the rains" in message.body and "Vaal Dam is at 64%." in html
    assert "https://herald.example" + story.get_absolute_url() in message.body
    assert "14 Jorissen Street, Braamfontein" in message.body and "14 Jorissen Street, Braamfontein" in html
    unsubscribe = unsubscribe_path(subscribers[0], briefing)
    assert message.extra_headers["List-Unsubscribe"] == f"<https://herald.example{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "https://herald.example" + unsubscribe in message.body and unsubscribe in html
    assert "<img" not in html  # no open-counting picture unless the publication switches it on

    # Running the batch again, or starting the issue again, sends nobody anything.
    assert sending.send_batch(issue.pk, 0, None) == 0
    with pytest.raises(sending.ValidationError):
        sending.send_now(issue, by=None)
    assert len(mail.outbox) == 2
    assert Delivery.objects.filter(issue=issue).count() == 2


def test_a_batch_run_twice_sends_nobody_the_issue_twice(briefing):
    subscribe_confirmed(briefing, *(f"r{n}@example.org" for n in range(5)))
    issue = make_issue(briefing, make_story())
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENDING)

    assert sending.send_batch(issue.pk, 0, None) == 5
    assert sending.send_batch(issue.pk, 0, None) == 0
    assert len(mail.outbox) == 5


def test_an_issue_is_sent_in_batches(briefing, settings):
    settings.NEWSROOM_NEWSLETTER_BATCH = 2
    subscribe_confirmed(briefing, *(f"r{n}@example.org" for n in range(5)))
    issue = make_issue(briefing, make_story())
    bounds = sending.batch_bounds(issue, 2)
    assert len(bounds) == 3 and bounds[-1][1] is None

    sending.send_now(issue, by=None)
    assert len(mail.outbox) == 5


class FailingAfter:
    """A mail connection that accepts ``limit`` messages, then fails like a lost SMTP server."""

    sent: list = []
    limit = 2

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        if len(FailingAfter.sent) >= FailingAfter.limit:
            raise ConnectionError("the mail server went away")
        FailingAfter.sent.extend(messages)
        return len(messages)


def test_a_failure_mid_batch_is_retried_for_the_unsent_only(briefing, settings):
    subscribe_confirmed(briefing, *(f"r{n}@example.org" for n in range(5)))
    issue = make_issue(briefing, make_story())
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENDING)
    settings.EMAIL_BACKEND = "tests.test_newsletters.FailingAfter"
    FailingAfter.sent, FailingAfter.limit = [], 2

    with pytest.raises(ConnectionError):
        sending.send_batch(issue.pk, 0, None)
    assert Delivery.objects.filter(issue=issue).count() == 2  # the unsent were given back

    FailingAfter.limit = 100
    assert sending.send_batch(issue.pk, 0, None) == 3
    recipients = [message.to[0] for message in FailingAfter.sent]
    assert sorted(recipients) == sorted(f"r{n}@example.org" for n in range(5))
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_the_tracking_picture_is_there_only_when_switched_on(briefing, settings):
    (reader,) = subscribe_confirmed(briefing, "reader@example.org")
    settings.NEWSROOM_NEWSLETTER_TRACKING = True
    issue = make_issue(briefing, make_story())
    sending.send_now(issue, by=None)

    html = mail.outbox[0].alternatives[0][0]
    picture = BeautifulSoup(html, "html.parser").find("img")["src"]
    response = Client().get(path_of(picture))
    assert response.status_code == 200 and response["Content-Type"] == "image/gif"
    assert Delivery.objects.get(subscriber=reader).opened_at is not None


def test_a_story_unpublished_after_composing_is_left_out(briefing):
    kept, pulled = make_story("Kept story"), make_story("Pulled story")
    subscribe_confirmed(briefing, "reader@example.org")
    issue = make_issue(briefing, kept, pulled)
    pulled.status = pulled.Status.DRAFT
    pulled.save()

    sending.send_now(issue, by=None)
    assert "Kept story" in mail.outbox[0].body and "Pulled story" not in mail.outbox[0].body


def test_filling_an_issue_takes_the_days_top_stories_per_section(briefing):
    news, sport = make_section("News"), make_section("Sport")
    for n in range(4):
        make_story(f"News {n}", section=news)
    make_story("Sport 0", section=sport)
    make_story("Last week", section=sport, published_at=timezone.now() - timedelta(days=3))
    make_story("Draft", section=sport, status="draft")
    issue = make_issue(briefing)

    assert sending.fill_with_top_stories(issue) == 4
    headlines = set(issue.entries.values_list("story__headline", flat=True))
    assert "Sport 0" in headlines and len(headlines & {"News 0", "News 1", "News 2", "News 3"}) == 3


def test_a_scheduled_issue_goes_out_when_its_time_comes(briefing):
    subscribe_confirmed(briefing, "reader@example.org")
    issue = make_issue(briefing, make_story())
    at = timezone.now() + timedelta(hours=2)
    sending.schedule(issue, at=at, by=None)

    assert sending.start_due(timezone.now()) == [] and mail.outbox == []
    assert sending.start_due(at + timedelta(minutes=1)) == [issue.pk]
    assert len(mail.outbox) == 1


def test_an_automatic_list_makes_and_sends_its_issue_at_its_slot(briefing):
    briefing.automatic = True
    briefing.save()
    subscribe_confirmed(briefing, "reader@example.org")
    make_story("Morning story")
    slot = briefing.next_slot()

    sending.start_due(slot + timedelta(minutes=1))
    sending.start_due(slot + timedelta(minutes=2))  # the next minute's run makes no second issue

    assert Issue.objects.filter(newsletter=briefing).count() == 1
    assert len(mail.outbox) == 1 and "Morning story" in mail.outbox[0].body


def test_the_list_schedule_gives_the_next_slot(briefing):
    briefing.schedule = "weekdays"
    briefing.save()
    saturday_noon = timezone.make_aware(timezone.datetime(2026, 12, 5, 12, 0))
    assert briefing.next_slot(saturday_noon).weekday() == 0  # Monday
    briefing.schedule = "news"
    assert briefing.next_slot(saturday_noon) is None


def test_send_test_newsletter_sends_the_current_issue_to_one_address(briefing):
    subscribe_confirmed(briefing, "reader@example.org")
    make_issue(briefing, make_story("Old"), subject="Monday")
    make_issue(briefing, make_story("Taxi fares rise"), subject="Tuesday")

    call_command("send_test_newsletter", "editor@example.org")

    assert [message.to for message in mail.outbox] == [["editor@example.org"]]
    assert mail.outbox[0].subject == "[Test] Tuesday" and "Taxi fares rise" in mail.outbox[0].body
    assert not Delivery.objects.exists()


def test_send_test_newsletter_names_an_unknown_list(briefing):
    with pytest.raises(CommandError, match='No list "nope"'):
        call_command("send_test_newsletter", "editor@example.org", "--list", "nope")


# --- bounces, complaints and subscribers' data ------------------------------------------------------


def test_the_bounce_endpoint_needs_its_token_and_suppresses_the_address(briefing, settings):
    settings.NEWSROOM_NEWSLETTER_BOUNCE_TOKEN = "s3cret-token"
    subscribe_confirmed(briefing, "bouncy@example.org")
    body = '{"email": "Bouncy@example.org", "kind": "complaint"}'

    assert Client().post("/newsletters/bounces/", body, content_type="application/json").status_code == 403
    wrong = Client().post(
        "/newsletters/bounces/", body, content_type="application/json", HTTP_AUTHORIZATION="Bearer nope"
    )
    assert wrong.status_code == 403
    bad = Client().post(
        "/newsletters/bounces/", "{", content_type="application/json", HTTP_AUTHORIZATION="Bearer s3cret-token"
    )
    assert bad.status_code == 400
    ok = Client().post(
        "/newsletters/bounces/", body, content_type="application/json", HTTP_AUTHORIZATION="Bearer s3cret-token"
    )
    assert ok.status_code == 200 and ok.json() == {"suppressed": "bouncy@example.org"}
    subscriber = Subscriber.objects.get(email="bouncy@example.org")
    assert subscriber.suppressed_because == "complaint" and not subscriber.subscriptions.exists()

    sending.send_now(make_issue(briefing, make_story()), by=None)
    assert mail.outbox == []


def test_the_bounce_endpoint_is_off_without_a_token(briefing):
    body = '{"email": "a@example.org"}'
    response = Client().post(
        "/newsletters/bounces/", body, content_type="application/json", HTTP_AUTHORIZATION="Bearer "
    )
    assert response.status_code == 403


def test_a_readers_data_is_exported_and_deleted_on_request(briefing, capsys):
    (reader,) = subscribe_confirmed(briefing, "reader@example.org")
    sending.send_now(make_issue(briefing, make_story(), subject="Wednesday"), by=None)

    call_command("subscriber_data", "export", "reader@example.org")
    exported = capsys.readouterr().out
    assert '"email": "reader@example.org"' in exported and '"issue": "Wednesday"' in exported

    call_command("subscriber_data", "delete", "reader@example.org")
    assert not Subscriber.objects.exists() and not Delivery.objects.exists() and not Subscription.objects.exists()


def test_subscriptions_never_confirmed_are_pruned(briefing):
    subscribe(Client(), "late@example.org", briefing)
    from newsletters import subscriptions

    assert subscriptions.prune_unconfirmed(older_than=timedelta(days=30)) == 0
    assert subscriptions.prune_unconfirmed(older_than=timedelta(days=30), now=timezone.now() + timedelta(days=31)) == 1
    assert not Subscriber.objects.exists()


# --- the admin ----------------------------------------------------------------------------------------


@pytest.fixture
def editor_client(client):
    return log_in(client, make_staff("editor", roles=["Editor"]))


def test_an_editor_previews_an_issue_in_the_browser_and_as_text(briefing, editor_client):
    issue = make_issue(briefing, make_story("Rea Vaya adds buses"))
    html = editor_client.get(f"/admin/newsletters/issue/{issue.pk}/preview/")
    text = editor_client.get(f"/admin/newsletters/issue/{issue.pk}/preview.txt")

    assert html.status_code == 200 and "Rea Vaya adds buses" in html.content.decode()
    assert text["Content-Type"].startswith("text/plain") and "Rea Vaya adds buses" in text.content.decode()
    change = editor_client.get(f"/admin/newsletters/issue/{issue.pk}/change/").content.decode()
    assert f"/admin/newsletters/issue/{issue.pk}/send/" in change


def test_an_editor_tests_fills_and_sends_an_issue_from_the_admin(briefing, editor_client):
    subscribe_confirmed(briefing, "reader@example.org")
    make_story("Today's story")
    issue = make_issue(briefing)
    url = f"/admin/newsletters/issue/{issue.pk}/send/"

    editor_client.post(url, {"step": "fill"})
    assert issue.entries.count() == 1
    editor_client.post(url, {"step": "test", "address": "me@example.org"})
    assert [message.to for message in mail.outbox] == [["me@example.org"]]
    unconfirmed = editor_client.post(url, {"step": "send"}, follow=True)
    assert "Tick the box" in unconfirmed.content.decode() and len(mail.outbox) == 1
    editor_client.post(url, {"step": "send", "confirm": "yes"})
    assert [message.to for message in mail.outbox][1:] == [["reader@example.org"]]
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_a_reporter_cannot_send_or_see_issues(briefing, client):
    issue = make_issue(briefing, make_story())
    subscribe_confirmed(briefing, "reader@example.org")
    log_in(client, make_staff("reporter", roles=["Reporter"]))

    assert (
        client.post(f"/admin/newsletters/issue/{issue.pk}/send/", {"step": "send", "confirm": "yes"}).status_code == 403
    )
    assert client.get(f"/admin/newsletters/issue/{issue.pk}/preview/").status_code == 403
    assert mail.outbox == []
    with pytest.raises(sending.PermissionDenied):
        sending.send_now(issue, by=make_staff("reporter2", roles=["Reporter"]))


def test_editors_do_not_see_subscribers_admins_export_them(briefing, editor_client, client):
    subscribe_confirmed(briefing, "reader@example.org")
    assert editor_client.get("/admin/newsletters/subscriber/").status_code == 403

    admin_client = log_in(Client(), make_staff("boss", roles=["Admin"]))
    reader = Subscriber.objects.get()
    export = admin_client.post(
        "/admin/newsletters/subscriber/", {"action": "export_data", "_selected_action": [reader.pk]}
    )
    assert export["Content-Disposition"].startswith("attachment")
    assert '"email": "reader@example.org"' in export.content.decode()


def test_a_section_list_must_name_its_section():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        NewsletterList.objects.create(name="Sport", slug="sport", kind="section")


def test_the_demo_content_has_the_lists(capsys):
    sport = make_section("Sport")
    call_command("load_demo_lists")
    call_command("load_demo_lists")  # a second run creates nothing

    lists = {newsletter.slug: newsletter for newsletter in NewsletterList.objects.all()}
    assert {"daily-briefing", "breaking-news", "section-sport"} == set(lists)
    assert lists["daily-briefing"].automatic and lists["breaking-news"].kind == "breaking"
    assert lists["section-sport"].section == sport
    assert "Created 3 newsletters." in capsys.readouterr().out
    home = Client().get("/").content.decode()
    assert "The Morning Herald" in home and "Sport this week" in home


def test_with_a_worker_sending_waits_for_the_queue(briefing, queued_jobs):
    subscribe_confirmed(briefing, "reader@example.org")
    issue = make_issue(briefing, make_story())

    sending.send_now(issue, by=None)

    ours = [job for job in queued_jobs() if job[0].startswith("newsletters.")]  # stories queue their own
    assert ours == [("newsletters.tasks.send_issue", (issue.pk,))]
    assert mail.outbox == []
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENDING


def test_the_record_of_who_was_sent_an_issue_is_forgotten_after_its_days(briefing):
    subscribe_confirmed(briefing, "reader@example.org")
    old, recent = make_issue(briefing, make_story(), subject="Old"), make_issue(briefing, make_story(), subject="New")
    sending.send_now(old, by=None)
    sending.send_now(recent, by=None)
    Issue.objects.filter(pk=old.pk).update(sent_at=timezone.now() - timedelta(days=91))
    from newsletters import tasks

    tasks.prune_unconfirmed()

    assert list(Delivery.objects.values_list("issue__subject", flat=True)) == ["New"]


def test_send_test_newsletter_without_an_issue_sends_the_days_top_stories_and_keeps_nothing(briefing):
    make_story("Metro buses run late")
    call_command("send_test_newsletter", "editor@example.org", "--list", "daily-briefing")

    assert mail.outbox[0].subject == "[Test] The Morning Herald" and "Metro buses run late" in mail.outbox[0].body
    assert not Issue.objects.exists()


def test_every_newsletter_admin_page_opens_for_an_admin(briefing):
    subscribe_confirmed(briefing, "reader@example.org")
    issue = make_issue(briefing, make_story())
    admin_client = log_in(Client(), make_staff("boss", roles=["Admin"]))
    reader = Subscriber.objects.get()
    pages = [
        "/admin/newsletters/newsletterlist/",
        f"/admin/newsletters/newsletterlist/{briefing.pk}/change/",
        "/admin/newsletters/issue/",
        "/admin/newsletters/issue/add/",
        f"/admin/newsletters/issue/{issue.pk}/change/",
        f"/admin/newsletters/issue/{issue.pk}/send/",
        "/admin/newsletters/subscriber/",
        f"/admin/newsletters/subscriber/{reader.pk}/change/",
        "/admin/newsletters/breakingalert/",
        "/admin/newsletters/breakingalert/add/",
        "/admin/newsletters/pushsubscription/",
    ]
    assert {page: admin_client.get(page).status_code for page in pages} == dict.fromkeys(pages, 200)
    listing = admin_client.get("/admin/newsletters/newsletterlist/").content.decode()
    assert "The Morning Herald" in listing


def test_an_editor_schedules_an_issue_for_the_lists_next_slot(briefing, editor_client):
    issue = make_issue(briefing, make_story())
    editor_client.post(f"/admin/newsletters/issue/{issue.pk}/send/", {"step": "schedule", "send_at": ""})

    issue.refresh_from_db()
    assert issue.status == Issue.Status.SCHEDULED and issue.send_at == briefing.next_slot()
    page = editor_client.get(f"/admin/newsletters/issue/{issue.pk}/send/").content.decode()
    assert "Scheduled" in page and mail.outbox == []
