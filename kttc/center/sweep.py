"""The center's part of ``kttc sweep`` (found by this name, see ``kttc.core.parts``): demands
past their deadline leave the demand hall (M8.1, :mod:`kttc.center.demands.sweep`), the open ones
are matched again with the catalog (:mod:`kttc.center.matching`), listings past their close are
closed (M8.5, :mod:`kttc.center.listings.sweep`), pre-examination requests due soon and overdue
are told of (M11.1, :mod:`kttc.center.ip_services.sweep`), as are IP protection cases' steps
(M11.2, :mod:`kttc.center.ip_protection.sweep`), innovation vouchers past
their day expire (M12.2, :mod:`kttc.center.vouchers.sweep`), the search index's outbox keeps
``KTTC_INDEX_OUTBOX_DAYS`` of changes (:func:`kttc.registry.outbox.prune`), stored embeddings of
an encoder no longer used go (:func:`kttc.center.search.shared.prune`), then each
person hears of what is new for their saved searches and followed fields (M8.2, M8.3,
:mod:`kttc.center.alerts.sweep`)."""

from __future__ import annotations

from datetime import date

from kttc.center.alerts import sweep as alerts_sweep
from kttc.center.demands import sweep as demands_sweep
from kttc.center.finance import sweep as finance_sweep
from kttc.center.ip_protection import sweep as ip_protection_sweep
from kttc.center.ip_services import sweep as ip_services_sweep
from kttc.center.listings import sweep as listings_sweep
from kttc.center.matching import services as matching
from kttc.center.search import shared as shared_vectors
from kttc.center.vouchers import sweep as vouchers_sweep
from kttc.registry import outbox


def run(today: date) -> dict[str, int]:
    """M8.1-M8.3: each mechanism's sweep, its counts side by side."""
    counts = demands_sweep.run(today)
    # Every open demand searched again: what a missed trigger left out is found the same day.
    counts["demands_matched"] = matching.refresh_open()
    counts.update(listings_sweep.run(today))
    counts.update(ip_services_sweep.run(today))
    counts.update(finance_sweep.run(today))
    counts.update(vouchers_sweep.run(today))
    counts.update(ip_protection_sweep.run(today))
    # The search index's outbox keeps a week of changes for the nodes that follow it.
    counts["index_outbox_pruned"] = outbox.prune()
    # Stored embeddings of an encoder or passage version no longer used (after an upgrade).
    counts["stored_vectors_pruned"] = shared_vectors.prune()
    return {**counts, **alerts_sweep.run(today)}
