"""Writes of the core. Every decision goes through :func:`audit_record`, inside the decision's
own transaction, so that a decision and its evidence are stored together or not at all (M14.1)."""

from __future__ import annotations

import functools
import json
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any, ParamSpec, TypeVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from kttc.core import bulk, integrity
from kttc.core.errors import AccessDenied
from kttc.core.models import ApiToken, AuditEntry, Membership, Organisation, PolicyVersion, User
from kttc.core.selectors import hashed_time, policy_version_records, user_can
from kttc.policy import calendar
from kttc.policy import params as policy_params
from kttc.policy import roles as policy_roles
from kttc.policy.errors import PolicyError
from kttc.policy.evidence import GENESIS_HASH, document_hash, entry_hash
from kttc.policy.i18n import gettext_noop
from kttc.policy.identifiers import validate_uscc

#: Key of the PostgreSQL advisory lock that serialises appends to the chain.
_AUDIT_LOCK_KEY = 0x4B545443  # "KTTC"

#: Set on the connection (one per thread) while a decision's transaction holds the chain lock.
_CHAIN_HELD = "kttc_chain_held"

_P = ParamSpec("_P")
_R = TypeVar("_R")


@contextmanager
def decision_transaction() -> Iterator[None]:
    """The transaction of a decision (DESIGN rule 9, M14.1): the audit chain's lock is taken
    first, before any row lock. Every decision appends to the chain, so decisions on one object
    then wait for each other at their start instead of deadlocking half-way: without it, one
    decision holding a row lock waits for the chain while another holding the chain waits, at
    commit, for the same row (its deferred foreign-key check needs a KEY SHARE lock on it).
    SQLite's IMMEDIATE transactions already take the database's write lock at their start."""
    with transaction.atomic():
        outermost = not getattr(connection, _CHAIN_HELD, False)
        if outermost:
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_AUDIT_LOCK_KEY])
            setattr(connection, _CHAIN_HELD, True)
        try:
            yield
        finally:
            if outermost:
                setattr(connection, _CHAIN_HELD, False)


def decision(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``func`` in a :func:`decision_transaction`: the decorator of every service that
    decides something and so writes to the audit chain (instead of ``transaction.atomic``)."""

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with decision_transaction():
            return func(*args, **kwargs)

    return wrapper


@dataclass(frozen=True)
class Document:
    """A document a decision rests on; only its name and hash enter the chain."""

    name: str
    content: bytes


def _jsonable(value: object) -> Any:
    """Normalise to what JSON round-trips unchanged (Decimal and dates become text)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


_JSON_SCALARS = (str, int, float, bool, type(None))


def _plain(value: Mapping[str, Any] | None) -> Any:
    """``value`` as JSON gives it back: as it is when it holds only scalars (the common case of
    a snapshot), through a round trip otherwise."""
    if value is None:
        return None
    if isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, _JSON_SCALARS) for k, v in value.items()
    ):
        return value
    return _jsonable(value)


def model_snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of ``instance`` (foreign keys by id), for an entry's before/after."""
    snapshot: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = field.attname if isinstance(field, models.Field) else name
        snapshot[name] = getattr(instance, attname)
    return _jsonable(snapshot)


def _policy_version_code(on: date) -> str:
    try:
        return policy_params.version_in_force(policy_version_records(), on).code
    except PolicyError:
        return ""


def audit_record(
    *,
    actor: User | None,
    organisation: Organisation | None,
    action: str,
    obj: models.Model,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    clauses: Sequence[str] = (),
    documents: Sequence[Document] = (),
    policy_version: str | None = None,
) -> AuditEntry:
    """M14.1: append one decision to the chain. Must run inside the decision's transaction."""
    chain = _Chain(actor, organisation, clauses, documents, policy_version)
    entry = AuditEntry(**chain.next(Decision.about(action, obj, before, after)))
    entry.save(force_insert=True)
    return entry


@dataclass(frozen=True)
class Decision:
    """One decision of a batch for :func:`audit_record_many`: what was done to which object
    (its model label, id and name, as :meth:`about` takes them from a model instance)."""

    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None

    @classmethod
    def about(
        cls,
        action: str,
        obj: models.Model,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
    ) -> Decision:
        return cls(action, obj._meta.label_lower, str(obj.pk), str(obj)[:300], before, after)


