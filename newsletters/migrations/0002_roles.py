from django.db import migrations


def grant_roles(apps, schema_editor):
    """Editors compose and send issues and alerts; subscribers' data stays with admins."""
    from articles.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("newsletters", "0001_lists_subscribers_issues_alerts"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
