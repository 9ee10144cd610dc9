"""Waiting for a condition in a public page without compiling code there.

Playwright's ``wait_for_function`` compiles its expression inside the page, which the public pages'
Content-Security-Policy (no 'unsafe-eval') can refuse while a navigation settles; ``evaluate`` goes
through the browser's debugging protocol, which the policy does not govern. Each check runs after the
next animation frame, as ``wait_for_function``'s do.
"""

import time

NEXT_FRAME = "new Promise((done) => requestAnimationFrame(() => done(false)))"


def wait_until(page, expression: str, arg=None, *, seconds: float = 10) -> None:
    """Poll ``expression`` (a JavaScript function or expression, given ``arg``) until it is truthy."""
    deadline = time.monotonic() + seconds
    while not (page.evaluate(NEXT_FRAME) or page.evaluate(expression, arg)):
        assert time.monotonic() < deadline, f"{expression} still false on {page.url} after {seconds} s"
        page.wait_for_timeout(50)
