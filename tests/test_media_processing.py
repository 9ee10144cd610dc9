"""The upload pipeline, exercised the way an editor meets it: posting real files to the admin's upload form."""

import io
import struct
import zlib

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, IptcImagePlugin
from PIL import Image as PILImage

from media.models import Image
from tests.factories import picture_bytes

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/media/image/add/"
SECRETS = [b"SERIAL-0042", b"Jane Source", b"SpyCam", b"met the source at the cafe", b"SECRET-XMP", b"IPTC-BYLINE"]


def upload(client, name, content, content_type="image/jpeg", **fields):
    data = {"alt_text": "Protesters outside the council", "credit": "Staff photographer", "focal_x": "0.5"}
    data |= {"focal_y": "0.5", "tags": ""} | fields
    data["file"] = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(ADD_URL, data)


def file_errors(response) -> str:
    assert response.status_code == 200, "the form should be shown again with an error"
    page = BeautifulSoup(response.content, "html.parser")
    return " ".join(item.get_text(" ", strip=True) for item in page.select(".errorlist li"))


def stored_files(image):
    """The original and every rendition, read back through storage."""
    names = image.stored_names()
    assert len(names) >= 4
    for name in names:
        with image.file.storage.open(name, "rb") as stored:
            yield name, stored.read()


def iptc_segment(byline: bytes) -> bytes:
    """A JPEG APP13 segment carrying IPTC By-line, the way photo desks' software writes it."""
    record = b"\x1c\x02\x50" + struct.pack(">H", len(byline)) + byline
    if len(record) % 2:
        record += b"\x00"
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(record)) + record
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def revealing_jpeg() -> bytes:
    """A phone-style photo: GPS position, camera serial, owner, comment, XMP, IPTC, and turned on its side."""
    exif = PILImage.Exif()
    exif[ExifTags.Base.Orientation] = 6  # stored landscape, to be shown rotated 90 degrees clockwise
    exif[ExifTags.Base.Make] = "SpyCam"
    camera = exif.get_ifd(ExifTags.IFD.Exif)
    camera[ExifTags.Base.BodySerialNumber] = "SERIAL-0042"
    camera[ExifTags.Base.CameraOwnerName] = "Jane Source"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = "S", (26.0, 12.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef], gps[ExifTags.GPS.GPSLongitude] = "E", (28.0, 2.0, 0.0)
    picture = PILImage.new("RGB", (600, 400), (30, 90, 160))
    picture.paste((250, 250, 0), (0, 0, 60, 40))  # a yellow mark in the stored top-left corner
    buffer = io.BytesIO()
    xmp = b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>SECRET-XMP</x:xmpmeta>"
    picture.save(buffer, "JPEG", exif=exif, comment=b"met the source at the cafe", xmp=xmp)
    data = buffer.getvalue()
    return data[:2] + iptc_segment(b"IPTC-BYLINE") + data[2:]


def test_the_test_photo_really_carries_the_metadata():
    data = revealing_jpeg()
    with PILImage.open(io.BytesIO(data)) as photo:
        assert photo.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert photo.info["comment"] and photo.info["xmp"]
        assert IptcImagePlugin.getiptcinfo(photo)[(2, 80)] == b"IPTC-BYLINE"
    assert all(secret in data for secret in SECRETS)


def test_no_metadata_survives_in_the_original_or_any_rendition_and_orientation_is_applied(editor_client):
    response = upload(editor_client, "DSC_0042 at the safe house.jpg", revealing_jpeg())

    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (400, 600)  # turned upright: width and height swapped
    for name, data in stored_files(image):
        assert not any(secret in data for secret in SECRETS), name
        with PILImage.open(io.BytesIO(data)) as stored:
            assert not stored.getexif(), name
            assert not {"exif", "comment", "xmp", "icc_profile", "photoshop"} & stored.info.keys(), name
            assert IptcImagePlugin.getiptcinfo(stored) is None, name
            # Landscape crops of the portrait picture.
            crop = any(f"/{kind}-" in name for kind in ("og", "teaser", "lead"))
            assert stored.width < stored.height or crop, name
    assert (image.teaser.width, image.teaser.height) == (400, 267)  # the 3:2 crop spans the upright width
    assert (image.lead.width, image.lead.height) == (400, 225)
    with image.file.open("rb") as original, PILImage.open(original) as upright:
        # Rotating clockwise moves the stored top-left corner to the top right.
        assert upright.convert("RGB").getpixel((395, 5))[:2] > (200, 200)
        assert upright.convert("RGB").getpixel((5, 5))[2] > 120


