from django.db import migrations


def create_publication(apps, schema_editor):
    Publication = apps.get_model("articles", "Publication")
    Publication.objects.get_or_create(pk=1, defaults={"name": "Newsroom"})


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_initial")]

    operations = [migrations.RunPython(create_publication, migrations.RunPython.noop)]
