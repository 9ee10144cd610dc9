import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def grant_roles(apps, schema_editor):
    """The Admin role holds every permission, exports included (editors get none)."""
    from articles.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):

    dependencies = [
        ('interchange', '0003_pictures_from_wire_items'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ArchiveExport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('requested_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='asked for')),
                ('include_media', models.BooleanField(default=True, verbose_name='with picture files')),
                ('status', models.CharField(choices=[('queued', 'Waiting for the worker'), ('done', 'Ready to download'), ('failed', 'Failed')], default='queued', max_length=10)),
                ('file_name', models.CharField(blank=True, max_length=255)),
                ('file_size', models.PositiveBigIntegerField(default=0, verbose_name='size in bytes')),
                ('rows', models.PositiveIntegerField(default=0)),
                ('media_files', models.PositiveIntegerField(default=0, verbose_name='picture files')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='written')),
                ('error', models.CharField(blank=True, max_length=1000)),
                ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-requested_at', '-pk'],
                'default_permissions': ('add', 'view', 'delete'),
            },
        ),
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
    ]
