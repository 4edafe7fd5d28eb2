"""What self-registration and verification tell people at once (DESIGN rule 12): the center's
reviewers of an organisation registered (its e-mail confirmed), the organisation's people of its
verification or rejection (with the reason). The e-mails of signing up itself (the confirmation
link, the note to an existing owner, an invitation) are mails, not notices: they go to an
address, not yet to a person of the platform."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kttc.core.models import Organisation
from kttc.core.notifications.kinds import register_kind
from kttc.core.notifications.services import Notice, notification_send_now
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability, Role, role_can

REGISTERED = Notice(
    kind="organisation.registered",
    subject=gettext_noop("Organisation waiting for verification: %(name)s"),
    body=gettext_noop(
        "%(name)s (%(identifier)s) registered on the platform and its first person confirmed "
        "their e-mail. Check its identity and verify it, or reject it saying why."
    ),
)
VERIFIED = Notice(
    kind="organisation.verified",
    subject=gettext_noop("Your organisation is verified: %(name)s"),
    body=gettext_noop(
        "The center verified %(name)s. It now shows as verified and may apply for licences, "
        "answer and post demands, and invite colleagues."
    ),
)
REJECTED = Notice(
    kind="organisation.rejected",
    subject=gettext_noop("Your organisation was not verified: %(name)s"),
    body=gettext_noop(
        "The center could not verify %(name)s. The reason given: %(reason)s. Reply to the center "
        "with what it asks for; it can verify the organisation later."
    ),
)

register_kind(REGISTERED.kind, _("An organisation waits for verification"), mandatory=True)
register_kind(VERIFIED.kind, _("Your organisation is verified"), mandatory=True)
register_kind(REJECTED.kind, _("Your organisation was not verified"), mandatory=True)


def _roles(capability: Capability | None = None) -> tuple[str, ...]:
    return tuple(r.value for r in Role if capability is None or role_can(r, capability))


def tell_reviewers(organisation: Organisation) -> int:
    """The people who verify organisations hear of a new one, once."""
    return notification_send_now(
        roles=_roles(Capability.VERIFY_ORGANISATIONS_ALL),
        notice=replace(REGISTERED, params=_params(organisation)),
        dedupe_key=f"organisation.registered:{organisation.pk}",
        about=organisation,
        link=reverse("office:verification"),
    )


def tell_organisation(
    organisation: Organisation, notice: Notice, dedupe_key: str, **params: str
) -> int:
    """Every person of ``organisation`` hears of ``notice``, once per ``dedupe_key``."""
    return notification_send_now(
        roles=_roles(),
        notice=replace(notice, params={**_params(organisation), **params}),
        dedupe_key=dedupe_key,
        organisation=organisation,
        about=organisation,
        link=reverse("organisation_detail", args=[organisation.pk]),
    )


def _params(organisation: Organisation) -> dict[str, str]:
    return {"name": organisation.name, "identifier": organisation.identifier}


def send_mail_in(
    language: str, recipients: Sequence[str], template: str, context: dict[str, object]
) -> None:
    """One e-mail from ``template`` (``<template>_subject.txt`` and ``<template>.txt``) in
    ``language``, to each of ``recipients`` (each gets their own message)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    for recipient in recipients:
        send_mail(subject, body, None, [recipient], fail_silently=False)
