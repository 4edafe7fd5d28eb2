"""What a person hears of their saved searches and followed fields: once a day, one notice
listing what is new since the last look (kind ``search.new_results``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from kttc.core.notifications.kinds import register_kind
from kttc.core.notifications.services import Notice
from kttc.policy.i18n import gettext_noop

NEW_RESULTS = Notice(
    kind="search.new_results",
    subject=gettext_noop("New for your saved searches and followed fields: %(count)s"),
    body=gettext_noop("New since %(since)s:\n%(lines)s"),
    clauses=("M8.2", "M8.3"),
)

register_kind(
    NEW_RESULTS.kind, gettext_lazy("New results and demands for your saved searches and fields")
)
