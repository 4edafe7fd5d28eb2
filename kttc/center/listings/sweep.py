"""The listings' part of the sweep (M8.5): every listing whose close has passed is closed and
its result opened, once; a listing's page does the same on its first visit after the close."""

from __future__ import annotations

from datetime import date

from kttc.center.listings import services


def run(today: date) -> dict[str, int]:
    del today  # the close is a moment, not a day: every listing past it now
    return {"listings_closed": len(services.listings_close_due())}
