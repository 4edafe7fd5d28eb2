"""The royalty of each revenue report joins the licence's schedule as an instalment."""

from django.db import migrations, models
from django.db.models import Max


def royalties_to_instalments(apps, schema_editor):
    """The royalties reported before this migration become instalments, after the licence's
    last one, in the order of their periods."""
    report_model = apps.get_model("reform", "RevenueReport")
    instalment_model = apps.get_model("reform", "LicenceInstalment")
    reports = report_model.objects.filter(royalty__gt=0).order_by("licence_id", "period_start")
    for report in reports.iterator():
        rows = instalment_model.objects.filter(licence_id=report.licence_id)
        last = rows.aggregate(last=Max("number"))["last"] or 0
        instalment_model.objects.create(
            licence_id=report.licence_id,
            number=last + 1,
            amount=report.royalty,
            trigger="royalty",
            milestone=f"{report.period_start.isoformat()}/{report.period_end.isoformat()}",
            due=report.due,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reform", "0006_open_list_order"),
    ]

    operations = [
        migrations.AlterField(
            model_name="licenceinstalment",
            name="trigger",
            field=models.CharField(
                choices=[
                    ("date", "on a date"),
                    ("milestone", "at a milestone"),
                    ("first_revenue", "after the first revenue"),
                    ("royalty", "royalty on reported revenue"),
                ],
                max_length=16,
                verbose_name="falls due",
            ),
        ),
        migrations.RunPython(royalties_to_instalments, migrations.RunPython.noop),
    ]
