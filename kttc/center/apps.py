from django.apps import AppConfig


class CenterConfig(AppConfig):
    name = "kttc.center"
    label = "center"
    verbose_name = "Part 3, the service system"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from kttc.center import search
        from kttc.reform.licensing.models import LicenceOffer
        from kttc.registry.signals import achievements_changed

        # The catalog's index follows the registry: after each commit that changed achievements.
        achievements_changed.connect(
            search.on_achievements_changed, dispatch_uid="kttc.center.search.sync"
        )
        # An offer made, closed or reopened changes its result's "has an open offer" (M3.1); the
        # open licensing sweeps, which write offers in bulk, send ``achievements_changed``.
        post_save.connect(
            search.on_offer_saved, sender=LicenceOffer, dispatch_uid="kttc.center.search.offer"
        )