def audit_record_many(
    *,
    actor: User | None,
    organisation: Organisation | None,
    decisions: Sequence[Decision],
    clauses: Sequence[str] = (),
    documents: Sequence[Document] = (),
    policy_version: str | None = None,
    batch_size: int = 2000,
) -> list[tuple[int, str]]:
    """M14.1: append one entry per decision, in order, by one actor for one organisation (a bulk
    import, say): the same entries as one :func:`audit_record` each, written in batches. Must
    run inside the decisions' transaction. Returns each entry's (seq, hash)."""
    if not decisions:
        return []
    chain = _Chain(actor, organisation, clauses, documents, policy_version)
    names = [f.attname for f in AuditEntry._meta.concrete_fields]
    rows = [chain.next(decision) for decision in decisions]
    bulk.insert_rows(
        AuditEntry, names, ([r[n] for n in names] for r in rows), batch_size=batch_size
    )
    return [(r["seq"], r["hash"]) for r in rows]


class _Chain:
    """The next entries of the chain, by one actor for one organisation, inside a decision's
    transaction (which holds the chain's lock); reads the chain's end once."""

    def __init__(
        self,
        actor: User | None,
        organisation: Organisation | None,
        clauses: Sequence[str],
        documents: Sequence[Document],
        policy_version: str | None,
    ) -> None:
        if not (connection.in_atomic_block and getattr(connection, _CHAIN_HELD, False)):
            # A chain lock taken only here, after the decision's row locks, deadlocks (rule 9).
            raise RuntimeError(
                "audit_record must run inside the transaction of its decision, opened by "
                "@decision or decision_transaction() so that the chain is locked before any row"
            )
        last = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
        self.seq: int
        self.previous_hash: str
        self.seq, self.previous_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
        self.now = timezone.now()
        self.hashed_now = hashed_time(self.now)
        # The evidence rows the decision created so far: the first entry records their hashes.
        self.evidence = integrity.take_pending_evidence()
        self.common = {
            "actor_id": actor.pk if actor else None,
            "actor_label": str(actor) if actor else "system",
            "organisation_id": organisation.pk if organisation else None,
            "organisation_label": str(organisation) if organisation else "",
            "clauses": list(clauses),
            "policy_version": (
                policy_version
                if policy_version is not None
                else _policy_version_code(calendar.today_in_shanghai())
            ),
            "documents": [{"name": d.name, "sha256": document_hash(d.content)} for d in documents],
        }

    def next(self, decision: Decision) -> dict[str, Any]:
        """The next entry's values by attribute name; its hash covers the fields of
        :func:`kttc.core.selectors.audit_fields`."""
        fields: dict[str, Any] = {
            "seq": self.seq,
            "created_at": self.hashed_now,
            **self.common,
            "action": decision.action,
            "object_type": decision.object_type,
            "object_id": decision.object_id,
            "object_repr": decision.object_repr,
            "before": _plain(decision.before),
            "after": _plain(decision.after),
        }
        evidence, self.evidence = self.evidence, []
        if evidence:  # an entry without evidence rows is hashed as entries always were
            fields["evidence"] = evidence
        digest = entry_hash(self.previous_hash, fields)
        values = {
            **fields,
            "evidence": evidence,
            "created_at": self.now,
            "previous_hash": self.previous_hash,
        }
        values["hash"] = self.previous_hash = digest
        self.seq += 1
        return values


@decision
def evidence_baseline_record() -> int:
    """M14.1: seal the evidence rows that no audit entry records (rows stored before entries
    recorded content hashes) with one entry of the system recording each row's hash as it is
    now, so that verify holds them to it from then on. The entry is in the chain like any
    other: a row sealed this way is visible as such. Returns the rows sealed."""
    rows = integrity.unrecorded_evidence()
    if not rows:
        return 0
    integrity.evidence_noted(rows)
    audit_record_many(
        actor=None,
        organisation=None,
        decisions=[
            Decision(
                "evidence.baseline",
                "core.auditentry",
                "",
                "evidence rows stored before their entries recorded content hashes",
                after={"rows": len(rows)},
            )
        ],
        clauses=("M14.1",),
    )
    return len(rows)


def require_capability(
    actor: User, capability: policy_roles.Capability, organisation: Organisation | None = None
) -> None:
    """Refuse (AccessDenied) unless ``actor`` holds ``capability`` for ``organisation``."""
    if actor.is_superuser:
        return
    if not user_can(actor, capability, organisation):
        raise AccessDenied()


