"""Copy in the shapes newsrooms receive it, with invented content, for the interchange tests."""

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "interchange"

# The shape of a syndicated story: section label, headline, blank line, paragraphs with short
# subheadings, a "Commentary:" part, a source line in braces, then promotional lines.
WIRE_STORY = (FIXTURES / "wire-story.txt").read_text(encoding="utf-8")

WIRE_SUBHEADINGS = [
    "A leak that will not stop",
    "The council chamber",
    "Voices from the suburbs",
    "Commentary: A costly delay",
]

MARKDOWN_STORY = """# Ferry Service Resumes After Storm Repairs

The ferry between the two harbours runs again from **Monday**, the operator said.

## What changed

Crews replaced the damaged ramp and [published the new timetable](https://ferry.example/timetable)
on Friday, in time for the school term.

<script>alert("x")</script>

Source: Harbour Wire
"""
