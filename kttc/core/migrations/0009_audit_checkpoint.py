"""M14.1: checkpoints of the audit chain's head, written once like the chain."""

from django.db import migrations, models


def install_protection(apps, schema_editor):
    from kttc.core import protection

    protection.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_measures_start"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("seq", models.PositiveBigIntegerField(verbose_name="last entry")),
                ("hash", models.CharField(max_length=64, verbose_name="hash")),
                ("created_at", models.DateTimeField(verbose_name="time")),
                ("key_id", models.CharField(max_length=16, verbose_name="key")),
                ("signature", models.CharField(max_length=64, verbose_name="signature")),
            ],
            options={
                "verbose_name": "audit checkpoint",
                "verbose_name_plural": "audit checkpoints",
                "ordering": ("-seq",),
                "constraints": [
                    models.UniqueConstraint(fields=("seq",), name="one_checkpoint_per_head")
                ],
            },
        ),
        migrations.RunPython(install_protection, migrations.RunPython.noop),
    ]
