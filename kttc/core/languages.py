"""The reader's language, remembered: the language switch keeps the choice in a cookie (Django's
``set_language``) and, for a person signed in, as her preferred language, which also chooses
the language of her e-mails; on a device without the cookie, a signed-in person's pages open in
her preferred language."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, and the choice kept as the person's preferred language."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = getattr(request, "user", None)
    if (
        language in LANGUAGE_CODES
        and user is not None
        and user.is_authenticated
        and user.preferred_language != language
    ):
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return response


class PreferredLanguageMiddleware:
    """After authentication: a signed-in person without the language cookie (a new device, a
    cleared browser) who chose a language other than the default (on signing up or with the
    switch) reads her pages in it, and gets the cookie. Otherwise the browser's languages
    decide, as for everyone; the API always follows ``Accept-Language``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        chosen = None
        if (
            settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith("/api/")
            and user is not None
            and user.is_authenticated
            and user.preferred_language in LANGUAGE_CODES
            and user.preferred_language != settings.LANGUAGE_CODE
        ):
            chosen = user.preferred_language
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        if chosen is not None and settings.LANGUAGE_COOKIE_NAME not in response.cookies:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                chosen,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
