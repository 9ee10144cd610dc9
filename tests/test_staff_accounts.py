"""Staff onboarding and the admin's own look: one account form with a role, a byline made with the
account, a user list that says who is who, the publication's name on every admin page, and the
libraries' apps kept to admins."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.urls import reverse

from articles.models import Author, Publication, Story
from tests.factories import log_in, make_author, make_staff, make_story, make_totp_device, ready_story
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/auth/user/add/"
PASSWORD = "river-stone-lantern-42"


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def new_colleague(client, **fields):
    data = form_data(client.get(ADD_URL), "user_form")
    data.update(
        {
            "first_name": "Lerato",
            "last_name": "Dube",
            "email": "lerato@example.org",
            "username": "lerato",
            "role": "Reporter",
            "password1": PASSWORD,
            "password2": PASSWORD,
            **fields,
        }
    )
    return client.post(ADD_URL, data)


def test_the_account_form_offers_the_three_roles_as_choices_and_no_permission_lists(client, admin_member):
    log_in(client, admin_member)

    page = soup(client.get(ADD_URL))

    radios = page.select("input[type=radio][name=role]")
    assert [radio["value"] for radio in radios] == ["Reporter", "Editor", "Admin"]
    labels = [radio.find_parent("label").get_text(" ", strip=True) for radio in radios]
    assert labels[0].startswith("Reporter Writes stories")
    for name in ("first_name", "last_name", "email", "username", "password1", "password2"):
        assert page.select_one(f"[name={name}]") is not None, name
    assert page.select_one("[name=user_permissions], [name=groups], [name=is_staff]") is None


def test_an_admin_creates_a_reporter_with_her_byline_in_one_form(client, admin_member):
    log_in(client, admin_member)

    response = new_colleague(client)

    assert response.status_code == 302 and response["Location"] == "/admin/auth/user/"
    user = get_user_model().objects.get(username="lerato")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Reporter"]
    assert (user.first_name, user.last_name, user.email) == ("Lerato", "Dube", "lerato@example.org")
    assert user.check_password(PASSWORD)
    author = Author.objects.get(user=user)
    assert author.name == "Lerato Dube" and author.slug == "lerato-dube"


def test_name_and_e_mail_are_required(client, admin_member):
    log_in(client, admin_member)

    response = new_colleague(client, first_name="", email="", role="")

    assert response.status_code == 200
    page = soup(response)
    for name in ("first_name", "email", "role"):
        assert page.select_one(f".field-{name} .errorlist"), name
    assert not get_user_model().objects.filter(username="lerato").exists()


def test_byline_search_finds_the_new_colleague(client, admin_member, editor):
    log_in(client, admin_member)
    new_colleague(client)
    log_in(client, editor)

    found = client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "byline", "field_name": "author", "term": "Lerato"},
    ).json()

    assert [result["text"] for result in found["results"]] == ["Lerato Dube"]


def test_renaming_the_account_renames_the_byline_but_keeps_its_address(client, admin_member):
    log_in(client, admin_member)
    new_colleague(client)
    user = get_user_model().objects.get(username="lerato")
    change_url = f"/admin/auth/user/{user.pk}/change/"
    data = form_data(client.get(change_url), "user_form")
    assert data["role"] == "Reporter"

    response = client.post(change_url, {**data, "last_name": "Dube-Mokoena"})

    assert response.status_code == 302
    author = Author.objects.get(user=user)
    assert (author.name, author.slug) == ("Lerato Dube-Mokoena", "lerato-dube")


def test_an_edit_that_leaves_the_name_alone_keeps_a_byline_written_differently(client, admin_member, reporter):
    Author.objects.filter(user=reporter).update(name="R. Reporter")
    log_in(client, admin_member)
    change_url = f"/admin/auth/user/{reporter.pk}/change/"

    client.post(change_url, {**form_data(client.get(change_url), "user_form"), "email": "rita@example.org"})

    assert Author.objects.get(user=reporter).name == "R. Reporter"


def test_changing_the_role_swaps_the_group_and_no_role_ends_admin_access(client, admin_member, reporter):
    log_in(client, admin_member)
    change_url = f"/admin/auth/user/{reporter.pk}/change/"

    client.post(change_url, {**form_data(client.get(change_url), "user_form"), "role": "Editor"})
    reporter.refresh_from_db()
    assert list(reporter.groups.values_list("name", flat=True)) == ["Editor"] and reporter.is_staff

    client.post(change_url, {**form_data(client.get(change_url), "user_form"), "role": ""})
    reporter.refresh_from_db()
    assert not reporter.groups.exists() and not reporter.is_staff


def test_only_a_superuser_sees_the_superuser_switch(client, admin_member, reporter):
    log_in(client, admin_member)
    change_url = f"/admin/auth/user/{reporter.pk}/change/"
    assert soup(client.get(change_url)).select_one("[name=is_superuser]") is None

    client.post(change_url, {**form_data(client.get(change_url), "user_form"), "is_superuser": "on"})

    reporter.refresh_from_db()
    assert not reporter.is_superuser


def test_the_user_list_shows_role_last_sign_in_and_two_step_status(client, admin_member, reporter, editor):
    make_totp_device(editor)
    log_in(client, admin_member)  # signs the admin in: her last sign-in is now

    page = soup(client.get("/admin/auth/user/"))

    headers = [th.get_text(strip=True) for th in page.select("#result_list thead th")]
    assert {"Role", "Last sign-in", "Two-step sign-in"} <= set(headers)
    rows = {
        row.select_one("th").get_text(strip=True): [td.get_text(strip=True) for td in row.select("td")]
        for row in page.select("#result_list tbody tr")
    }
    role, sign_in, two_step = (headers.index(name) - 1 for name in ("Role", "Last sign-in", "Two-step sign-in"))
    assert rows["rita"][role] == "Reporter" and rows["rita"][sign_in] == "Never"
    assert rows["rita"][two_step] == "Not set up (optional for reporters)"
    assert rows["edna"][role] == "Editor" and rows["edna"][two_step] == "Set up"
    assert rows["ada"][role] == "Admin"


def test_the_user_list_costs_the_same_queries_for_more_users(client, admin_member, django_assert_max_num_queries):
    log_in(client, admin_member)
    client.get("/admin/auth/user/")
    for number in range(10):
        make_totp_device(make_staff(f"extra{number}", roles=["Reporter"]))

    with django_assert_max_num_queries(16):
        assert client.get("/admin/auth/user/").status_code == 200


# --- First sign-in -------------------------------------------------------------------------------


def sign_in(client, username, password="correct-horse-battery"):
    return client.post(reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"})


def test_a_new_reporter_is_asked_to_set_up_two_step_sign_in_and_may_do_it_later(client):
    make_staff("lerato", roles=["Reporter"])

    first = sign_in(client, "lerato")

    assert first["Location"] == f"{reverse('admin:second_factor_setup')}?next=%2Fadmin%2F"
    page = soup(client.get(first["Location"]))
    assert page.h1.get_text(strip=True) == "Set up two-step sign-in"
    explanation = " ".join(page.select_one(".second-factor__why").get_text().split())
    assert "even if someone learns your password" in explanation and "optional for reporters" in explanation
    assert page.find("a", string="Not now")["href"] == "/admin/"
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert soup(dashboard).select_one("#second-factor-prompt a")["href"] == reverse("admin:second_factor_setup")

    client.post(reverse("admin:logout"))
    assert sign_in(client, "lerato")["Location"] == "/admin/"


def test_a_new_editor_must_set_up_two_step_sign_in_and_is_told_why(client):
    make_staff("themba", roles=["Editor"])

    response = sign_in(client, "themba")
    page = soup(client.get(response["Location"], follow=True))

    assert page.h1.get_text(strip=True) == "Set up two-step sign-in"
    explanation = " ".join(page.select_one(".second-factor__why").get_text().split())
    assert "needs it before you can use the newsroom" in explanation
    assert page.find("a", string="Not now") is None


# --- A reporter's byline -------------------------------------------------------------------------


def test_a_reporters_new_story_opens_with_her_byline(client, reporter):
    log_in(client, reporter)

    page = soup(client.get("/admin/articles/story/add/"))

    chosen = page.select_one("select[name=bylines-0-author] option[selected]")
    assert chosen is not None and chosen.get_text() == "Rita Reporter"


def test_a_story_saved_with_no_byline_is_bylined_to_the_writer(client, reporter, editor):
    log_in(client, reporter)
    data = form_data(client.get("/admin/articles/story/add/"), "story_form")
    data.update({"headline": "Water cut in Alexandra", "bylines-TOTAL_FORMS": "0"})
    data = {name: value for name, value in data.items() if not name.startswith("bylines-0-")}

    assert client.post("/admin/articles/story/add/", data).status_code == 302

    story = Story.objects.get(headline="Water cut in Alexandra")
    assert [author.name for author in story.byline_authors] == ["Rita Reporter"]


def test_a_byline_chosen_by_the_writer_is_kept(client, editor, reporter):
    log_in(client, editor)
    data = form_data(client.get("/admin/articles/story/add/"), "story_form")
    data.update({"headline": "Council budget", "bylines-0-author": str(reporter.author.pk)})

    client.post("/admin/articles/story/add/", data)

    story = Story.objects.get(headline="Council budget")
    assert [author.name for author in story.byline_authors] == ["Rita Reporter"]


# --- The admin's look ----------------------------------------------------------------------------


def test_admin_pages_carry_the_publications_name_not_djangos(client, editor):
    publication = Publication.load()
    publication.name = "Highveld Herald"
    publication.save()
    log_in(client, editor)

    for path in ("/admin/", "/admin/articles/story/", "/admin/login/"):
        page = soup(client.get(path, follow=True))
        assert page.select_one("#site-name").get_text(strip=True) == "Highveld Herald", path
        assert page.title.get_text().endswith("Highveld Herald newsroom"), path
        assert "Django" not in page.get_text(), path


def test_times_are_named_once_in_the_newsrooms_zone(client, editor, settings):
    log_in(client, editor)

    page = soup(client.get(f"/admin/articles/story/{ready_story().pk}/change/"))

    assert page.select_one("#user-tools .time-zone-note").get_text(strip=True) == "Times: Africa/Johannesburg (SAST)"
    assert page.find("link", href=lambda href: href and "admin-site" in href)


def app_headings(response) -> list[str]:
    return [caption.get_text(strip=True) for caption in soup(response).select("#content-main .module caption")]


def model_names(response) -> set[str]:
    return {link.get_text(strip=True) for link in soup(response).select("#content-main .module th[scope=row] a")}


@pytest.mark.parametrize("role", ["reporter", "editor"])
def test_editors_and_reporters_see_the_newsroom_not_the_libraries(client, request, role):
    log_in(client, request.getfixturevalue(role))

    response = client.get("/admin/")

    headings = app_headings(response)
    assert not {"Axes", "Otp_Totp", "Taggit", "Site", "Authentication and Authorization"} & set(headings)
    assert "Newsroom" in headings and "Tags" in model_names(response)
    assert client.get("/admin/site/").status_code == 302


def test_admins_keep_the_libraries_and_the_site_settings_under_site(client, admin_member):
    log_in(client, admin_member)

    response = client.get("/admin/")

    headings = app_headings(response)
    assert headings[-1] == "Site" and not {"Axes", "Otp_Totp", "Taggit"} & set(headings)
    site = client.get("/admin/site/")
    assert site.status_code == 200
    # Authenticator devices have no admin pages at all: only their owner's enrolment adds one.
    assert {"Users", "Groups", "Publications", "Social links", "Access attempts"} <= model_names(site)
    assert "TOTP devices" not in model_names(site)


# --- The dashboard -------------------------------------------------------------------------------


def test_a_reporters_dashboard_counts_her_live_stories_and_always_offers_a_new_one(client, reporter):
    ready_story("Hers, live", authors=[reporter.author], status=Story.Status.PUBLISHED)
    ready_story("Someone else's, live", authors=[make_author()], status=Story.Status.PUBLISHED)
    make_story("Her draft", status=Story.Status.DRAFT, created_by=reporter)
    log_in(client, reporter)

    page = soup(client.get("/admin/"))

    assert page.select_one("#dashboard-live-count").get_text(strip=True) == "1 of your stories is live on the site."
    assert page.find("a", string="Start a story")["href"] == "/admin/articles/story/add/"
    assert "Your stories, recently published" in page.select_one("#dashboard-published h2").get_text()


def test_an_editors_dashboard_counts_every_live_story(client, editor):
    for number in range(2):
        ready_story(f"Live {number}", status=Story.Status.PUBLISHED)
    log_in(client, editor)

    page = soup(client.get("/admin/"))

    assert page.select_one("#dashboard-live-count").get_text(strip=True) == "2 stories are live on the site."


# --- Share links ---------------------------------------------------------------------------------


def test_a_preview_shares_the_address_the_site_was_reached_at(client, editor, settings):
    story = ready_story("Draft for the lawyer")
    log_in(client, editor)

    page = soup(client.get(f"/admin/articles/story/{story.pk}/preview/", HTTP_HOST="localhost:8123"))

    copy = page.select_one("a.share__link--copy")["href"]
    assert copy == f"http://localhost:8123{story.get_absolute_url()}"
    assert "127.0.0.1:8000" not in page.select_one("nav.share").decode()


def test_a_host_the_site_does_not_serve_gets_no_share_links(client, editor):
    story = ready_story("Draft for the lawyer")
    log_in(client, editor)

    response = client.get(f"/admin/articles/story/{story.pk}/preview/", HTTP_HOST="evil.example")

    assert response.status_code == 400
