"""V.1, DESIGN rule 11: the day the measures took effect is a setting of the installation (one
row at most), which replaces the start of the first published version."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_audit_entry_evidence"),
    ]

    operations = [
        migrations.CreateModel(
            name="MeasuresStart",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(
                        default=1, editable=False, primary_key=True, serialize=False
                    ),
                ),
                (
                    "effective_from",
                    models.DateField(verbose_name="the measures took effect on"),
                ),
                (
                    "set_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="set"),
                ),
                (
                    "set_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "date the measures took effect",
                "verbose_name_plural": "date the measures took effect",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("id", 1)), name="measures_start_one"
                    )
                ],
            },
        ),
    ]
