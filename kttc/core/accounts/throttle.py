"""Signing up is throttled like signing in: a few attempts per address and per e-mail in a
window, counted in Django's cache (each process's memory unless the deployment configures a
shared cache). Over the limit the page answers 429 and says when to try again."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

#: Sign-ups allowed per client address, and per e-mail, in one window.
PER_ADDRESS = 10
PER_EMAIL = 3
#: The window (seconds).
WINDOW = 3600


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode("utf-8")).hexdigest()[:32]
    return f"kttc.signup.{kind}.{digest}"


def _over(key: str, limit: int, window: int) -> bool:
    """Count one attempt under ``key``; whether it goes beyond ``limit``."""
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


def allowed(scope: str, address: str | None, email: str = "") -> bool:
    """Count one attempt of ``scope`` (``signup``, ``invite``) from ``address`` for ``email``;
    False once either is over its limit."""
    window = getattr(settings, "KTTC_SIGNUP_WINDOW", WINDOW)
    per_address = getattr(settings, "KTTC_SIGNUP_PER_ADDRESS", PER_ADDRESS)
    per_email = getattr(settings, "KTTC_SIGNUP_PER_EMAIL", PER_EMAIL)
    over = _over(_key(f"{scope}.ip", address or "unknown"), per_address, window)
    if email:
        over = _over(_key(f"{scope}.email", email), per_email, window) or over
    return not over


def window_minutes() -> int:
    return max(1, getattr(settings, "KTTC_SIGNUP_WINDOW", WINDOW) // 60)
