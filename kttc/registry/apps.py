from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "kttc.registry"
    label = "registry"
    verbose_name = "Fiscal projects, achievements, IP rights and their submission (汇交)"
