"""Staff accounts in a real browser: signing in with the second factor (onboarding: test_onboarding.py)."""

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
