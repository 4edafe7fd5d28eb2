"""API of "use first, pay later" licences (M3) and the transaction page (M8.5)."""

from ninja import Router

router = Router(tags=["licences"])
