from django.apps import AppConfig


class CenterConfig(AppConfig):
    name = "kttc.center"
    label = "center"
    verbose_name = "Part 3, the service system"

    def ready(self) -> None:
        from kttc.center import search
        from kttc.registry.signals import achievements_changed

        # The catalog's index follows the registry: after each commit that changed achievements.
        achievements_changed.connect(
            search.on_achievements_changed, dispatch_uid="kttc.center.search.sync"
        )
