"""The signed links of signing up: the confirmation of a new person's e-mail and the
invitation of a colleague. Each is signed with the site's secret (``django.core.signing``) under
its own salt and expires; a forged, altered or expired link reads as None."""

from __future__ import annotations

from django.core import signing

from kttc.core.models import Invitation, User

#: How long a confirmation link stays valid (seconds): three days.
CONFIRMATION_MAX_AGE = 3 * 24 * 3600
#: How long an invitation stays open (days).
INVITATION_DAYS = 7

_CONFIRM_SALT = "kttc.accounts.confirm"
_INVITE_SALT = "kttc.accounts.invitation"


def confirmation_token(user: User) -> str:
    """The token of ``user``'s confirmation link: their id and e-mail, signed and timed."""
    return signing.dumps({"u": user.pk, "e": user.email}, salt=_CONFIRM_SALT, compress=True)


def confirmation_user(token: str, *, max_age: int = CONFIRMATION_MAX_AGE) -> User | None:
    """The person a valid, unexpired confirmation token names (their e-mail unchanged)."""
    try:
        data = signing.loads(token, salt=_CONFIRM_SALT, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return User.objects.filter(pk=data["u"], email=data.get("e")).first()


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "e": invitation.email}, salt=_INVITE_SALT)


def invitation_of(token: str) -> Invitation | None:
    """The invitation a validly signed token names (pending or not: the caller says which)."""
    try:
        data = signing.loads(token, salt=_INVITE_SALT, max_age=INVITATION_DAYS * 24 * 3600)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("i"), int):
        return None
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=data["i"], email=data.get("e"))
        .first()
    )
