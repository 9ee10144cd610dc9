"""A new colleague in Chromium: an admin makes the account in one form, she signs in and sets up
two-step sign-in, and her first story carries her byline; the admin wears the publication's name.

Screenshots go to the artifacts folder (`make screens` puts them in var/screens/).
"""

import re

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from articles.models import Publication
from tests.browser.accessibility import audit, describe
from tests.browser.admin_widgets import choose
from tests.browser.signing_in import sign_in
from tests.factories import make_staff, make_totp_device, totp_code

PASSWORD = "river-stone-lantern-42"


def assert_accessible(page):
    assert not (violations := audit(page)), describe(violations)


def test_an_admin_brings_a_reporter_on_board_and_she_files_under_her_own_name(page, new_context, screenshot):
    admin = make_staff("ayanda", roles=["Admin"], first_name="Ayanda")
    sign_in(page, admin, device=make_totp_device(admin))

    page.goto("/admin/auth/user/add/")
    expect(page.get_by_label("First name:")).to_be_focused()
    page.get_by_label("First name:").fill("Lerato")
    page.get_by_label("Last name:").fill("Dube")
    page.get_by_label("Email address:").fill("lerato@example.org")
    page.get_by_label("Username:").fill("lerato")
    page.get_by_role("radio", name=re.compile("^Reporter")).check()
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation:").fill(PASSWORD)
    assert_accessible(page)
    screenshot(page, "onboarding-1-account-form")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    row = page.locator("#result_list tbody tr", has_text="lerato")
    for shown in ("Lerato Dube", "Reporter", "Never", "Not set up (optional for reporters)"):
        expect(row).to_contain_text(shown)
    assert_accessible(page)
    screenshot(page, "onboarding-2-user-list")

    desk = new_context(viewport={"width": 1280, "height": 900}).new_page()
    desk.goto("/admin/login/?next=/admin/")
    desk.get_by_label("Username").fill("lerato")
    desk.get_by_label("Password").fill(PASSWORD)
    desk.get_by_role("button", name="Log in").click()
    expect(desk.get_by_role("heading", level=1, name="Set up two-step sign-in")).to_be_visible()
    expect(desk.locator(".second-factor__why")).to_contain_text("even if someone learns your password")
    expect(desk.get_by_role("link", name="Not now")).to_be_visible()
    assert_accessible(desk)
    screenshot(desk, "onboarding-3-two-step-sign-in")

    desk.get_by_label("Code from your authenticator app").fill(
        totp_code(TOTPDevice.objects.get(user__username="lerato"))
    )
    desk.get_by_role("button", name="Confirm").click()
    # Her backup codes, shown this once, for the day she loses her phone.
    expect(desk.get_by_role("heading", level=1, name="Your backup codes")).to_be_visible()
    expect(desk.locator("main li code")).to_have_count(10)
    assert_accessible(desk)
    screenshot(desk, "onboarding-4-backup-codes")
    desk.get_by_role("link", name="I have saved them: continue").click()
    expect(desk.get_by_role("button", name="Log out")).to_be_visible()
    expect(desk.locator("#second-factor-prompt")).to_have_count(0)
    expect(desk.locator("#dashboard-live-count")).to_have_text("0 of your stories are live on the site.")
    assert_accessible(desk)
    screenshot(desk, "onboarding-5-dashboard")

    desk.get_by_role("link", name="Start a story").click()
    expect(desk.locator("#bylines-group .select2-selection__rendered").first).to_contain_text("Lerato Dube")
    screenshot(desk, "onboarding-6-new-story-with-her-byline")

    # An editor's byline search finds her at once.
    editor = make_staff("edna", roles=["Editor"])
    desk = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(desk, editor, device=make_totp_device(editor))
    desk.goto("/admin/articles/story/add/")
    desk.get_by_role("button", name="Add another Byline").click()
    choose(desk, desk.locator("#bylines-group tr.dynamic-bylines").first, "Lerato Dube")


def test_the_admin_wears_the_publications_name_and_keeps_the_libraries_to_admins(
    page, browser, live_server, screenshot
):
    admin = make_staff("ayanda", roles=["Admin"], first_name="Ayanda")
    sign_in(page, admin, device=make_totp_device(admin))
    name = Publication.load().name

    expect(page.locator("#site-name")).to_have_text(name)
    expect(page).to_have_title(re.compile(f"{re.escape(name)} newsroom$"))
    expect(page.locator("#user-tools")).to_contain_text("Times: Africa/Johannesburg (SAST)")
    expect(page.locator("#content-main .module caption").last).to_have_text("Site")
    for library in ("Axes", "Otp_Totp", "Taggit"):
        expect(page.locator("#content-main .module caption", has_text=library)).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "admin-dashboard-admin")

    editor = make_staff("edna", roles=["Editor"])
    # A browser whose clock is in another zone than the newsroom's: Django's per-field note is hidden.
    desk = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, timezone_id="UTC")
    desk = desk.new_page()
    sign_in(desk, editor, device=make_totp_device(editor))
    expect(desk.locator("#content-main .module caption", has_text="Site")).to_have_count(0)
    expect(desk.locator("#content-main").get_by_role("link", name="Tags", exact=True)).to_be_visible()

    desk.goto("/admin/articles/story/add/")
    expect(desk.locator(".timezonewarning").first).to_contain_text("behind server time")
    for note in desk.locator(".timezonewarning").all():
        expect(note).to_be_hidden()
    caret = desk.locator(".prose-menubar__selected").first
    expect(caret).to_be_visible()
    assert caret.evaluate("element => getComputedStyle(element, '::after').content") == '""'
    assert caret.evaluate("element => getComputedStyle(element, '::after').borderTopStyle") == "solid"
    screenshot(desk, "admin-story-form-block-menu")
