"""M14.1: an audit entry records the hash of each evidence row its decision created. SQLite
rebuilds the table to add the column, dropping its triggers: they are put back at once."""

from django.db import migrations, models


def install_protection(apps, schema_editor):
    from kttc.core import protection

    protection.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_evidence_protection"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="evidence",
            field=models.JSONField(blank=True, default=list, verbose_name="evidence rows"),
        ),
        migrations.RunPython(install_protection, migrations.RunPython.noop),
    ]
