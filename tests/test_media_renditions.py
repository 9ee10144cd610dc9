"""Renditions: made on save in the right sizes and formats, cropped around the focal point, used by pages."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image as PILImage

from media.models import Image
from media.renditions import focal_crop_box, rendition_files, widths_for
from tests.factories import make_author, make_image, make_section, make_story, picture_bytes

pytestmark = pytest.mark.django_db


def split_picture(size=(3000, 1000)) -> bytes:
    """Left half red, right half blue: shows which side a crop kept."""
    picture = PILImage.new("RGB", size, (220, 30, 30))
    picture.paste((30, 30, 220), (size[0] // 2, 0, size[0], size[1]))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


RED = (220, 30, 30)


def picture_with_block(size, block) -> bytes:
    """A grey picture with a red block at ``block`` (left, top, right, bottom): the subject to keep."""
    picture = PILImage.new("RGB", size, (128, 128, 128))
    picture.paste(RED, block)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def is_red(pixel) -> bool:
    red, green, blue = pixel[:3]
    return red > 180 and green < 80 and blue < 80


def library_image(content: bytes, **fields) -> Image:
    upload = SimpleUploadedFile("photo.jpg", content, content_type="image/jpeg")
    return Image.objects.create(file=upload, alt_text="Alt", credit="Credit", **fields)


def renditions(image, kind=None):
    """The picture's renditions as its stored index records them (``kind``: "width", "og" or a crop)."""
    return rendition_files(Image.objects.get(pk=image.pk).rendition_index, kind)


def url(image, rendition) -> str:
    return image.file.storage.url(rendition.name)


def open_stored(image, name):
    with image.file.storage.open(name, "rb") as stored:
        picture = PILImage.open(io.BytesIO(stored.read()))
        picture.load()
        return picture


def test_renditions_exist_at_every_standard_width_in_webp_and_jpeg():
    image = library_image(picture_bytes("JPEG", (2400, 1600)))

    widths = [(r.format, r.width, r.height) for r in renditions(image, "width")]
    expected = [(w, round(w * 2 / 3)) for w in (320, 640, 960, 1280, 1920)]
    assert sorted((w, h) for f, w, h in widths if f == "webp") == expected
    assert sorted((w, h) for f, w, h in widths if f == "jpeg") == expected
    for rendition in renditions(image):
        picture = open_stored(image, rendition.name)
        assert picture.size == (rendition.width, rendition.height)
        assert picture.format == {"webp": "WEBP", "jpeg": "JPEG"}[rendition.format]


def test_small_pictures_are_never_upscaled():
    image = library_image(picture_bytes("JPEG", (500, 300)))

    assert sorted({r.width for r in renditions(image, "width")}) == [320, 500]
    (og,) = renditions(image, "og")
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


def assert_crops(image, kind: str, sizes: list[tuple[int, int]]) -> None:
    """``image`` has its ``kind`` crop at exactly ``sizes``, in WebP and JPEG, files as recorded."""
    crops = [(r.format, r.width, r.height, r.name) for r in renditions(image, kind)]
    assert sorted((w, h) for f, w, h, _name in crops if f == "webp") == sizes
    assert sorted((w, h) for f, w, h, _name in crops if f == "jpeg") == sizes
    for key, width, height, name in crops:
        picture = open_stored(image, name)
        assert picture.size == (width, height)
        assert picture.format == {"webp": "WEBP", "jpeg": "JPEG"}[key]
    crop = getattr(image, kind)
    assert (crop.width, crop.height) == sizes[-1]


def test_teaser_crops_are_3_by_2_at_teaser_widths_in_webp_and_jpeg_and_never_upscaled():
    wide = library_image(split_picture())  # 3000 x 1000: the crop is 1500 x 1000
    small = library_image(picture_bytes("JPEG", (500, 300)))  # the crop is 450 x 300

    assert_crops(wide, "teaser", [(320, 213), (640, 427), (960, 640), (1280, 853)])
    assert_crops(small, "teaser", [(320, 213), (450, 300)])


