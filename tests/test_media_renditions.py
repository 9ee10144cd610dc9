"""Renditions: made on save in the right sizes and formats, cropped around the focal point, used by pages."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from media.models import Image, Rendition
from media.renditions import focal_crop_box, widths_for
from tests.factories import make_image, make_section, make_story, picture_bytes

pytestmark = pytest.mark.django_db


def split_picture(size=(3000, 1000)) -> bytes:
    """Left half red, right half blue: shows which side a crop kept."""
    picture = PILImage.new("RGB", size, (220, 30, 30))
    picture.paste((30, 30, 220), (size[0] // 2, 0, size[0], size[1]))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def library_image(content: bytes, **fields) -> Image:
    upload = SimpleUploadedFile("photo.jpg", content, content_type="image/jpeg")
    return Image.objects.create(file=upload, alt_text="Alt", credit="Credit", **fields)


def open_stored(image, name):
    with image.file.storage.open(name, "rb") as stored:
        picture = PILImage.open(io.BytesIO(stored.read()))
        picture.load()
        return picture


def test_renditions_exist_at_every_standard_width_in_webp_and_jpeg():
    image = library_image(picture_bytes("JPEG", (2400, 1600)))

    widths = list(image.renditions.filter(kind="width").values_list("format", "width", "height"))
    expected = [(w, round(w * 2 / 3)) for w in (320, 640, 960, 1280, 1920)]
    assert sorted((w, h) for f, w, h in widths if f == "webp") == expected
    assert sorted((w, h) for f, w, h in widths if f == "jpeg") == expected
    for rendition in image.renditions.all():
        picture = open_stored(image, rendition.file.name)
        assert picture.size == (rendition.width, rendition.height)
        assert picture.format == {"webp": "WEBP", "jpeg": "JPEG"}[rendition.format]


def test_small_pictures_are_never_upscaled():
    image = library_image(picture_bytes("JPEG", (500, 300)))

    assert sorted(set(image.renditions.filter(kind="width").values_list("width", flat=True))) == [320, 500]
    og = image.renditions.get(kind="og")
    assert og.width <= 500 and og.height <= 300
    assert abs(og.width / og.height - 1200 / 630) < 0.01
    assert widths_for(64) == [64] and widths_for(4000) == [320, 640, 960, 1280, 1920]


@pytest.mark.parametrize("focal_x, colour", [(0.05, "red"), (0.95, "blue")])
def test_open_graph_crop_is_1200_by_630_and_keeps_the_focal_point(focal_x, colour):
    image = library_image(split_picture(), focal_x=focal_x)

    og = image.open_graph
    assert (og["width"], og["height"]) == (1200, 630)
    picture = open_stored(image, image.rendition_index["og"]["name"])
    assert picture.size == (1200, 630)
    red, _green, blue = picture.getpixel((600, 315))
    assert (red > blue) == (colour == "red")


def test_focal_crop_box_stays_inside_the_picture():
    assert focal_crop_box((3000, 1000), 1200 / 630, (0.0, 0.5)) == (0, 0, 1905, 1000)
    assert focal_crop_box((3000, 1000), 1200 / 630, (1.0, 0.5)) == (1095, 0, 3000, 1000)
    assert focal_crop_box((1000, 3000), 1200 / 630, (0.5, 1.0)) == (0, 2475, 1000, 3000)


def test_changing_the_focal_point_in_the_admin_remakes_only_the_sharing_crop(
    editor_client, django_capture_on_commit_callbacks
):
    image = library_image(split_picture())
    widths_before = set(image.renditions.filter(kind="width").values_list("pk", flat=True))
    old_og = image.rendition_index["og"]["name"]

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            f"/admin/media/image/{image.pk}/change/",
            {"alt_text": "Alt", "credit": "Credit", "focal_x": "0.95", "focal_y": "0.5", "tags": ""},
        )

    assert response.status_code == 302
    image.refresh_from_db()
    assert set(image.renditions.filter(kind="width").values_list("pk", flat=True)) == widths_before
    assert image.rendition_index["og"]["focal"] == [0.95, 0.5]
    assert image.renditions.filter(kind="og").count() == 1
    assert not image.file.storage.exists(old_og)
    red, _green, blue = open_stored(image, image.rendition_index["og"]["name"]).getpixel((600, 315))
    assert blue > red


def test_deleting_a_picture_removes_its_files_from_storage(django_capture_on_commit_callbacks):
    image = make_image()
    names = image.stored_names()
    storage = image.file.storage
    assert names and all(storage.exists(name) for name in names)

    with django_capture_on_commit_callbacks(execute=True):
        image.delete()

    assert not any(storage.exists(name) for name in names)
    assert not Rendition.objects.exists()


def page(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_story_page_serves_the_hero_as_a_responsive_picture(client):
    image = make_image(width=1400, height=700)
    story = make_story("Flooding in Alexandra", hero_image=image)

    hero = page(client.get(story.get_absolute_url())).select_one(".story__hero picture")

    source = hero.select_one("source")
    img = hero.select_one("img")
    assert source["type"] == "image/webp"
    webp = image.renditions.filter(format="webp", kind="width")
    jpeg = image.renditions.filter(format="jpeg", kind="width")
    assert source["srcset"] == ", ".join(f"{r.file.url} {r.width}w" for r in webp.order_by("width"))
    assert img["srcset"] == ", ".join(f"{r.file.url} {r.width}w" for r in jpeg.order_by("width"))
    assert img["src"] == jpeg.get(width=960).file.url
    assert [int(w.split()[-1][:-1]) for w in source["srcset"].split(", ")] == [320, 640, 960, 1280, 1400]
    assert source["sizes"] == img["sizes"] == "(min-width: 48em) 46rem, 100vw"
    assert (img["width"], img["height"]) == ("1400", "700")
    assert img["alt"] == image.alt_text
    assert img["decoding"] == "async"
    assert not img.has_attr("loading")  # the hero is above the fold


def test_home_page_lazy_loads_pictures_below_the_fold_only(client):
    section = make_section("News")
    make_story("Lead story", section=section, hero_image=make_image(), home_position=1)
    for n in range(10):
        make_story(f"Story {n}", section=section, hero_image=make_image())

    home = page(client.get("/"))

    assert not home.select_one(".teaser--lead img").has_attr("loading")
    lazy = [img for img in home.select(".teaser img") if img.get("loading") == "lazy"]
    assert lazy
    assert all(img.find_parent("picture").select_one("source[type='image/webp']") for img in home.select(".teaser img"))


def test_replacing_the_file_remakes_every_rendition_and_removes_the_old_files(
    editor_client, django_capture_on_commit_callbacks
):
    image = library_image(picture_bytes("JPEG", (1000, 500)))
    old_names = image.stored_names()
    storage = image.file.storage

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            f"/admin/media/image/{image.pk}/change/",
            {
                "file": SimpleUploadedFile("square.png", picture_bytes("PNG", (700, 700)), content_type="image/png"),
                "alt_text": "Alt",
                "credit": "Credit",
                "focal_x": "0.5",
                "focal_y": "0.5",
                "tags": "",
            },
        )

    assert response.status_code == 302
    image.refresh_from_db()
    assert image.file.name.endswith(".png") and (image.width, image.height) == (700, 700)
    assert image.original_filename == "square.png"
    assert sorted(set(image.renditions.filter(kind="width").values_list("width", flat=True))) == [320, 640, 700]
    assert all(storage.exists(name) for name in image.stored_names())
    assert not any(storage.exists(name) for name in old_names)
