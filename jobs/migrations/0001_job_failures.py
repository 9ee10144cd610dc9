import django.utils.timezone
from django.db import migrations, models


def grant_roles(apps, schema_editor):
    """The Admin role holds every permission, so it may read failed jobs (nobody else but superusers)."""
    from articles.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('articles', '0007_roles'),
    ]

    operations = [
        migrations.CreateModel(
            name='JobFailure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='time')),
                ('task', models.CharField(db_index=True, max_length=200, verbose_name='job')),
                ('task_id', models.CharField(blank=True, max_length=64, verbose_name='job id')),
                ('arguments', models.CharField(blank=True, max_length=300)),
                ('retries', models.PositiveIntegerField(default=0)),
                ('error', models.CharField(max_length=1000)),
                ('traceback', models.TextField(blank=True, verbose_name='traceback (last lines)')),
            ],
            options={
                'ordering': ['-at', '-pk'],
                'default_permissions': ('view',),
            },
        ),
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
    ]
