"""M3.3: each licence states how many days after the end of a reported period its royalty falls
due; the licences concluded before this migration take the default term, 30 days."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reform", "0007_royalty_instalments"),
    ]

    operations = [
        migrations.AddField(
            model_name="licence",
            name="royalty_due_days",
            field=models.PositiveSmallIntegerField(
                default=30, verbose_name="days to pay a royalty after the period"
            ),
        ),
        migrations.AddConstraint(
            model_name="licence",
            constraint=models.CheckConstraint(
                condition=models.Q(("royalty_due_days__gte", 1), ("royalty_due_days__lte", 365)),
                name="royalty_due_days_in_range",
            ),
        ),
    ]
