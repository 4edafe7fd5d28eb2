"""Redundant indexes go: a child's unique (achievement, position) or (achievement, language)
index serves lookups by achievement, and IP rights are not looked up by kind in the database
(the search index has the facet). Dropped by name, as in 0003."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0003_fewer_indexes'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    ['DROP INDEX IF EXISTS "registry_achievementunit_achievement_id_63ed9965"', 'DROP INDEX IF EXISTS "registry_completer_achievement_id_18c4ab43"', 'DROP INDEX IF EXISTS "registry_achievementtranslation_achievement_id_cbff979b"', 'DROP INDEX IF EXISTS "registry_ipright_kind_105d6a99"', 'DROP INDEX IF EXISTS "registry_ipright_kind_105d6a99_like"'],
                    reverse_sql=['CREATE INDEX "registry_achievementunit_achievement_id_63ed9965" ON "registry_achievementunit" ("achievement_id")', 'CREATE INDEX "registry_completer_achievement_id_18c4ab43" ON "registry_completer" ("achievement_id")', 'CREATE INDEX "registry_achievementtranslation_achievement_id_cbff979b" ON "registry_achievementtranslation" ("achievement_id")', 'CREATE INDEX "registry_ipright_kind_105d6a99" ON "registry_ipright" ("kind")'],
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name='achievementtranslation',
                    name='achievement',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='registry.achievement'),
                ),
                migrations.AlterField(
                    model_name='achievementunit',
                    name='achievement',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='completing_units', to='registry.achievement'),
                ),
                migrations.AlterField(
                    model_name='completer',
                    name='achievement',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='completers', to='registry.achievement'),
                ),
                migrations.AlterField(
                    model_name='ipright',
                    name='kind',
                    field=models.CharField(choices=[('invention', 'Invention patent'), ('utility_model', 'Utility model patent'), ('design', 'Design patent'), ('software_copyright', 'Software copyright'), ('plant_variety', 'Plant variety right'), ('other', 'Other')], max_length=24, verbose_name='kind'),
                ),
            ],
        ),
    ]
