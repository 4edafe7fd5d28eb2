"""Self-registration of an organisation and its first person, the confirmation of their
e-mail, the center's verification (or rejection), the check that an organisation is verified
before it acts on the market, and invitations of colleagues.

Signing up never says whether an e-mail or an organisation is known: :func:`sign_up` returns
what happened, and the page shows the same "check your e-mail" whatever it was (the mail goes
to the new person, or to the existing owner instead)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Final

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from kttc.core import countries
from kttc.core.accounts import notices, tokens
from kttc.core.errors import AccessDenied
from kttc.core.models import CHINA, Invitation, Membership, Organisation, User
from kttc.core.selectors import user_can
from kttc.core.services import (
    ORGANISATION_FIELDS,
    audit_record,
    decision,
    membership_grant,
    model_snapshot,
    require_capability,
)
from kttc.policy import partners as partner_rules
from kttc.policy import roles as policy_roles
from kttc.policy.errors import refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.identifiers import validate_uscc

OrganisationKind = policy_roles.OrganisationKind
Role = policy_roles.Role

#: The kinds of organisation that may register themselves, each with its first person's role.
#: Municipal units (M1.1) are never self-declared: the bureau registers them or marks them so.
SELF_REGISTERING_KINDS: Final[dict[OrganisationKind, Role]] = {
    OrganisationKind.ENTERPRISE: Role.ENTERPRISE,
    OrganisationKind.SERVICE_INSTITUTION: Role.SERVICE_BROKER,
    OrganisationKind.UNIVERSITY: Role.TRANSFER_OFFICE,
    OrganisationKind.RESEARCH_INSTITUTE: Role.TRANSFER_OFFICE,
    # M8.4: a partner abroad (its type and agreement are recorded by the center afterwards).
    OrganisationKind.PARTNER_ABROAD: Role.PARTNER,
}

#: A national registration number: letters, digits and the separators registers use.
_REGISTRATION_NUMBER = re.compile(r"^[0-9A-Z][0-9A-Z ./\-]{0,62}[0-9A-Z]$|^[0-9A-Z]$")


class Outcome(StrEnum):
    CREATED = "created"
    EMAIL_TAKEN = "email_taken"
    ORGANISATION_TAKEN = "organisation_taken"


@dataclass(frozen=True)
class SignUpResult:
    """What :func:`sign_up` did: ``user`` is the new person (created) or the existing owner of
    the e-mail; ``organisation`` the new one or the one already registered."""

    outcome: Outcome
    user: User | None
    organisation: Organisation | None


# --- identity ------------------------------------------------------------------------------


def registration_number_clean(text: str) -> str:
    """A national registration number as stored: full-width folded, upper case, inner spaces
    kept single; refuses what no register writes."""
    folded = " ".join(unicodedata.normalize("NFKC", text).split()).upper()
    if not folded:
        raise refuse(
            gettext_noop(
                "An organisation registered outside the Chinese mainland gives its number in its "
                "country's register of companies or institutions."
            ),
            "required",
            "registration_number",
        )
    if not _REGISTRATION_NUMBER.match(folded):
        raise refuse(
            gettext_noop(
                "A registration number has at most 64 letters and digits, with spaces, points, "
                "dashes or slashes between them."
            ),
            "organisation.registration_number",
            "registration_number",
        )
    return folded


def organisation_identity(
    country: str, credit_code: str, registration_number: str
) -> tuple[str, str, str]:
    """(country, credit code, registration number) as stored: an organisation of the Chinese
    mainland by its checked unified social credit code (GB 32100-2015), any other by its
    country (ISO 3166-1 alpha-2) and its national registration number."""
    code = country.strip().upper()
    if not countries.is_country(code):
        raise refuse(
            gettext_noop("Choose the country or region where the organisation is registered."),
            "organisation.country",
            "country",
        )
    if code == CHINA:
        return CHINA, validate_uscc(credit_code), ""
    return code, "", registration_number_clean(registration_number)


def organisation_with_identity(
    country: str, credit_code: str, registration_number: str
) -> Organisation | None:
    if country == CHINA:
        return Organisation.objects.filter(credit_code=credit_code).first()
    return Organisation.objects.filter(
        country=country, registration_number=registration_number
    ).first()


# --- signing up ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SignUp:
    """What the sign-up form gives."""

    name: str
    name_en: str
    kind: str
    country: str
    credit_code: str
    registration_number: str
    full_name: str
    email: str
    password: str
    language: str
    contact_phone: str = ""
    website: str = ""


def _first_role(kind: str) -> Role:
    try:
        return SELF_REGISTERING_KINDS[OrganisationKind(kind)]
    except (KeyError, ValueError):
        raise refuse(
            gettext_noop(
                "An enterprise, a transfer service institution, a university or a research "
                "institute may register itself; other kinds are registered by the center."
            ),
            "organisation.kind",
            "kind",
        ) from None


@decision
def sign_up(form: SignUp) -> SignUpResult:
    """Register an unverified organisation and its first person, inactive until they confirm
    their e-mail. An e-mail or an organisation already known creates nothing: the result says
    which, so the page can mail the existing owner instead (and show the same answer)."""
    role = _first_role(form.kind)
    country, code, number = organisation_identity(
        form.country, form.credit_code, form.registration_number
    )
    if form.kind == OrganisationKind.PARTNER_ABROAD:
        partner_rules.check_abroad(country)
    email = User.objects.normalize_email(form.email).lower()
    existing_user = User.objects.filter(email__iexact=email).first()
    if existing_user is not None:
        return SignUpResult(Outcome.EMAIL_TAKEN, existing_user, None)
    existing = organisation_with_identity(country, code, number)
    if existing is not None:
        return SignUpResult(Outcome.ORGANISATION_TAKEN, None, existing)
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                name=form.name.strip(),
                name_en=form.name_en.strip(),
                kind=form.kind,
                country=country,
                credit_code=code,
                registration_number=number,
                contact_email=email,
                contact_phone=form.contact_phone.strip(),
                website=form.website.strip(),
            )
            user = User.objects.create_user(
                email,
                form.password,
                full_name=form.full_name.strip(),
                preferred_language=form.language,
                is_active=False,
            )
    except IntegrityError:  # registered at the same moment by someone else
        again = organisation_with_identity(country, code, number)
        if again is not None:
            return SignUpResult(Outcome.ORGANISATION_TAKEN, None, again)
        return SignUpResult(Outcome.EMAIL_TAKEN, User.objects.filter(email=email).first(), None)
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    audit_record(
        actor=user,
        organisation=organisation,
        action="organisation.sign_up",
        obj=organisation,
        after={
            **model_snapshot(organisation, (*ORGANISATION_FIELDS, "country")),
            "registration_number": number,
            "first_person": user.pk,
            "role": membership.role,
        },
    )
    return SignUpResult(Outcome.CREATED, user, organisation)


@decision
def sign_up_confirm(user: User) -> bool:
    """The person proved their e-mail: they become active, and the reviewers hear of their
    organisation if it waits for verification. False when there was nothing to confirm."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active or user.last_login is not None:
        return False
    user.is_active = True
    user.save(update_fields=["is_active"])
    for membership in Membership.objects.filter(user=user, revoked_at__isnull=True).select_related(
        "organisation"
    ):
        organisation = membership.organisation
        audit_record(
            actor=user,
            organisation=organisation,
            action="user.confirm",
            obj=user,
            before={"is_active": False},
            after={"is_active": True},
        )
        if organisation.verified_at is None and organisation.rejected_at is None:
            notices.tell_reviewers(organisation)
    return True


