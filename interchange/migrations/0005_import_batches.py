import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def grant_roles(apps, schema_editor):
    """The Admin role holds every permission, the new model's included."""
    from articles.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0017_story_language'),
        ('interchange', '0004_archive_exports'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ImportBatch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='uploaded')),
                ('status', models.CharField(choices=[('queued', 'Waiting for the worker'), ('done', 'Imported'), ('failed', 'Failed')], default='queued', max_length=10)),
                ('folder', models.CharField(editable=False, max_length=64)),
                ('names', models.JSONField(default=list, verbose_name='file names')),
                ('results', models.JSONField(blank=True, default=list)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('error', models.CharField(blank=True, max_length=1000)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('section', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='articles.section')),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
                'default_permissions': ('view',),
            },
        ),
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
    ]
