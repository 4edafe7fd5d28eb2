from django.apps import AppConfig


class CenterConfig(AppConfig):
    name = "kttc.center"
    label = "center"
    verbose_name = "Part 3, the service system"
