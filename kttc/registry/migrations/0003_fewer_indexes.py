"""Fewer indexes: each is written for every row stored, and a bulk import stores millions.

The indexes are dropped by name: on SQLite an altered field would rebuild the whole table (and
with the audit chain's table, drop its triggers). The models' state changes alongside.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0002_plain_labels'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    ['DROP INDEX IF EXISTS "registry_achievement_discipline_code_f1e52da6"', 'DROP INDEX IF EXISTS "registry_achievement_industry_code_0bfa7bfb"', 'DROP INDEX IF EXISTS "registry_achievement_trl_1585d96e"', 'DROP INDEX IF EXISTS "registry_achievement_confidentiality_b5934a64"', 'DROP INDEX IF EXISTS "registry_achievement_status_3833030c"', 'DROP INDEX IF EXISTS "registry_achievement_discipline_code_f1e52da6_like"', 'DROP INDEX IF EXISTS "registry_achievement_industry_code_0bfa7bfb_like"', 'DROP INDEX IF EXISTS "registry_achievement_confidentiality_b5934a64_like"', 'DROP INDEX IF EXISTS "registry_achievement_status_3833030c_like"'],
                    reverse_sql=['CREATE INDEX "registry_achievement_discipline_code_f1e52da6" ON "registry_achievement" ("discipline_code")', 'CREATE INDEX "registry_achievement_industry_code_0bfa7bfb" ON "registry_achievement" ("industry_code")', 'CREATE INDEX "registry_achievement_trl_1585d96e" ON "registry_achievement" ("trl")', 'CREATE INDEX "registry_achievement_confidentiality_b5934a64" ON "registry_achievement" ("confidentiality")', 'CREATE INDEX "registry_achievement_status_3833030c" ON "registry_achievement" ("status")'],
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name='achievement',
                    name='confidentiality',
                    field=models.CharField(choices=[('public', 'Public'), ('restricted', 'Restricted (unit and bureau only)')], max_length=16, verbose_name='confidentiality'),
                ),
                migrations.AlterField(
                    model_name='achievement',
                    name='discipline_code',
                    field=models.CharField(max_length=7, verbose_name='discipline (GB/T 13745)'),
                ),
                migrations.AlterField(
                    model_name='achievement',
                    name='industry_code',
                    field=models.CharField(max_length=5, verbose_name='industry (GB/T 4754)'),
                ),
                migrations.AlterField(
                    model_name='achievement',
                    name='status',
                    field=models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted, awaiting review'), ('returned', 'Returned for changes'), ('published', 'Published'), ('withdrawn', 'Withdrawn')], default='draft', max_length=16, verbose_name='status'),
                ),
                migrations.AlterField(
                    model_name='achievement',
                    name='trl',
                    field=models.PositiveSmallIntegerField(verbose_name='readiness level (GB/T 22900)'),
                ),
            ],
        ),
    ]
