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
        # Each web process may follow the outbox for its node's index (one per node takes the
        # lock); management commands serve no request and never do.
        from django.core.signals import request_started

        from kttc.center.search import follow

        request_started.connect(follow.on_request_started, dispatch_uid="kttc.center.follow")
        # An offer made, closed or reopened changes its result's "has an open offer" (M3.1); the
        # open licensing sweeps, which write offers in bulk, send ``achievements_changed``.
        post_save.connect(
            search.on_offer_saved, sender=LicenceOffer, dispatch_uid="kttc.center.search.offer"
        )
        # Demands and results are matched again when either side changes (M8.1, M8.3).
        from kttc.center.demands.models import Demand
        from kttc.center.matching import services as matching
        from kttc.center.search import semantic

        post_save.connect(
            matching.on_demand_saved, sender=Demand, dispatch_uid="kttc.center.matching.demand"
        )
        if matching.results_changed not in semantic.encoded_listeners:
            semantic.encoded_listeners.append(matching.results_changed)