def test_lead_crops_are_16_by_9_at_lead_widths_in_webp_and_jpeg_and_never_upscaled():
    wide = library_image(split_picture())  # 3000 x 1000: the crop is 1778 x 1000
    small = library_image(picture_bytes("JPEG", (500, 300)))  # the crop is 500 x 281

    assert_crops(wide, "lead", [(640, 360), (960, 540), (1280, 720), (1778, 1000)])
    assert_crops(small, "lead", [(500, 281)])


@pytest.mark.parametrize(
    "size, block",
    [
        ((1500, 1000), (650, 0, 850, 120)),  # a 3:2 photo, a face at the top: the 16:9 crop is its top 844 rows
        ((1600, 1200), (700, 0, 900, 150)),  # a 4:3 photo: the 16:9 crop is its top 900 rows
    ],
)
def test_lead_crops_keep_a_subject_at_the_top_of_a_landscape_picture(size, block):
    image = library_image(picture_with_block(size, block), focal_x=0.5, focal_y=0.06)
    crop_height = round(size[0] * 9 / 16)
    centred_top = (size[1] - crop_height) // 2
    assert centred_top >= block[3] * 0.6  # the browser's centred 16:9 trim would cut most of the subject off

    leads = renditions(image, "lead")
    assert len(leads) == 8
    for rendition in leads:
        picture = open_stored(image, rendition.name).convert("RGB")
        assert abs(picture.width / picture.height - 16 / 9) < 0.01
        # The subject's middle, where it sits in a crop from the top of the picture.
        spot = (picture.width // 2, round(block[3] / 2 / crop_height * picture.height))
        assert is_red(picture.getpixel(spot))
        assert not is_red(picture.getpixel((picture.width // 2, picture.height // 2)))


@pytest.mark.parametrize(
    "size, block, focal, spot",
    [
        ((3000, 1000), (2700, 350, 3000, 650), (0.95, 0.5), (0.95, 0.5)),  # right edge of a wide picture
        ((3000, 1000), (0, 350, 300, 650), (0.05, 0.5), (0.05, 0.5)),  # left edge
        ((1000, 3000), (350, 0, 650, 300), (0.5, 0.05), (0.5, 0.15)),  # top of a tall picture
    ],
)
def test_teaser_crops_keep_a_subject_at_the_edge_of_the_picture(size, block, focal, spot):
    image = library_image(picture_with_block(size, block), focal_x=focal[0], focal_y=focal[1])

    teasers = renditions(image, "teaser")
    assert len(teasers) == 8
    for rendition in teasers:
        picture = open_stored(image, rendition.name).convert("RGB")
        # Where the subject sits in the crop, and that a centred crop of the same size would miss it.
        assert is_red(picture.getpixel((round(spot[0] * picture.width), round(spot[1] * picture.height))))
        assert not is_red(picture.getpixel((picture.width // 2, picture.height // 2)))


def test_changing_the_focal_point_in_the_admin_remakes_only_the_crops(
    editor_client, django_capture_on_commit_callbacks
):
    image = library_image(split_picture())
    widths_before = renditions(image, "width")
    old_og = image.rendition_index["og"]["name"]
    old_teasers = [r.name for r in renditions(image, "teaser")]
    assert is_red(open_stored(image, old_teasers[0]).convert("RGB").getpixel((20, 20)))  # centred: half red
    old_leads = [r.name for r in renditions(image, "lead")]
    old_lead = open_stored(image, old_leads[0]).convert("RGB")
    assert is_red(old_lead.getpixel((old_lead.width // 4, 5)))

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            f"/admin/media/image/{image.pk}/change/",
            {"alt_text": "Alt", "credit": "Credit", "focal_x": "0.95", "focal_y": "0.5", "tags": ""},
        )

    assert response.status_code == 302
    image.refresh_from_db()
    assert renditions(image, "width") == widths_before
    assert all(image.file.storage.exists(r.name) for r in widths_before)
    assert image.rendition_index["og"]["focal"] == [0.95, 0.5]
    assert len(renditions(image, "og")) == 1
    assert not image.file.storage.exists(old_og)
    red, _green, blue = open_stored(image, image.rendition_index["og"]["name"]).getpixel((600, 315))
    assert blue > red
    assert image.rendition_index["teaser"]["focal"] == [0.95, 0.5]
    teasers = renditions(image, "teaser")
    assert len(teasers) == 8
    assert not any(image.file.storage.exists(name) for name in old_teasers)
    for rendition in teasers:  # the crop now comes from the blue right half only
        red, _green, blue = open_stored(image, rendition.name).convert("RGB").getpixel((5, 5))
        assert blue > red
    assert image.rendition_index["lead"]["focal"] == [0.95, 0.5]
    leads = renditions(image, "lead")
    assert len(leads) == 8
    assert not any(image.file.storage.exists(name) for name in old_leads)
    for rendition in leads:  # wider than the blue half: a quarter of the way in was red, now is blue
        picture = open_stored(image, rendition.name).convert("RGB")
        red, _green, blue = picture.getpixel((picture.width // 4, 5))
        assert blue > red


def test_deleting_a_picture_removes_its_files_from_storage(django_capture_on_commit_callbacks):
    image = make_image()
    names = image.stored_names()
    storage = image.file.storage
    assert names and all(storage.exists(name) for name in names)

    with django_capture_on_commit_callbacks(execute=True):
        image.delete()

    assert not any(storage.exists(name) for name in names)
    assert not Image.objects.exists()


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
    webp = [r for r in renditions(image, "width") if r.format == "webp"]
    jpeg = [r for r in renditions(image, "width") if r.format == "jpeg"]
    assert source["srcset"] == ", ".join(f"{url(image, r)} {r.width}w" for r in webp)
    assert img["srcset"] == ", ".join(f"{url(image, r)} {r.width}w" for r in jpeg)
    assert img["src"] == next(url(image, r) for r in jpeg if r.width == 960)
    assert [int(w.split()[-1][:-1]) for w in source["srcset"].split(", ")] == [320, 640, 960, 1280, 1400]
    assert source["sizes"] == img["sizes"] == "(min-width: 48em) 46rem, calc(100vw - 2rem)"
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
    assert sorted({r.width for r in renditions(image, "width")}) == [320, 640, 700]
    assert all(storage.exists(name) for name in image.stored_names())
    assert not any(storage.exists(name) for name in old_names)


def teaser_picture(soup, headline):
    """The <picture> of the teaser linking to the story with ``headline``."""
    teaser = next(t for t in soup.select(".teaser") if t.select_one(".teaser__headline").get_text() == headline)
    return teaser.select_one("picture")


def assert_shows_crop(picture, image, size=("1280", "853"), kind="teaser", fallback_width=640):
    webp = [r for r in renditions(image, kind) if r.format == "webp"]
    jpeg = [r for r in renditions(image, kind) if r.format == "jpeg"]
    source, img = picture.select_one("source[type='image/webp']"), picture.select_one("img")
    assert source["srcset"] == ", ".join(f"{url(image, r)} {r.width}w" for r in webp)
    assert img["srcset"] == ", ".join(f"{url(image, r)} {r.width}w" for r in jpeg)
    assert img["src"] == next(url(image, r) for r in jpeg if r.width == fallback_width)
    assert (img["width"], img["height"]) == size  # the crop's shape, not the picture's
    assert img["alt"] == image.alt_text


def assert_shows_teaser_crop(picture, image, size=("1280", "853")):
    assert_shows_crop(picture, image, size)


def assert_shows_lead_crop(picture, image, size=("1920", "1080")):
    assert_shows_crop(picture, image, size, kind="lead", fallback_width=960)


def test_the_home_page_lead_shows_the_16_by_9_crop_other_teasers_3_by_2_and_the_story_page_the_full_frame(client):
    section = make_section("News")
    lead = make_image(width=2400, height=1200, focal_x=0.9)
    other = make_image(width=1200, height=2400, focal_y=0.1)
    lead_story = make_story("Lead story", section=section, hero_image=lead, home_position=1)
    make_story("Second story", section=section, hero_image=other, home_position=2)

    home = page(client.get("/"))
    front = page(client.get(section.get_absolute_url()))

    assert_shows_lead_crop(home.select_one(".teaser--lead picture"), lead)
    assert "/teaser-" not in str(home.select_one(".teaser--lead"))
    assert_shows_teaser_crop(teaser_picture(home, "Second story"), other, size=("1200", "800"))
    assert_shows_teaser_crop(teaser_picture(front, "Lead story"), lead)
    assert_shows_teaser_crop(teaser_picture(front, "Second story"), other, size=("1200", "800"))
    assert not any("/lead-" in tag.get("srcset", "") for tag in front.select("picture source, picture img"))
    hero = page(client.get(lead_story.get_absolute_url())).select_one(".story__hero img")
    assert (hero["width"], hero["height"]) == ("2400", "1200")
    assert "/teaser-" not in hero["srcset"] and "/lead-" not in hero["srcset"]


def test_tag_and_author_pages_show_the_teaser_crop(client):
    author = make_author("Naledi Khumalo")
    image = make_image(width=2400, height=1200)
    make_story("Tagged story", hero_image=image, tags=["water"], authors=[author])

    for url in ("/tag/water/", author.get_absolute_url()):
        assert_shows_teaser_crop(teaser_picture(page(client.get(url)), "Tagged story"), image)


def without_crops(image, *names) -> Image:
    """The picture as it was saved before crops of these names existed."""
    index = {key: value for key, value in image.rendition_index.items() if key not in names}
    Image.objects.filter(pk=image.pk).update(rendition_index=index)
    return Image.objects.get(pk=image.pk)


def without_teaser_crops(image) -> Image:
    return without_crops(image, "teaser", "lead")


def run_refresh() -> str:
    out = io.StringIO()
    call_command("refresh_renditions", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_a_picture_without_teaser_crops_shows_its_full_frame_until_the_command_makes_them(client):
    image = without_teaser_crops(make_image(width=2400, height=1200))
    make_story("Older story", hero_image=image, home_position=1)
    og_before = image.rendition_index["og"]

    picture = teaser_picture(page(client.get("/")), "Older story")
    img = picture.select_one("img")
    assert (img["width"], img["height"]) == ("2400", "1200")
    assert img["srcset"] == image.srcset_jpeg and img["src"] == image.fallback_url

    assert run_refresh() == "Made renditions for 1 of 1 picture(s); the rest were up to date.\n"

    image.refresh_from_db()
    assert image.rendition_index["og"] == og_before  # only what was missing is made
    assert_shows_lead_crop(teaser_picture(page(client.get("/")), "Older story"), image)
    assert run_refresh() == "Made renditions for 0 of 1 picture(s); the rest were up to date.\n"


def test_a_picture_without_the_lead_crop_leads_the_home_page_with_its_3_by_2_crop_until_the_command_makes_it(client):
    image = without_crops(make_image(width=2400, height=1200), "lead")
    make_story("Older story", hero_image=image, home_position=1)
    teaser_before = image.rendition_index["teaser"]

    assert_shows_teaser_crop(teaser_picture(page(client.get("/")), "Older story"), image)

    assert run_refresh() == "Made renditions for 1 of 1 picture(s); the rest were up to date.\n"

    image.refresh_from_db()
    assert image.rendition_index["teaser"] == teaser_before  # only the missing crop is made
    assert_shows_lead_crop(teaser_picture(page(client.get("/")), "Older story"), image)


def test_the_refresh_command_goes_on_past_a_picture_whose_file_is_missing():
    lost = without_teaser_crops(make_image())
    lost.file.storage.delete(lost.file.name)
    kept = without_teaser_crops(make_image())

    with pytest.raises(CommandError, match=f"1 picture\\(s\\) could not be read: {lost.pk}"):
        run_refresh()

    kept.refresh_from_db()
    assert kept.teaser is not None and kept.rendition_index["lead"]
    assert Image.objects.get(pk=lost.pk).lead is None