# --- organisations -------------------------------------------------------------------------

#: What an organisation's record holds that people may correct.
ORGANISATION_EDITABLE_FIELDS = (
    "name",
    "name_en",
    "kind",
    "is_municipal",
    "credit_code",
    "region",
    "website",
    "description",
)
ORGANISATION_FIELDS = (*ORGANISATION_EDITABLE_FIELDS[:-1], "verified_at")


def _check_credit_code_free(code: str, *, exclude_pk: int | None = None) -> None:
    clash = Organisation.objects.filter(credit_code=code)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise PolicyError(
            gettext_noop("An organisation with the credit code %(code)s is already registered."),
            code="organisation.duplicate",
            field="credit_code",
            params={"code": code},
        )


@decision
def organisation_register(
    *,
    actor: User,
    name: str,
    kind: str,
    credit_code: str,
    is_municipal: bool = False,
    name_en: str = "",
    region: str = "",
    website: str = "",
    description: str = "",
) -> Organisation:
    """Register an organisation under its checked unified social credit code (GB 32100-2015)."""
    require_capability(actor, policy_roles.Capability.VERIFY_ORGANISATIONS_ALL)
    code = validate_uscc(credit_code)
    if kind not in policy_roles.OrganisationKind._value2member_map_:
        raise PolicyError(
            gettext_noop("Unknown kind of organisation: %(kind)s."),
            code="organisation.kind",
            field="kind",
            params={"kind": kind},
        )
    if not name.strip():
        raise PolicyError(gettext_noop("The name is required."), code="required", field="name")
    _check_credit_code_free(code)
    organisation = Organisation.objects.create(
        name=name.strip(),
        name_en=name_en.strip(),
        kind=kind,
        credit_code=code,
        is_municipal=is_municipal,
        region=region,
        website=website,
        description=description,
    )
    audit_record(
        actor=actor,
        organisation=organisation,
        action="organisation.register",
        obj=organisation,
        after=model_snapshot(organisation, ORGANISATION_FIELDS),
        clauses=("M1.1",) if organisation.is_reform_unit else (),
    )
    return organisation


