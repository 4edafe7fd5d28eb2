"""API of time-limited transformation (M4.4)."""

from ninja import Router

router = Router(tags=["transformation"])
