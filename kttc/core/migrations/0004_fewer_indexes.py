"""Fewer indexes: each is written for every row stored, and a bulk import stores millions.

The indexes are dropped by name: on SQLite an altered field would rebuild the whole table (and
with the audit chain's table, drop its triggers). The models' state changes alongside.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_municipal_label'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    ['DROP INDEX IF EXISTS "core_auditentry_created_at_8d53ad0d"', 'DROP INDEX IF EXISTS "core_auditentry_organisation_id_06df537d"'],
                    reverse_sql=['CREATE INDEX "core_auditentry_created_at_8d53ad0d" ON "core_auditentry" ("created_at")', 'CREATE INDEX "core_auditentry_organisation_id_06df537d" ON "core_auditentry" ("organisation_id")'],
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name='auditentry',
                    name='created_at',
                    field=models.DateTimeField(verbose_name='time'),
                ),
                migrations.AlterField(
                    model_name='auditentry',
                    name='organisation',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.organisation'),
                ),
            ],
        ),
    ]
