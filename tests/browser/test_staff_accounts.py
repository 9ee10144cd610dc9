"""Staff accounts in a real browser: signing in with the second factor, and an admin adding a reporter."""

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.browser.signing_in import sign_in
from tests.factories import make_staff, make_totp_device


def test_editor_signs_in_with_password_then_the_code_from_the_authenticator_app(page):
    editor = make_staff("thandi", roles=["Editor"])
    device = make_totp_device(editor)

    sign_in(page, editor, device=device)

    expect(page).to_have_url("/admin/")
    expect(page.get_by_text("Welcome, thandi")).to_be_visible()


def test_a_wrong_code_keeps_the_editor_out_of_the_admin(page):
    editor = make_staff("sipho", roles=["Editor"])
    make_totp_device(editor)
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("sipho")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Log in").click()

    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_text("That code is not right")).to_be_visible()
    page.goto("/admin/story/")
    expect(page).to_have_url("/admin/second-factor/?next=%2Fadmin%2Fstory%2F")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)


def test_admin_creates_a_reporter_account_and_the_reporter_signs_in(page, new_context, expected_console_errors):
    admin = make_staff("ayanda", roles=["Admin"])
    sign_in(page, admin, device=make_totp_device(admin))

    page.goto("/admin/auth/user/add/")
    page.get_by_label("Username:").fill("lerato")
    page.get_by_label("Password:", exact=True).fill("river-stone-lantern-42")
    page.get_by_label("Password confirmation:").fill("river-stone-lantern-42")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    page.get_by_label("Staff status").check()
    page.get_by_role("listbox", name="Available groups").select_option(label="Reporter")
    page.get_by_role("button", name="Choose selected groups").click()
    expect(page.get_by_role("listbox", name="Chosen groups")).to_contain_text("Reporter")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    reporter = get_user_model().objects.get(username="lerato")
    assert reporter.is_staff and list(reporter.groups.values_list("name", flat=True)) == ["Reporter"]
    desk = new_context().new_page()
    sign_in(desk, reporter, password="river-stone-lantern-42")
    expect(desk.locator("#dashboard-drafts").get_by_role("heading")).to_have_text("Your drafts")
    expect(desk.get_by_role("link", name="Users")).to_have_count(0)
    expected_console_errors.append("status of 403 (Forbidden)")  # the user list, refused to a reporter
    assert desk.goto("/admin/auth/user/").status == 403
