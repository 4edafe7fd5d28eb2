"""A short-lived cache of public pages for anonymous visitors (README "Production shape").

Pages whose content may lag a few seconds (the public catalog and a result's page: they are
already read from the replica and from a search index updated asynchronously) are kept in
Django's cache for ``KTTC_PAGE_CACHE_SECONDS`` (5 in production, 0, off, elsewhere): the
cache is Redis when ``KTTC_CACHE_URL`` is set, shared by every web node, or each process's own
memory otherwise.

What is never cached or served from the cache:
- a request carrying a session, a flash message or the read-your-writes cookie: a signed-in
  person (or one who has just written) always gets the page made for them;
- anything but GET and HEAD, and any answer but a 200 that sets no cookie of its own.

When a copy is out of date, the first request makes the page again while the others are still
answered the previous copy (for at most the time that one page takes to make), so the same page
is never made by many workers at once.

The key holds the scheme, host, path with its query, the active language, whether the request
came from htmx, and the visitor's other cookies (the chosen currency among them), the CSRF cookie
aside. The CSRF token in a cached page is replaced by the visitor's own on each answer (Django's
cookie comes with it), and so is the nonce of inline scripts, so a cached page works as a fresh
one. Django's middleware still adds its headers (Vary, the Content-Security-Policy) to every
answer.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from kttc.core.routing import PIN_COOKIE

logger = logging.getLogger(__name__)

VERSION = "2"
CSRF_SLOT = "\x00kttc-csrf\x00"
NONCE_SLOT = "\x00kttc-nonce\x00"
_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')

#: How long an out-of-date copy is kept to answer while one request makes the page again, and
#: how long that request has before another may try.
STALE_SECONDS = 60
REFRESH_SECONDS = 30

View = Callable[..., HttpResponse]
Entry = tuple[float, int, str, str]

#: The fresh copies this process answered last, so most answers need no trip to Redis: kept no
#: longer than the shared copy (the same time of making), at most NEAR_ENTRIES of them.
NEAR_ENTRIES = 256
_near: dict[str, Entry] = {}


def seconds() -> int:
    return int(getattr(settings, "KTTC_PAGE_CACHE_SECONDS", 0))


def _personal(request: HttpRequest) -> bool:
    """Whether the request may be someone's own: a session (signed in, or a form in progress),
    a flash message or the read-your-writes pin."""
    cookies = request.COOKIES
    return any(name in cookies for name in (settings.SESSION_COOKIE_NAME, "messages", PIN_COOKIE))


def _key(request: HttpRequest) -> str:
    others = sorted((k, v) for k, v in request.COOKIES.items() if k != settings.CSRF_COOKIE_NAME)
    parts = [
        request.scheme or "",
        request.get_host(),
        request.get_full_path(),
        get_language() or "",
        request.headers.get("HX-Request", ""),
        repr(others),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"kttc:page:{VERSION}:{digest}"


def _nonce(request: HttpRequest) -> Any:
    return getattr(request, "csp_nonce", None)


def _store(request: HttpRequest, response: HttpResponse, key: str) -> None:
    text = response.content.decode(response.charset or "utf-8")
    text = _CSRF_INPUT.sub(lambda m: f"{m.group(1)}{CSRF_SLOT}{m.group(2)}", text)
    nonce = _nonce(request)
    if nonce is not None and getattr(nonce, "value", None):
        text = text.replace(nonce.value, NONCE_SLOT)
    fresh_until = time.time() + seconds()
    entry = (fresh_until, response.status_code, response["Content-Type"], text)
    _keep_near(key, entry)
    try:
        cache.set(key, entry, seconds() + STALE_SECONDS)
        cache.delete(key + ":refresh")
    except Exception:  # the cache is down: the page was answered all the same
        logger.warning("The page cache cannot be written", exc_info=True)


def _answer(request: HttpRequest, stored: Entry, state: str) -> HttpResponse:
    _fresh_until, status, content_type, text = stored
    if CSRF_SLOT in text:
        text = text.replace(CSRF_SLOT, get_token(request))
    if NONCE_SLOT in text:
        text = text.replace(NONCE_SLOT, str(_nonce(request)))
    response = HttpResponse(text, content_type=content_type, status=status)
    response["X-Page-Cache"] = state
    return response


def _keep_near(key: str, entry: Entry) -> None:
    if len(_near) >= NEAR_ENTRIES:
        _near.clear()
    _near[key] = entry


def _forget(key: str) -> None:
    _near.pop(key, None)
    try:
        cache.delete_many([key, key + ":refresh"])
    except Exception:
        logger.warning("The page cache cannot be written", exc_info=True)


def _claim(key: str) -> bool:
    try:
        return bool(cache.add(key + ":refresh", 1, REFRESH_SECONDS))
    except Exception:
        return True


def anonymous_page_cache(view: View) -> View:
    """Serve ``view``'s page from the cache to anonymous visitors, for a few seconds."""

    @wraps(view)
    def cached(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if seconds() <= 0 or request.method not in ("GET", "HEAD") or _personal(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        near = _near.get(key)
        if near is not None and near[0] > time.time():
            return _answer(request, near, "hit")
        try:
            stored = cache.get(key)
        except Exception:  # the cache is down: the page is made as without it
            logger.warning("The page cache cannot be read", exc_info=True)
            return view(request, *args, **kwargs)
        if stored is not None:
            if stored[0] > time.time():
                _keep_near(key, stored)
                return _answer(request, stored, "hit")
            # Out of date: one request makes the page again; meanwhile the others are answered
            # the copy they would have got a moment ago (no stampede of the same page).
            if not _claim(key):
                return _answer(request, stored, "stale")
        try:
            response = view(request, *args, **kwargs)
        except Exception:
            if stored is not None:
                _forget(key)  # gone (404) or failing: the old copy is not answered again
            raise
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not (user is not None and user.is_authenticated)
            and not (session is not None and session.modified)
        ):
            _store(request, response, key)
        elif stored is not None:
            # The page is no longer what was kept (gone, moved, an error): drop the old copy.
            _forget(key)
        return response

    return cached
