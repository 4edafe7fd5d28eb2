# The center's exchange rates (M8.1) and a reader's chosen currency.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('center', '0005_matching'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ExchangeRate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('currency', models.CharField(max_length=3, verbose_name='currency')),
                ('cny_per_unit', models.DecimalField(decimal_places=10, max_digits=20, verbose_name='yuan per unit')),
                ('rate_date', models.DateField(verbose_name='rate of')),
                ('source', models.CharField(max_length=200, verbose_name='source')),
                ('published_at', models.DateTimeField(auto_now_add=True, verbose_name='published')),
                ('published_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'exchange rate',
                'verbose_name_plural': 'exchange rates',
                'ordering': ('-rate_date', '-published_at', '-pk'),
                'indexes': [models.Index(fields=['currency', '-rate_date'], name='rate_currency_date')],
                'constraints': [models.CheckConstraint(condition=models.Q(('cny_per_unit__gt', 0)), name='rate_positive')],
            },
        ),
        migrations.CreateModel(
            name='ReaderCurrency',
            fields=[
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='reader_currency', serialize=False, to=settings.AUTH_USER_MODEL)),
                ('currency', models.CharField(max_length=3, verbose_name='currency')),
            ],
            options={
                'verbose_name': "reader's currency",
                'verbose_name_plural': "readers' currencies",
            },
        ),
    ]