# --- verification --------------------------------------------------------------------------


def require_verified(organisation: Organisation) -> None:
    """Refuse (PolicyError ``organisation.unverified``) unless the center verified
    ``organisation``: an unverified one may not apply for a licence, bid or post a demand."""
    if organisation.verified_at is None:
        raise refuse(
            gettext_noop(
                "%(name)s is not verified yet: the center checks an organisation's identity "
                "before it may apply for a licence, bid or post a demand."
            ),
            "organisation.unverified",
            "organisation",
            name=organisation.name,
        )


def verification_queue() -> QuerySet[Organisation]:
    """Organisations waiting for the center: unverified, not rejected, with a confirmed person
    (sign-ups never confirmed do not wait for anyone) or referred by a verified partner abroad
    (M8.4: the partner vouches for it), oldest first."""
    confirmed = Membership.objects.filter(
        organisation=OuterRef("pk"), revoked_at__isnull=True, user__is_active=True
    )
    return (
        Organisation.objects.filter(verified_at__isnull=True, rejected_at__isnull=True)
        .filter(Exists(confirmed) | Q(referred_by__verified_at__isnull=False))
        .select_related("referred_by")
        .order_by("created_at", "pk")
    )


@decision
def organisation_reject(*, actor: User, organisation: Organisation, reason: str) -> Organisation:
    """The center declines to verify ``organisation``, saying why; its people hear of it at
    once. Verifying it later (:func:`kttc.core.services.organisation_verify`) clears this."""
    require_capability(actor, policy_roles.Capability.VERIFY_ORGANISATIONS_ALL)
    text = reason.strip()
    if not text:
        raise refuse(
            gettext_noop("Say why the organisation cannot be verified."), "required", "reason"
        )
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.verified_at is not None:
        raise refuse(
            gettext_noop("%(name)s is verified already."),
            "organisation.verified",
            None,
            name=organisation.name,
        )
    before = model_snapshot(organisation, ("rejected_at", "rejection_reason"))
    organisation.rejected_at = timezone.now()
    organisation.rejection_reason = text
    organisation.save(update_fields=["rejected_at", "rejection_reason"])
    audit_record(
        actor=actor,
        organisation=organisation,
        action="organisation.reject",
        obj=organisation,
        before=before,
        after=model_snapshot(organisation, ("rejected_at", "rejection_reason")),
    )
    notices.tell_organisation(
        organisation,
        notices.REJECTED,
        f"organisation.rejected:{organisation.pk}:{organisation.rejected_at.isoformat()}",
        reason=text,
    )
    return organisation


