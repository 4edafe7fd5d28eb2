from django.apps import AppConfig


class ReformConfig(AppConfig):
    name = "kttc.reform"
    label = "reform"
    verbose_name = "Part 1, mechanism reform"
