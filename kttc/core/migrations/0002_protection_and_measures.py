"""The database's own guard of the audit chain (M14.1) and of policy versions in force (V.1),
and the first policy version: the numbers of the measures as issued."""

import datetime

from django.db import migrations

# Literal on purpose: a migration records history and must not follow later code changes.
MEASURES_VALUES = {
    "empowerment_notice_min_days": "15",
    "transformation_deadline_max_years": "5",
    "open_licensing_after_years": "5",
    "completer_income_min_share": "0.70",
    "service_staff_reward_min_share": "0.10",
    "completer_equity_min_share": "0.70",
    "submission_due_months": "3",
    "demonstration_institution_subsidy": "100000.00",
    "broker_reward_min_share": "0.10",
    "measures_validity_years": "3",
}
MEASURES_CODE = "KM-2026"


def install_protection(apps, schema_editor):
    from kttc.core import protection

    protection.install(schema_editor.connection)


def remove_protection(apps, schema_editor):
    from kttc.core import protection

    protection.remove(schema_editor.connection)


def seed_measures(apps, schema_editor):
    PolicyVersion = apps.get_model("core", "PolicyVersion")
    if not PolicyVersion.objects.filter(code=MEASURES_CODE).exists():
        PolicyVersion.objects.create(
            code=MEASURES_CODE,
            title="昆明市促进科技成果转化若干措施（试行）",
            source="《昆明市促进科技成果转化若干措施（试行）》（征求意见稿）",
            effective_from=datetime.date(2026, 1, 1),
            effective_until=datetime.date(2028, 12, 31),
            values=MEASURES_VALUES,
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(seed_measures, migrations.RunPython.noop),
        migrations.RunPython(install_protection, remove_protection),
    ]
