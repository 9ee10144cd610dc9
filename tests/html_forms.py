"""Read a rendered HTML form the way a browser would submit it, so tests post what a user could post."""

from bs4 import BeautifulSoup


def form_data(response, form_id: str | None = None, *, button: tuple[str, str] | None = None) -> dict:
    """The fields a browser would send for the form (by id, or the first POST form), plus the pressed button."""
    page = BeautifulSoup(response.content, "html.parser")
    form = page.find("form", id=form_id) if form_id else page.find("form", method="post")
    data: dict[str, list[str]] = {}
    for element in form.find_all(["input", "select", "textarea"]):
        name = element.get("name")
        if not name or element.has_attr("disabled"):
            continue
        if element.name == "textarea":
            data.setdefault(name, []).append(element.text.removeprefix("\n"))
        elif element.name == "select":
            chosen = [o.get("value", o.text) for o in element.find_all("option") if o.has_attr("selected")]
            if not chosen and not element.has_attr("multiple") and element.find("option"):
                first = element.find("option")
                chosen = [first.get("value", first.text)]
            data.setdefault(name, []).extend(chosen)
        else:
            kind = element.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                continue
            if kind in ("checkbox", "radio") and not element.has_attr("checked"):
                continue
            data.setdefault(name, []).append(element.get("value", "on" if kind in ("checkbox", "radio") else ""))
    if button:
        data[button[0]] = [button[1]]
    return {name: values[0] if len(values) == 1 else values for name, values in data.items()}
