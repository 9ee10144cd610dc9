"""Hostile copy: every file ends as draft stories or as its own clear error, and a failed file leaves nothing."""

import io
import json
import zipfile

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from articles.models import Author, Byline, Person, Section, Source, Story
from interchange.archive import ArchiveError, import_archive
from interchange.draft import ImportFailed
from interchange.importing import import_file, import_files
from interchange.models import ImportedItem, SuggestedQuote

pytestmark = pytest.mark.django_db
UPLOAD = "/admin/interchange/importeditem/upload/"
GOOD_TEXT = ("good.txt", b"Plain Copy Still Imports\n\nOne paragraph of copy.\n")


def counts() -> list[int]:
    return [m.objects.count() for m in (Story, Section, Source, Author, Byline, Person, SuggestedQuote, ImportedItem)]


def ninjs_item(headline="Dam Levels Rise", uri="urn:wire:1", **overrides) -> dict:
    item = {
        "uri": uri,
        "type": "text",
        "headlines": [{"role": "main", "value": headline}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": "<p>Levels rose.</p>"}],
        "people": [{"name": "Ayanda Zulu", "rel": "author"}],
    }
    return item | overrides


def nested_json(depth: int) -> bytes:
    return ("[" * depth + "]" * depth).encode()


def nested_nitf(depth: int) -> bytes:
    inner = "<block>" * depth + "deep" + "</block>" * depth
    return (
        "<nitf><body><body.head><hedline><hl1>Deep</hl1></hedline></body.head>"
        f"<body.content>{inner}</body.content></body></nitf>"
    ).encode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("deep.json", nested_json(100_000), "nests more than 32 levels"),
        ("deep-object.json", b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "nests more than 32 levels"),
        ("deep.xml", nested_nitf(50_000), "nests elements more than 64 levels"),
        ("huge-number.json", b'{"uri": ' + b"9" * 10_000 + b"}", "Not valid JSON"),
        ("latin1.json", json.dumps(ninjs_item("Caf\u00e9")).encode("utf-16"), "not UTF-8"),
        ("latin1.txt", "Caf\u00e9 Owners Protest\n\nCopy.\n".encode("latin-1"), "not UTF-8"),
        ("bad-encoding.xml", b'<?xml version="1.0" encoding="UTF-8"?><nitf>\xff\xfe</nitf>', "Not well-formed XML"),
        ("nul.xml", b"<nitf><head><title>A\x00B</title></head></nitf>", "Not well-formed XML"),
        ("deep.md", b"Deep Lists\n\n" + b"".join(b"  " * i + b"- x\n" for i in range(200)), "nests lists or quotes"),
        ("quotes.md", b"Deep Quotes\n\n" + b">" * 500 + b" x\n", "nests lists or quotes"),
        (
            "deep-body.json",
            json.dumps(ninjs_item(bodies=[{"contenttype": "text/html", "value": "<blockquote>" * 5000}])).encode(),
            "nests more than 100 elements",
        ),
        ("long-uri.json", json.dumps(ninjs_item(uri="urn:" + "x" * 5000)).encode(), "at most 500 fit"),
    ],
)
def test_hostile_file_fails_with_its_own_error_and_the_rest_of_the_batch_imports(name, content, message):
    before = counts()

    outcomes = import_files(files=[(name, content), GOOD_TEXT])

    assert not outcomes[0].ok
    assert message in outcomes[0].error
    assert outcomes[1].ok
    assert Story.objects.get().headline == "Plain Copy Still Imports"
    assert counts()[1:3] == before[1:3]  # no section or source left behind by the failed file


def test_gigantic_attributes_are_read_and_refused_naming_the_field():
    huge = "x" * 2_000_000
    content = (
        f'<nitf><head><docdata><doc-id id-string="nitf-1"/></docdata><pubdata position.section="" ex-ref="{huge}"/>'
        f"</head><body><body.head><hedline><hl1>Giant Attribute</hl1></hedline><byline><person>{huge}</person>"
        "</byline></body.head></body></nitf>"
    ).encode()

    (outcome,) = import_files(files=[("giant.xml", content)])

    assert not outcome.ok
    assert "Giant Attribute" in outcome.error and "original_url" in outcome.error
    assert not Story.objects.exists()
    assert not Author.objects.exists()


def test_nul_and_control_characters_are_removed_from_imported_copy_with_a_note():
    item = ninjs_item(
        headline="Dam\x00 Levels\x07 Rise",
        people=[{"name": "Ayanda\x1b Zulu", "rel": "author"}],
        subjects=[{"name": "Wea\x00ther", "rel": "tag"}],
    )

    (outcome,) = import_files(files=[("item.json", json.dumps(item).encode())])

    assert outcome.ok, outcome.error
    story = Story.objects.get()
    assert story.headline == "Dam Levels Rise"
    assert [a.name for a in story.byline_authors] == ["Ayanda Zulu"]
    assert [t.name for t in story.tags.all()] == ["Weather"]
    assert outcome.notes == ['Invisible control characters were removed from "Dam Levels Rise".']


def test_lone_surrogates_in_json_escapes_are_removed_not_a_crash():
    text = '{"uri": "urn:s:1", "type": "text", "headlines": [{"value": "Half \\ud800 a \\udfff pair"}]}'

    (story,) = import_file(name="s.json", content=text.encode())

    assert Story.objects.get(pk=story.pk).headline == "Half  a  pair"


