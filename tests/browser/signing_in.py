"""Staff sign in the way people do: the admin's password form, then the code from their authenticator app."""

from playwright.sync_api import Page, expect

from tests.factories import totp_code

PASSWORD = "correct-horse-battery"


def sign_in(page: Page, user, *, password: str = PASSWORD, device=None, next_path: str = "/admin/") -> None:
    """Sign ``user`` in through the login form; with ``device``, type the code it shows right now.

    Without one, a first sign-in's offer to set up two-step sign-in is answered "Not now".
    """
    page.goto(f"/admin/login/?next={next_path}")
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    if device is not None:
        expect(page.get_by_label("Code from your authenticator app")).to_be_focused()
        device.refresh_from_db()
        page.get_by_label("Code from your authenticator app").fill(totp_code(device))
        page.get_by_role("button", name="Confirm").click()
    else:
        # A reporter's first sign-in offers two-step sign-in, which she may put off.
        not_now = page.get_by_role("link", name="Not now")
        expect(page.get_by_role("button", name="Log out").or_(not_now)).to_be_visible()
        if not_now.is_visible():
            not_now.click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
