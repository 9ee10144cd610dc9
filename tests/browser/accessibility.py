"""axe-core, from the npm registry, run inside a page: the violations a disabled reader would meet."""

import os
from functools import cache
from pathlib import Path

AXE_PATH = Path(
    os.environ.get("NEWSROOM_AXE_CORE", Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js")
)
BLOCKING_IMPACTS = ("serious", "critical")


@cache
def _axe_source() -> str:
    if not AXE_PATH.exists():
        raise FileNotFoundError(
            f"axe-core is missing at {AXE_PATH}: `make test-browser` installs it "
            "(npm install --prefix tests/browser axe-core@4)."
        )
    return AXE_PATH.read_text()


def audit(page, *, impacts=BLOCKING_IMPACTS, exclude=()) -> list[dict]:
    """The axe-core violations on the page's current document at the given impact levels (WCAG 2.x A and AA)."""
    # Evaluated through the DevTools protocol, so the page's Content-Security-Policy stays as it is.
    # Judged as people see the page: the editor's toolbar buttons read as icons once their font has loaded
    # (until then a button shows its icon's name, which its label does not repeat).
    page.evaluate("""() => (document.querySelector(".material-icons")
        ? document.fonts.load('24px "Material Icons"') : Promise.resolve()).then(() => document.fonts.ready)
        .then(() => true)""")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    results = page.evaluate(
        """async ([exclude]) => {
            const context = exclude.length ? {exclude: exclude.map((selector) => [selector])} : document;
            return await axe.run(context, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
                resultTypes: ["violations"],
            });
        }""",
        [list(exclude)],
    )
    return [violation for violation in results["violations"] if violation["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    """A readable list of violations: the rule, its impact, and the first few offending elements."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)
