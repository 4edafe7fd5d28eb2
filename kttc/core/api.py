"""The core's API operations: organisations, the person, policy parameters, the audit chain."""

from datetime import date, datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from kttc.core import selectors, services
from kttc.core.errors import AccessDenied
from kttc.core.models import ApiToken, Membership, Organisation, User
from kttc.core.parsing import ApiId, Pages
from kttc.core.text import Text
from kttc.core.web import acting_user
from kttc.policy import params as policy_params
from kttc.policy.errors import PolicyError
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import CAPABILITIES, Capability, Role

router = Router()


# --- authentication ------------------------------------------------------------------------


def user_for_token(key: str) -> User | None:
    """The active person behind an unrevoked token, marking the token as used."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=services.token_digest(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer kttc_…``"""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class TokenHeaderAuth(APIKeyHeader):
    """``X-API-Key: kttc_…``, for clients that cannot set a bearer header."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = user_for_token(key) if key else None
        if user is not None:
            request.user = user
        return user


AUTH = [TokenAuth(), TokenHeaderAuth(), django_auth]


# --- schemas -------------------------------------------------------------------------------


class OrganisationOut(Schema):
    id: int
    name: str
    name_en: str
    kind: str
    kind_label: str
    is_municipal: bool
    is_reform_unit: bool
    credit_code: str
    region: str
    website: str

    @staticmethod
    def resolve_kind_label(obj: Organisation) -> str:
        return str(obj.get_kind_display())


class MembershipOut(Schema):
    id: int
    organisation_id: int
    organisation: str = Field(..., alias="organisation.name")
    role: str
    role_label: str
    capabilities: list[str]

    @staticmethod
    def resolve_role_label(obj: Membership) -> str:
        return str(obj.get_role_display())

    @staticmethod
    def resolve_capabilities(obj: Membership) -> list[str]:
        return sorted(c.value for c in CAPABILITIES[Role(obj.role)])


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    preferred_language: str
    memberships: list[MembershipOut]


class ParameterOut(Schema):
    key: str
    title: str
    kind: str
    value: str
    clauses: list[str]


class ParametersOut(Schema):
    version: str
    effective_from: date
    effective_until: date | None
    on: date
    parameters: list[ParameterOut]


class PolicyVersionOut(Schema):
    code: str
    title: str
    source: str
    effective_from: date
    effective_until: date | None
    published_at: datetime
    values: dict[str, str]


class AuditEntryOut(Schema):
    seq: int
    created_at: datetime
    actor_label: str
    organisation_id: int | None
    organisation_label: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: dict[str, object] | None
    after: dict[str, object] | None
    clauses: list[str]
    policy_version: str
    documents: list[dict[str, str]]
    previous_hash: str
    hash: str


class ChainReportOut(Schema):
    intact: bool
    checked: int
    broken_at: int | None
    reason: str | None
    last_hash: str


class MembershipIn(Schema):
    user_email: Text
    role: Text


class OrganisationFilter(Schema):
    kind: str | None = None
    q: Text | None = None


class AuditFilter(Schema):
    action: str | None = None
    organisation_id: ApiId | None = None


# --- operations ----------------------------------------------------------------------------


@router.get("/organisations", response=list[OrganisationOut], auth=None, tags=["organisations"])
@paginate(Pages)
def organisation_list(request: HttpRequest, filters: Query[OrganisationFilter]):
    """Verified organisations, by name; filter by kind or a part of the name."""
    return selectors.organisations_public(kind=filters.kind, query=filters.q)


@router.get(
    "/organisations/{organisation_id}", response=OrganisationOut, auth=None, tags=["organisations"]
)
def organisation_detail(request: HttpRequest, organisation_id: int) -> Organisation:
    return get_object_or_404(selectors.organisations_public(), pk=organisation_id)


@router.post(
    "/organisations/{organisation_id}/memberships",
    response={201: MembershipOut},
    auth=AUTH,
    tags=["organisations"],
)
def membership_grant(request: HttpRequest, organisation_id: int, payload: MembershipIn):
    """Give a registered person a role in the organisation (transfer office or bureau)."""
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    person = User.objects.filter(email__iexact=payload.user_email.strip(), is_active=True).first()
    if person is None:
        raise PolicyError(
            gettext_noop("No active person has the e-mail %(email)s."),
            code="membership.user",
            field="user_email",
            params={"email": payload.user_email},
        )
    membership = services.membership_grant(
        actor=acting_user(request),
        organisation=organisation,
        user=person,
        role=payload.role,
    )
    return Status(201, membership)


@router.get("/me", response=MeOut, auth=AUTH, tags=["people"])
def me(request: HttpRequest) -> dict[str, object]:
    user: User = request.user  # type: ignore[assignment]
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "preferred_language": user.preferred_language,
        "memberships": list(selectors.active_memberships(user)),
    }


@router.get("/policy/parameters", response=ParametersOut, auth=None, tags=["policy"])
def policy_parameters(request: HttpRequest, on: date | None = None) -> dict[str, object]:
    """V.1: the parameters in force on a date (today in Asia/Shanghai by default)."""
    version = selectors.policy_version_in_force(on)
    values = version.parameters.to_values()
    day = on or timezone.localdate()
    return {
        "version": version.code,
        "effective_from": version.effective_from,
        "effective_until": version.effective_until,
        "on": day,
        "parameters": [
            {
                "key": s.key,
                "title": gettext(s.title),
                "kind": s.kind,
                "value": values[s.key],
                "clauses": list(s.clauses),
            }
            for s in policy_params.SPECS
        ],
    }


@router.get("/policy/versions", response=list[PolicyVersionOut], auth=None, tags=["policy"])
def policy_versions(request: HttpRequest):
    """V.1: every version with the period it is in force, the first one's from the day the
    measures took effect as this installation set it."""
    return selectors.policy_versions_listed()


@router.get("/audit/entries", response=list[AuditEntryOut], auth=AUTH, tags=["audit"])
@paginate(Pages)
def audit_entries(request: HttpRequest, filters: Query[AuditFilter]):
    """M14.1: the entries the caller may read, newest first."""
    entries = selectors.audit_entries_visible_to(request.user)  # type: ignore[arg-type]
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.organisation_id:
        entries = entries.filter(organisation_id=filters.organisation_id)
    return entries.order_by("-seq")


@router.get("/audit/verify", response=ChainReportOut, auth=AUTH, tags=["audit"])
def audit_verify(request: HttpRequest) -> dict[str, object]:
    """M14.1: walk the whole chain (bureau and auditors)."""
    user: User = request.user  # type: ignore[assignment]
    if not selectors.user_can(user, Capability.VERIFY_AUDIT_CHAIN_ALL):
        raise AccessDenied()
    report = selectors.audit_chain_verify()
    return {
        "intact": report.intact,
        "checked": report.checked,
        "broken_at": report.broken_at,
        "reason": report.reason,
        "last_hash": report.last_hash,
    }
