"""M14.1 in the database: evidence rows are written once (UPDATE, DELETE and REPLACE refused on
every evidence table), and REPLACE cannot slip a row over an audit entry or a policy version in
force on SQLite. Installed again after every ``migrate`` for evidence tables added later."""

from django.db import migrations


def install_protection(apps, schema_editor):
    from kttc.core import protection

    protection.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_notification"),
        ("benefits", "0004_unit_income_rules"),
        ("reform", "0007_royalty_instalments"),
    ]

    operations = [migrations.RunPython(install_protection, migrations.RunPython.noop)]