# --- invitations ---------------------------------------------------------------------------


def invitable_organisations(user: User) -> QuerySet[Organisation]:
    """The verified organisations whose members ``user`` manages (here, not across all)."""
    roles = [
        r.value for r in Role if policy_roles.role_can(r, policy_roles.Capability.MANAGE_MEMBERS)
    ]
    ids = Membership.objects.filter(
        user=user, revoked_at__isnull=True, role__in=roles, user__is_active=True
    ).values("organisation_id")
    return Organisation.objects.filter(pk__in=ids, verified_at__isnull=False)


def invitation_roles(organisation: Organisation) -> list[Role]:
    """The roles an invitation into ``organisation`` may carry: those its kind allows, as a
    grant today, except the bureau's and the auditor's (granted by the bureau only)."""
    kind = OrganisationKind(organisation.kind)
    return [
        r
        for r in Role
        if policy_roles.role_allowed_in(r, kind) and r not in (Role.BUREAU, Role.AUDITOR)
    ]


def pending_invitations(organisation: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        organisation=organisation,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("invited_by")


@decision
def invitation_create(
    *, actor: User, organisation: Organisation, email: str, role: str
) -> Invitation:
    """A person who manages the members of their verified organisation invites a colleague by
    e-mail with a role its kind allows (the one an accepted invitation grants)."""
    if not invitable_organisations(actor).filter(pk=organisation.pk).exists():
        require_verified(organisation)
        raise AccessDenied()
    if role not in {r.value for r in invitation_roles(organisation)}:
        raise refuse(
            gettext_noop("The role %(role)s cannot be held in an organisation of this kind."),
            "membership.role_kind",
            "role",
            role=role,
        )
    address = User.objects.normalize_email(email).lower()
    if Membership.objects.filter(
        organisation=organisation, user__email__iexact=address, role=role, revoked_at__isnull=True
    ).exists():
        raise refuse(
            gettext_noop("This person already holds this role here."),
            "membership.duplicate",
            "email",
        )
    now = timezone.now()
    # A new invitation replaces a pending one for the same address and role.
    Invitation.objects.filter(
        organisation=organisation,
        email=address,
        role=role,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=now)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=address,
        role=role,
        invited_by=actor,
        created_at=now,
        expires_at=now + timedelta(days=tokens.INVITATION_DAYS),
    )
    audit_record(
        actor=actor,
        organisation=organisation,
        action="invitation.create",
        obj=invitation,
        after=model_snapshot(invitation, ("email", "role", "expires_at")),
    )
    return invitation


@decision
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitable_organisations(actor).filter(pk=invitation.organisation_id).exists():
        raise AccessDenied()
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        return invitation
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        organisation=invitation.organisation,
        action="invitation.revoke",
        obj=invitation,
        before={"revoked_at": None},
        after=model_snapshot(invitation, ("revoked_at",)),
    )
    return invitation


