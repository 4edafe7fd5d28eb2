from django.apps import AppConfig
from django.db.models import Exists, OuterRef, Q


def transforming_contracts(outer: str) -> Q:
    """M4.4, M5: a technology transfer or licence contract recorded about the result named by
    ``outer`` transforms it (it comes off the open licensing list, or never goes on it)."""
    from kttc.benefits.models import TechnologyContract

    contracts = TechnologyContract.objects.filter(
        achievement_id=OuterRef(outer), kind__in=("transfer", "licence")
    )
    return Q(Exists(contracts))


class BenefitsConfig(AppConfig):
    name = "kttc.benefits"
    label = "benefits"
    verbose_name = "Part 2, benefit distribution"

    def ready(self) -> None:
        from kttc.reform.transformation.selectors import register_transformation_source

        register_transformation_source(transforming_contracts)
