from django.db import migrations


def keep_inline(apps, schema_editor):
    """On PostgreSQL: keep each story's search document in its row (compressed) rather than out of line.

    Ranking search results reads the document of every match; out of line, each read is a lookup in the
    table's TOAST storage, which made ranking three times slower. The body and the kept markup still go
    out of line when a row is large. Existing documents are written again so that they move in.
    """
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE articles_story ALTER COLUMN search_document SET STORAGE MAIN")
    schema_editor.execute(
        "UPDATE articles_story SET search_document = search_document || ''::tsvector WHERE search_document IS NOT NULL"
    )


def store_out_of_line(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE articles_story ALTER COLUMN search_document SET STORAGE EXTENDED")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0023_story_body_pictures"),
    ]

    operations = [
        migrations.RunPython(keep_inline, store_out_of_line),
    ]
