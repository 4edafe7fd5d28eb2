from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "kttc.benefits"
    label = "benefits"
    verbose_name = "Part 2, benefit distribution"