def test_stored_name_is_generated_and_the_uploaded_name_is_display_text_only(editor_client):
    upload(editor_client, "../../Minister leak (source: J).jpg", picture_bytes("JPEG", (50, 50)))

    image = Image.objects.get()
    assert image.original_filename == "Minister leak (source: J).jpg"
    assert "Minister" not in image.file.name and "source" not in image.file.name
    assert image.file.name.startswith("images/") and image.file.name.endswith(".jpg")
    assert image.uploaded_by == editor_client.user


def test_html_appended_to_a_jpeg_is_gone_after_re_encoding(editor_client):
    payload = b"<html><script>alert(document.cookie)</script></html>"
    response = upload(editor_client, "photo.jpg", picture_bytes("JPEG", (80, 60)) + payload)

    assert response.status_code == 302
    image = Image.objects.get()
    for name, data in stored_files(image):
        assert b"<script" not in data and b"<html" not in data, name
    with image.file.open("rb") as original:
        assert original.read().endswith(b"\xff\xd9")  # the JPEG ends where its pixels end


def declared_png(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height``: a decompression bomb's calling card."""
    data = bytearray(picture_bytes("PNG", (1, 1), mode="1", color=0))
    ihdr = 8  # after the PNG signature: length, b"IHDR", width, height, ...
    struct.pack_into(">II", data, ihdr + 8, width, height)
    chunk = bytes(data[ihdr + 4 : ihdr + 8 + 13])
    struct.pack_into(">I", data, ihdr + 8 + 13, zlib.crc32(chunk))
    return bytes(data)


@pytest.mark.parametrize("width, height", [(20000, 20000), (8000, 8000)])
def test_decompression_bomb_is_a_form_error_checked_before_decoding(editor_client, width, height):
    bomb = declared_png(width, height)
    assert len(bomb) < 100
    assert struct.unpack(">II", bomb[16:24]) == (width, height)

    errors = file_errors(upload(editor_client, "tiny.png", bomb, "image/png"))

    assert "megapixels" in errors
    assert not Image.objects.exists()


@pytest.mark.parametrize(
    "name, content",
    [
        (
            "chart.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
        ),
        ("page.html", b"<!doctype html><html><body><img src=x onerror=alert(1)></body></html>"),
        ("scan.jpg", picture_bytes("PDF", (40, 40))),
        ("press.jpg", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF"),
        ("poster.eps", picture_bytes("EPS", (20, 20))),
        ("layout.psd", b"8BPS\x00\x01" + b"\x00" * 40),
        ("camera.tif", picture_bytes("TIFF", (20, 20))),
        ("image.jpg", b"GIF89a-not-really" + b"\x00" * 20),
        ("notes.jpg", b"just some text pretending to be a photo"),
    ],
)
def test_files_that_are_not_jpeg_png_webp_or_gif_are_refused_by_content(editor_client, name, content):
    errors = file_errors(upload(editor_client, name, content))

    assert "not a JPEG, PNG, WebP or GIF" in errors or "damaged" in errors
    assert not Image.objects.exists()


def test_svg_pdf_and_tiff_get_the_unsupported_format_message(editor_client):
    for name, content in [("a.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"), ("b.jpg", picture_bytes("PDF"))]:
        assert "not a JPEG, PNG, WebP or GIF" in file_errors(upload(editor_client, name, content))
    assert "not a JPEG, PNG, WebP or GIF" in file_errors(upload(editor_client, "c.jpg", picture_bytes("TIFF")))


def noisy_jpeg(size=(300, 200)) -> bytes:
    buffer = io.BytesIO()
    PILImage.effect_noise(size, 80).convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def test_truncated_jpeg_is_reported_as_damaged(editor_client):
    whole = noisy_jpeg()

    errors = file_errors(upload(editor_client, "half.jpg", whole[: len(whole) * 6 // 10]))

    assert "damaged or incomplete" in errors
    assert not Image.objects.exists()


def test_cmyk_jpeg_is_stored_as_rgb(editor_client):
    cmyk = picture_bytes("JPEG", (120, 80), mode="CMYK", color=(0, 255, 255, 0))  # pure red in print inks

    assert upload(editor_client, "print.jpg", cmyk).status_code == 302

    image = Image.objects.get()
    for name, data in stored_files(image):
        with PILImage.open(io.BytesIO(data)) as stored:
            assert stored.mode == "RGB", name
            red, green, blue = stored.getpixel((stored.width // 2, stored.height // 2))
            assert red > 200 and green < 60 and blue < 60, name


def animated_gif(frames: int) -> bytes:
    colours = [(220, 20, 20), (20, 200, 20), (20, 20, 220)]
    pictures = [PILImage.new("RGB", (90, 60), colours[n % 3]) for n in range(frames)]
    buffer = io.BytesIO()
    pictures[0].save(buffer, "GIF", save_all=True, append_images=pictures[1:], duration=80, loop=0)
    return buffer.getvalue()


def test_animated_gif_keeps_its_first_frame_as_a_still(editor_client):
    assert upload(editor_client, "reaction.gif", animated_gif(3), "image/gif").status_code == 302

    image = Image.objects.get()
    assert image.file.name.endswith(".png")
    with image.file.open("rb") as original, PILImage.open(original) as still:
        assert getattr(still, "n_frames", 1) == 1
        red, green, blue = still.convert("RGB").getpixel((45, 30))
        assert red > 200 and green < 60


def test_gif_with_too_many_frames_is_refused(editor_client, settings):
    settings.NEWSROOM_IMAGE_MAX_FRAMES = 5

    errors = file_errors(upload(editor_client, "long.gif", animated_gif(6), "image/gif"))

    assert "6 frames" in errors and "5" in errors
    assert not Image.objects.exists()


def test_file_over_the_size_limit_is_refused(editor_client, settings):
    settings.NEWSROOM_IMAGE_MAX_BYTES = 10_000

    errors = file_errors(upload(editor_client, "big.jpg", noisy_jpeg((400, 400))))

    assert "largest picture accepted is 9.8" in errors
    assert not Image.objects.exists()


@pytest.mark.parametrize(
    "image_format, mode, suffix",
    [("PNG", "RGBA", ".png"), ("WEBP", "RGB", ".webp"), ("PNG", "P", ".png"), ("JPEG", "L", ".jpg")],
)
def test_png_webp_and_greyscale_pictures_are_accepted(editor_client, image_format, mode, suffix):
    content = picture_bytes(image_format, (70, 50), mode=mode, color=(10, 120, 200, 128) if mode == "RGBA" else 90)

    assert upload(editor_client, f"x.{image_format.lower()}", content).status_code == 302

    image = Image.objects.get()
    assert image.file.name.endswith(suffix)
    assert (image.width, image.height) == (70, 50)


def test_alt_text_and_credit_are_required_and_the_upload_is_not_stored(editor_client):
    response = upload(editor_client, "photo.jpg", picture_bytes(), alt_text="  ", credit="")

    page = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 200
    assert page.select(".field-alt_text .errorlist") and page.select(".field-credit .errorlist")
    assert not Image.objects.exists()


def test_pictures_created_outside_the_admin_go_through_the_same_pipeline():
    upload_file = SimpleUploadedFile("import.jpg", revealing_jpeg(), content_type="image/jpeg")

    image = Image.objects.create(file=upload_file, alt_text="Imported", credit="Wire agency")

    assert (image.width, image.height) == (400, 600)
    for name, data in stored_files(image):
        assert not any(secret in data for secret in SECRETS), name


def test_a_photo_with_corrupt_exif_is_still_accepted_and_stored_clean(editor_client):
    jpeg = picture_bytes("JPEG", (40, 30))
    corrupt = b"Exif\x00\x00II*\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00\x09\x00\x00\x00"
    data = jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(corrupt) + 2) + corrupt + jpeg[2:]

    assert upload(editor_client, "odd.jpg", data).status_code == 302

    image = Image.objects.get()
    assert (image.width, image.height) == (40, 30)
    for name, stored in stored_files(image):
        assert b"Exif" not in stored, name
