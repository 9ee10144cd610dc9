from django.db import migrations


def grant_admins_every_permission(apps, schema_editor):
    # The roles were made before the sign-in libraries' tables existed, so admins lacked their
    # permissions (lockouts, authenticator devices). Granting again adds them; nothing is taken away.
    from articles.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_roles"),
        ("axes", "0010_accessattemptexpiration"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(grant_admins_every_permission, migrations.RunPython.noop)]