def _invitation_open(invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.pending():
        raise refuse(
            gettext_noop(
                "This invitation was used, withdrawn or has expired; ask your colleague for a "
                "new one."
            ),
            "invitation.closed",
            None,
        )
    return invitation


@decision
def invitation_accept(
    *,
    invitation: Invitation,
    user: User | None = None,
    full_name: str = "",
    password: str = "",
    language: str = "zh-hans",
) -> Membership:
    """The colleague takes the invitation: a signed-in ``user`` (its e-mail the invitation's)
    gets the role; otherwise a new person with the invitation's e-mail (proved by the link)
    is created, active. The role is granted as by the inviter, who must still be allowed to."""
    invitation = _invitation_open(invitation)
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise refuse(
                gettext_noop("A person with this e-mail exists: sign in to accept."),
                "invitation.sign_in",
                "email",
            )
        user = User.objects.create_user(
            invitation.email, password, full_name=full_name.strip(), preferred_language=language
        )
    elif user.email.lower() != invitation.email.lower():
        raise AccessDenied(
            gettext_noop("This invitation is for another e-mail address."),
            code="invitation.other_person",
        )
    try:
        if _first_person_of_referral(invitation):
            membership = _grant_first_person(invitation, user)
        else:
            membership = membership_grant(
                actor=invitation.invited_by,
                organisation=invitation.organisation,
                user=user,
                role=invitation.role,
            )
    except AccessDenied:
        raise refuse(
            gettext_noop(
                "The colleague who invited you may no longer add members; ask for a new invitation."
            ),
            "invitation.inviter",
            None,
        ) from None
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        actor=user,
        organisation=invitation.organisation,
        action="invitation.accept",
        obj=invitation,
        after=model_snapshot(invitation, ("accepted_at", "accepted_by")),
    )
    return membership


# --- referrals by partners abroad (M8.4) ------------------------------------------------------


@dataclass(frozen=True)
class Referral:
    """An enterprise of the partner's country, as the partner's staff give it."""

    name: str
    name_en: str
    registration_number: str
    email: str  # its first person, invited to join it


def _partner_may_refer(actor: User, partner: Organisation) -> None:
    require_capability(actor, policy_roles.Capability.REFER_ENTERPRISES, partner)
    require_verified(partner)


@decision
def organisation_refer(*, actor: User, partner: Organisation, referral: Referral) -> Invitation:
    """M8.4: a partner abroad registers an enterprise of its own country and refers it to the
    center: the enterprise waits in the verification queue (marked as referred by the partner)
    and its first person is invited by e-mail to join it. Returns that invitation (the page
    mails it). An enterprise registered already is not registered twice."""
    _partner_may_refer(actor, partner)
    country = partner_rules.check_referral_country(partner.country, partner.country)
    number = registration_number_clean(referral.registration_number)
    name = referral.name.strip()
    if not name:
        raise refuse(gettext_noop("The name is required."), "required", "name")
    if organisation_with_identity(country, "", number) is not None:
        raise refuse(
            gettext_noop(
                "An organisation with this registration number is registered already; ask it to "
                "agree that you post its demands."
            ),
            "partner.referral_known",
            "registration_number",
            partner_rules.CLAUSES,
        )
    email = User.objects.normalize_email(referral.email).lower()
    enterprise = Organisation.objects.create(
        name=name,
        name_en=referral.name_en.strip(),
        kind=OrganisationKind.ENTERPRISE,
        country=country,
        registration_number=number,
        contact_email=email,
        referred_by=partner,
        referred_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        organisation=partner,
        action="organisation.refer",
        obj=enterprise,
        after={
            **model_snapshot(enterprise, (*ORGANISATION_FIELDS, "country")),
            "registration_number": number,
            "referred_by": partner.pk,
            "invited": email,
        },
        clauses=partner_rules.CLAUSES,
    )
    now = timezone.now()
    invitation = Invitation.objects.create(
        organisation=enterprise,
        email=email,
        role=Role.ENTERPRISE.value,
        invited_by=actor,
        created_at=now,
        expires_at=now + timedelta(days=tokens.INVITATION_DAYS),
    )
    notices.tell_reviewers(enterprise)
    return invitation


def _first_person_of_referral(invitation: Invitation) -> bool:
    """Whether ``invitation`` brings the first person into an enterprise that its inviter's
    partner referred (no one of the enterprise can grant a role yet: the partner does, once)."""
    organisation = invitation.organisation
    return (
        organisation.referred_by_id is not None
        and invitation.role == Role.ENTERPRISE.value
        and user_can(
            invitation.invited_by,
            policy_roles.Capability.REFER_ENTERPRISES,
            organisation.referred_by,
        )
        and not Membership.objects.filter(
            organisation=organisation, revoked_at__isnull=True
        ).exists()
    )


def _grant_first_person(invitation: Invitation, user: User) -> Membership:
    membership = Membership.objects.create(
        user=user, organisation=invitation.organisation, role=invitation.role
    )
    audit_record(
        actor=invitation.invited_by,
        organisation=invitation.organisation,
        action="membership.grant",
        obj=membership,
        after={
            **model_snapshot(membership, ("user", "organisation", "role")),
            "referred_by": invitation.organisation.referred_by_id,
        },
        clauses=partner_rules.CLAUSES,
    )
    return membership


def may_verify(user: User) -> bool:
    return user.is_superuser or user_can(user, policy_roles.Capability.VERIFY_ORGANISATIONS_ALL)
