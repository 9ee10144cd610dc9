import django.db.models.deletion
from django.db import migrations, models


def grant_roles(apps, schema_editor):
    from articles.roles import sync_roles

    sync_roles(apps)  # editors change series and see every read count; reporters view series


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0017_story_language"),
        ("media", "0005_lead_renditions"),
    ]

    operations = [
        migrations.CreateModel(
            name="Series",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=120, unique=True)),
                ("slug", models.SlugField(allow_unicode=True, blank=True, max_length=120, unique=True)),
                (
                    "description",
                    models.TextField(
                        blank=True, help_text="One or two sentences shown at the top of the series page."
                    ),
                ),
                (
                    "picture",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="media.image",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "series",
                "ordering": ["name"],
                "constraints": [models.CheckConstraint(condition=models.Q(("slug", ""), _negated=True), name="series_slug_not_empty")],
            },
        ),
        migrations.CreateModel(
            name="SeriesStory",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "position",
                    models.PositiveSmallIntegerField(default=0, help_text="Stories are shown in this order."),
                ),
                (
                    "series",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="memberships", to="articles.series"
                    ),
                ),
                (
                    "story",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="series_memberships",
                        to="articles.story",
                    ),
                ),
            ],
            options={
                "verbose_name": "story in a series",
                "verbose_name_plural": "stories in the series",
                "ordering": ["position", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("story",),
                        name="seriesstory_one_series_per_story",
                        violation_error_message="This story is already in a series; take it out of that one first.",
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="series",
            name="stories",
            field=models.ManyToManyField(related_name="series", through="articles.SeriesStory", to="articles.story"),
        ),
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
    ]