def test_plain_text_with_control_characters_in_its_section_label_imports():
    Section.objects.create(name="News")

    (story,) = import_file(name="wire.txt", content=b"Ne\x00ws\nCouncil Approves the Budget\n\nCopy.\n")

    assert story.section.name == "News"
    assert story.headline == "Council Approves the Budget"


def test_uploaded_file_names_lose_control_and_direction_characters():
    (outcome,) = import_files(files=[("wire\u202ettx.\x00txt", b"A Headline For Plain Copy\n\nCopy.\n")])

    assert outcome.name == "wirettx.txt"
    assert ImportedItem.objects.get().filename == "wirettx.txt"


def test_unexpected_failure_in_one_file_is_reported_and_undone(monkeypatch):
    from interchange import importing

    real = importing.save_draft

    def fails_after_writing(draft, **kwargs):
        real(draft, **kwargs)
        raise LookupError("something nobody planned for")

    monkeypatch.setattr(importing, "save_draft", fails_after_writing)
    (outcome,) = import_files(files=[GOOD_TEXT])

    assert outcome.error == importing.UNEXPECTED
    assert not Story.objects.exists()
    assert not ImportedItem.objects.exists()


def test_upload_page_answers_each_hostile_file_and_imports_the_rest(editor_client):
    editor_client.raise_request_exception = False
    files = [
        SimpleUploadedFile("deep.json", nested_json(200_000)),
        SimpleUploadedFile("deep.xml", nested_nitf(100_000)),
        SimpleUploadedFile("surrogate.json", b'{"uri": "u", "type": "text", "headlines": [{"value": "\\udc00"}]}'),
        SimpleUploadedFile("nul.json", json.dumps(ninjs_item("Nul\x00 Headline")).encode()),
        SimpleUploadedFile(*GOOD_TEXT),
    ]

    response = editor_client.post(UPLOAD, {"files": files})

    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    failed = {row.td.get_text(): row.get_text(" ") for row in page.select("tr.import-failed")}
    assert set(failed) == {"deep.json", "deep.xml", "surrogate.json"}
    assert "nests more than 32 levels" in failed["deep.json"]
    assert "has no headline left" in failed["surrogate.json"]
    assert sorted(Story.objects.values_list("headline", flat=True)) == ["Nul Headline", "Plain Copy Still Imports"]
    assert "Invisible control characters were removed" in page.select("tr.import-ok")[0].get_text()


def test_import_command_names_each_hostile_file_and_imports_the_rest(tmp_path, capsys):
    deep, good = tmp_path / "deep.json", tmp_path / GOOD_TEXT[0]
    deep.write_bytes(nested_json(100_000))
    good.write_bytes(GOOD_TEXT[1])

    with pytest.raises(CommandError, match="1 of 2 files were not imported"):
        call_command("import_story", str(deep), str(good))

    captured = capsys.readouterr()
    assert f"{deep}: The JSON nests more than 32 levels deep" in captured.err
    assert "Plain Copy Still Imports" in captured.out
    assert Story.objects.count() == 1


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def test_archive_that_unpacks_to_far_more_than_it_packs_is_refused_as_a_zip_bomb():
    bomb = _zip({"manifest.json": b"{}", "data/articles.Section.json": b" " * 50_000_000})

    with pytest.raises(ArchiveError, match="refused as a zip bomb"):
        import_archive(bomb)


def test_archive_with_too_many_members_is_refused(settings):
    settings.NEWSROOM_ARCHIVE_MAX_MEMBERS = 10

    with pytest.raises(ArchiveError, match="holds 11 files; at most 10"):
        import_archive(_zip({f"media/{n}.txt": b"x" for n in range(11)}))


def test_archive_that_unpacks_to_too_many_bytes_is_refused(settings):
    settings.NEWSROOM_ARCHIVE_MAX_BYTES = 1024 * 1024

    with pytest.raises(ArchiveError, match="at most 1 MB"):
        import_archive(_zip({"media/a.bin": bytes(range(256)) * 5000}, compression=zipfile.ZIP_STORED))


def test_archive_with_a_member_lying_about_its_size_cannot_unpack_more():
    buffer = _zip({"manifest.json": json.dumps({"format": "newsroom-archive", "version": 1}).encode() + b" " * 5000})
    data = bytearray(buffer.getvalue())
    # Shrink the declared size in the central directory: zipfile then stops there and the checksum fails.
    offset = data.rfind(b"PK\x01\x02")
    data[offset + 24 : offset + 28] = (10).to_bytes(4, "little")

    with pytest.raises(ArchiveError):
        import_archive(io.BytesIO(bytes(data)))
    assert not Section.objects.exists()


@pytest.mark.parametrize(
    "rows",
    [
        b'[{"model": "articles.section", "pk": 1, "fields": {"name": "N\\ud800", "slug": "n"}}]',
        b"[" * 100_000 + b"]" * 100_000,
    ],
)
def test_archive_rows_no_database_can_hold_fail_cleanly(rows):
    manifest = json.dumps({"format": "newsroom-archive", "version": 1, "models": ["articles.Section"]}).encode()

    with pytest.raises(ArchiveError):
        import_archive(_zip({"manifest.json": manifest, "data/articles.Section.json": rows}))
    assert not Section.objects.exists()


def test_one_file_failing_never_undoes_another():
    with pytest.raises(ImportFailed):
        import_file(name="deep.json", content=nested_json(1000))
    assert import_file(name=GOOD_TEXT[0], content=GOOD_TEXT[1])