@decision
def organisation_update(*, actor: User, organisation: Organisation, **changes: Any) -> Organisation:
    """Correct an organisation's record (operators and the bureau); the change is audited."""
    require_capability(actor, policy_roles.Capability.VERIFY_ORGANISATIONS_ALL)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    unknown = set(changes) - set(ORGANISATION_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    if "credit_code" in changes:
        changes["credit_code"] = validate_uscc(changes["credit_code"])
        _check_credit_code_free(changes["credit_code"], exclude_pk=organisation.pk)
    before = model_snapshot(organisation, changes)
    for name, value in changes.items():
        setattr(organisation, name, value)
    organisation.save(update_fields=list(changes))
    audit_record(
        actor=actor,
        organisation=organisation,
        action="organisation.update",
        obj=organisation,
        before=before,
        after=model_snapshot(organisation, changes),
    )
    return organisation


@decision
def organisation_verify(*, actor: User, organisation: Organisation) -> Organisation:
    """The bureau confirms an organisation's identity (clearing a rejection); only verified ones
    appear publicly and act on the market."""
    require_capability(actor, policy_roles.Capability.VERIFY_ORGANISATIONS_ALL)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.verified_at is not None:
        return organisation
    fields = ("verified_at", "rejected_at", "rejection_reason")
    before = model_snapshot(organisation, fields)
    organisation.verified_at, organisation.rejected_at = timezone.now(), None
    organisation.rejection_reason = ""
    organisation.save(update_fields=fields)
    audit_record(
        actor=actor,
        organisation=organisation,
        action="organisation.verify",
        obj=organisation,
        before=before,
        after=model_snapshot(organisation, fields),
    )
    from kttc.core.accounts import notices  # its people hear of it at once (DESIGN rule 12)

    notices.tell_organisation(
        organisation, notices.VERIFIED, f"organisation.verified:{organisation.pk}"
    )
    return organisation


# --- memberships ---------------------------------------------------------------------------


@decision
def membership_grant(
    *, actor: User, organisation: Organisation, user: User, role: str
) -> Membership:
    """Give ``user`` a role in ``organisation``; the role must fit the organisation's kind."""
    require_capability(actor, policy_roles.Capability.MANAGE_MEMBERS, organisation)
    try:
        policy_role = policy_roles.Role(role)
    except ValueError:
        raise PolicyError(
            gettext_noop("Unknown role: %(role)s."),
            code="membership.role",
            field="role",
            params={"role": role},
        ) from None
    if not policy_roles.role_allowed_in(
        policy_role, policy_roles.OrganisationKind(organisation.kind)
    ):
        raise PolicyError(
            gettext_noop("The role %(role)s cannot be held in an organisation of this kind."),
            code="membership.role_kind",
            field="role",
            params={"role": role},
        )
    try:
        with transaction.atomic():
            membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    except IntegrityError:
        raise PolicyError(
            gettext_noop("This person already holds this role here."),
            code="membership.duplicate",
            field="role",
        ) from None
    audit_record(
        actor=actor,
        organisation=organisation,
        action="membership.grant",
        obj=membership,
        after=model_snapshot(membership, ("user", "organisation", "role")),
    )
    return membership


@decision
def membership_revoke(*, actor: User, membership: Membership) -> Membership:
    """End a membership; the row stays, with its time of revocation."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    require_capability(actor, policy_roles.Capability.MANAGE_MEMBERS, membership.organisation)
    if membership.revoked_at is not None:
        return membership
    membership.revoked_at = timezone.now()
    membership.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        organisation=membership.organisation,
        action="membership.revoke",
        obj=membership,
        before={"revoked_at": None},
        after=model_snapshot(membership, ("revoked_at",)),
    )
    return membership


# --- policy versions -----------------------------------------------------------------------


@decision
def policy_version_publish(
    *,
    actor: User,
    code: str,
    title: str,
    effective_from: date,
    values: Mapping[str, str],
    effective_until: date | None = None,
    source: str = "",
    today: date | None = None,
) -> PolicyVersion:
    """V.1: publish a new version of the parameters, from today or later, never rewriting one in
    force. The entry cites the clauses whose numbers changed."""
    require_capability(actor, policy_roles.Capability.PUBLISH_POLICY_ALL)
    parameters = policy_params.PolicyParameters.from_values(values)
    new = policy_params.PolicyVersion(code, effective_from, effective_until, parameters)
    existing = policy_version_records()
    policy_params.check_new_version(existing, new, today=today or calendar.today_in_shanghai())
    version = PolicyVersion.objects.create(
        code=code,
        title=title,
        source=source,
        effective_from=effective_from,
        effective_until=effective_until,
        values=parameters.to_values(),
        published_by=actor,
    )
    previous = (
        max(existing, key=lambda v: v.effective_from).parameters.to_values() if existing else {}
    )
    changed = [k for k, v in version.values.items() if previous.get(k) != v]
    clauses = ["V.1", *[c for k in changed for c in policy_params.SPEC_BY_KEY[k].clauses]]
    audit_record(
        actor=actor,
        organisation=None,
        action="policy.version_publish",
        obj=version,
        before=previous or None,
        after={
            "effective_from": effective_from,
            "effective_until": effective_until,
            "values": version.values,
        },
        clauses=list(dict.fromkeys(clauses)),
        policy_version=code,
    )
    return version


@decision
def policy_version_withdraw(
    *, actor: User, version: PolicyVersion, today: date | None = None
) -> None:
    """V.1: a version that has not yet taken effect may be withdrawn; one in force never."""
    require_capability(actor, policy_roles.Capability.PUBLISH_POLICY_ALL)
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    if version.effective_from <= (today or calendar.today_in_shanghai()):
        raise PolicyError(
            gettext_noop("Version %(code)s is already in force and cannot be withdrawn."),
            code="policy.version_in_force",
            clauses=("V.1",),
            params={"code": version.code},
        )
    audit_record(
        actor=actor,
        organisation=None,
        action="policy.version_withdraw",
        obj=version,
        before={"effective_from": version.effective_from, "values": version.values},
        clauses=("V.1",),
        policy_version=version.code,
    )
    version.delete()


# --- API tokens ----------------------------------------------------------------------------

TOKEN_PREFIX = "kttc_"  # noqa: S105 — a marker, not a secret


def token_digest(key: str) -> str:
    return document_hash(key.encode("utf-8"))


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for a machine client; the clear key is returned once and never stored."""
    if not name.strip():
        raise PolicyError(gettext_noop("The name is required."), code="required", field="name")
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100], prefix=key[:12], key_hash=token_digest(key)
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != user.pk:
        raise AccessDenied()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
