from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "kttc.oversight"
    label = "oversight"
    verbose_name = "Part 4, organisation"
