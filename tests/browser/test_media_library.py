"""An editor works with pictures in a real browser: upload, focal point, hero chooser, a figure in the text
chosen from the library in the editor's panel."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Story
from media.models import Image
from tests.browser.signing_in import sign_in
from tests.factories import make_staff, make_totp_device, picture_bytes


def harbour_photo() -> bytes:
    return picture_bytes("JPEG", (1600, 900), color=(20, 120, 200))


def test_editor_uploads_a_picture_sets_its_focal_point_and_puts_it_in_a_story(page, screenshot):
    chief = make_staff("chief", is_superuser=True)
    sign_in(page, chief, device=make_totp_device(chief))

    # Upload to the library.
    page.goto("/admin/media/image/add/")
    page.get_by_label("Picture").set_input_files(
        files=[{"name": "harbour.jpg", "mimeType": "image/jpeg", "buffer": harbour_photo()}]
    )
    page.get_by_label("Title").fill("Harbour at dawn")
    page.get_by_label("Alt text").fill("Cranes over the harbour at first light")
    page.get_by_label("Credit").fill("Staff photographer")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text("was added successfully")).to_be_visible()

    # Click the subject to set the focal point.
    picture = page.locator("[data-focal-picker] img")
    box = picture.bounding_box()
    picture.click(position={"x": box["width"] * 0.8, "y": box["height"] * 0.25})
    expect(page.get_by_label("Focal x")).to_have_value("0.800")
    expect(page.get_by_label("Focal y")).to_have_value("0.250")
    screenshot(page, "media-image-form")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    image = Image.objects.get(title="Harbour at dawn")  # beside the demo library
    assert (image.focal_x, image.focal_y) == (0.8, 0.25)
    assert image.rendition_index["og"]["name"].endswith("/og-80-25.jpg")

    # Choose it as the hero picture: the chooser shows it.
    page.goto("/admin/articles/story/add/")
    page.get_by_label("Headline").fill("Harbour reopens")
    page.locator(".field-hero_image .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("harbour")
    page.get_by_role("option", name="Harbour at dawn").click()
    preview = page.locator("[data-image-chooser-preview]")
    expect(preview).to_be_visible()
    expect(preview.locator("img")).to_have_attribute("src", image.thumbnail_url)

    # Place it in the text from the library, in the editor's own panel: no window opens.
    page.locator(".ProseMirror[contenteditable=true]").first.click()
    page.keyboard.type("The harbour reopened on Monday.")
    page.get_by_role("button", name="Picture:").click()
    panel = page.get_by_role("dialog", name="Place a picture")
    panel.get_by_text("Or choose a picture from the library").click()
    panel.get_by_label("Search the library").fill("harbour")
    panel.get_by_role("button", name="Harbour at dawn").click()
    expect(panel).to_be_hidden()
    expect(page.locator(".ProseMirror figure img")).to_have_attribute("alt", "Cranes over the harbour at first light")
    screenshot(page, "media-story-form-with-figure")
    page.get_by_role("button", name="Save draft").first.click()
    expect(page.get_by_text("was added successfully")).to_be_visible()

    story = Story.objects.get(headline="Harbour reopens")
    assert story.hero_image == image
    assert f'data-file="{image.pk}"' in story.body
    Story.objects.filter(pk=story.pk).update(status="published", published_at=timezone.now() - timedelta(minutes=1))

    # Readers see the responsive picture and the credit.
    page.goto(story.get_absolute_url())
    figure = page.locator(".story__body figure")
    expect(figure.locator("picture img")).to_be_visible()
    expect(figure.locator("picture source[type='image/webp']")).to_have_attribute("srcset", image.srcset_webp)
    expect(figure.locator("figcaption")).to_contain_text("Photo: Staff photographer")
    screenshot(page, "media-story-page-with-figure")
