from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _protect(using: str = "default", **kwargs: object) -> None:
    """After every ``migrate``: the database's guard on the audit chain, policy versions and
    every evidence table that exists by now (M14.1, V.1; ``kttc.core.protection``)."""
    from django.db import connections

    from kttc.core import protection

    connection = connections[using]
    if connection.vendor in ("postgresql", "sqlite") and "core_auditentry" in (
        connection.introspection.table_names()
    ):
        protection.install(connection)


class CoreConfig(AppConfig):
    name = "kttc.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        post_migrate.connect(_protect, sender=self, dispatch_uid="kttc.core.protection")
