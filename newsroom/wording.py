"""Numbers put into words for staff: messages, pages and command output say "1 file", "2 files"."""


def counted(number: int, singular: str, plural: str) -> str:
    """ "1 file", "2 files": a count with the noun that fits it."""
    return f"{number} {singular if number == 1 else plural}"
