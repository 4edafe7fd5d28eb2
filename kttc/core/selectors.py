"""Reads of the core: the parameters in force, who may do what, what a person may see."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast

from kttc.core.deadlines import MembershipDeadlines
from kttc.core.integrity import HeadClaim
from kttc.core.models import (
    ApiToken,
    AuditEntry,
    MeasuresStart,
    Membership,
    Notification,
    Organisation,
    PolicyVersion,
    User,
)
from kttc.core.parts import part_modules
from kttc.policy import calendar
from kttc.policy import params as policy_params
from kttc.policy import roles as policy_roles
from kttc.policy.evidence import ChainReport, StoredEntry, verify_chain


def measures_start() -> MeasuresStart | None:
    """V.1: the day the measures took effect as this installation set it, if it did."""
    return MeasuresStart.objects.first()


def policy_version_records() -> list[policy_params.PolicyVersion]:
    """Every stored version, parsed (a malformed stored version raises a PolicyError), oldest
    first; the first one in force from the day the measures took effect, where the
    installation set it (:func:`measures_start`)."""
    versions = [
        policy_params.PolicyVersion(
            code=v.code,
            effective_from=v.effective_from,
            effective_until=v.effective_until,
            parameters=policy_params.PolicyParameters.from_values(v.values),
        )
        for v in PolicyVersion.objects.order_by("effective_from")
    ]
    start = measures_start()
    return policy_params.with_measures_start(versions, start.effective_from) if start else versions


def policy_versions_listed() -> list[PolicyVersion]:
    """The stored versions for a page, newest first, each with the period it is in force
    (the first one's as the installation set it)."""
    periods = {v.code: (v.effective_from, v.effective_until) for v in policy_version_records()}
    rows = list(PolicyVersion.objects.order_by("-effective_from"))
    for row in rows:  # shown only, never saved (a version in force cannot change)
        row.effective_from, row.effective_until = periods[row.code]
    return rows


def policy_version_in_force(on: date | None = None) -> policy_params.PolicyVersion:
    """V.1: the version in force on ``on`` (today in Asia/Shanghai by default)."""
    return policy_params.version_in_force(
        policy_version_records(), on or calendar.today_in_shanghai()
    )


def parameters_in_force(on: date | None = None) -> policy_params.PolicyParameters:
    """The parameters that govern a decision taken on ``on``."""
    return policy_version_in_force(on).parameters


def active_memberships(user: User) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user, revoked_at__isnull=True, user__is_active=True)
        .select_related("organisation")
        .order_by("organisation__name", "role")
    )


def user_roles(user: User) -> set[policy_roles.Role]:
    return {policy_roles.Role(m.role) for m in active_memberships(user)}


def user_can(
    user: User,
    capability: policy_roles.Capability,
    organisation: Organisation | None = None,
) -> bool:
    """Whether any active membership of ``user`` carries ``capability``: for every organisation
    when the capability ends in ``_all``, otherwise for ``organisation`` (its own) or for every
    organisation through the capability's ``_all`` counterpart."""
    reach_all = policy_roles.global_capability(capability)
    if reach_all is not None and reach_all != capability and user_can(user, reach_all):
        return True
    for membership in active_memberships(user):
        role = policy_roles.Role(membership.role)
        if not policy_roles.role_can(role, capability):
            continue
        if capability.value.endswith("_all") or organisation is None:
            return True
        if membership.organisation_id == organisation.pk:
            return True
    return False


def organisations_where(user: User, capability: policy_roles.Capability) -> QuerySet[Organisation]:
    """The organisations for which ``user`` holds ``capability`` (all of them for ``_all``)."""
    reach_all = policy_roles.global_capability(capability)
    if reach_all is not None and user_can(user, reach_all):
        return Organisation.objects.all()
    roles = [r.value for r in policy_roles.Role if policy_roles.role_can(r, capability)]
    ids = active_memberships(user).filter(role__in=roles).values("organisation_id")
    return Organisation.objects.filter(pk__in=ids)


def organisations_public(
    *, kind: str | None = None, query: str | None = None
) -> QuerySet[Organisation]:
    """Organisations anyone may see: the verified ones."""
    qs = Organisation.objects.filter(verified_at__isnull=False)
    if kind:
        qs = qs.filter(kind=kind)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(name_en__icontains=query))
    return qs.order_by("name")


def organisation_members(organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation, revoked_at__isnull=True)
        .select_related("user")
        .order_by("user__full_name", "role")
    )


def audit_entries_visible_to(user: User) -> QuerySet[AuditEntry]:
    """M14.1: the bureau and auditors read the whole chain; a unit's transfer office reads the
    entries of its own organisation; everyone else reads nothing here."""
    if user_can(user, policy_roles.Capability.VIEW_AUDIT_ALL):
        return AuditEntry.objects.all()
    orgs = organisations_where(user, policy_roles.Capability.VIEW_AUDIT)
    return AuditEntry.objects.filter(organisation__in=orgs)


def audit_entries_filtered(
    entries: QuerySet[AuditEntry], filters: Mapping[str, Any]
) -> QuerySet[AuditEntry]:
    """M14.1: ``entries`` (already those a person may read) narrowed by an auditor's filters, the
    cleaned data of ``AuditFilterForm``; days are Asia/Shanghai's."""
    if filters.get("date_from"):
        entries = entries.filter(created_at__gte=_shanghai_midnight(filters["date_from"]))
    if filters.get("date_to") and filters["date_to"] < date.max:
        entries = entries.filter(
            created_at__lt=_shanghai_midnight(filters["date_to"] + timedelta(days=1))
        )
    if filters.get("actor"):
        actor = filters["actor"]
        entries = entries.filter(Q(actor_label__icontains=actor) | Q(actor__email__iexact=actor))
    if filters.get("organisation"):
        name = filters["organisation"]
        entries = entries.filter(
            Q(organisation_label__icontains=name)
            | Q(organisation__name__icontains=name)
            | Q(organisation__name_en__icontains=name)
        )
    if filters.get("action"):
        entries = entries.filter(action=filters["action"])
    if filters.get("clause"):
        # The clauses are a JSON list; its text holds each id in quotes on both databases.
        entries = entries.annotate(clauses_text=Cast("clauses", TextField())).filter(
            clauses_text__contains=f'"{filters["clause"]}"'
        )
    if filters.get("q"):
        entries = entries.filter(object_repr__icontains=filters["q"])
    return entries


def _shanghai_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=calendar.SHANGHAI)


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def audit_fields(entry: AuditEntry) -> dict[str, object]:
    """The fields an entry's hash covers, in the form they were hashed."""
    return {
        "seq": entry.seq,
        "created_at": hashed_time(entry.created_at),
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "organisation_id": entry.organisation_id,
        "organisation_label": entry.organisation_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "before": entry.before,
        "after": entry.after,
        "clauses": entry.clauses,
        "policy_version": entry.policy_version,
        "documents": entry.documents,
        # Recorded since evidence rows are hashed; entries before (or without rows) lack it.
        **({"evidence": entry.evidence} if entry.evidence else {}),
    }


def hashed_time(moment: datetime) -> str:
    """The one text form of an entry's time inside its hash: UTC, to the microsecond."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def audit_chain_verify(kept: Iterable[HeadClaim] = ()) -> ChainReport:
    """M14.1: walk the whole chain in order, in chunks, and report the first broken link; check
    it against every checkpoint of its head (and the heads ``kept`` by a third party), so that
    entries removed from its end are named; then compare every evidence row with the hash its
    entry recorded and name the first that differs."""
    from kttc.core import integrity

    entries = (
        StoredEntry(seq=e.seq, previous_hash=e.previous_hash, hash=e.hash, fields=audit_fields(e))
        for e in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)
    )
    report = verify_chain(entries)
    if not report.intact:
        return report
    head = integrity.checkpoints_verify(report.checked, kept)
    if head is not None:
        return replace(report, broken_at=head[0], reason=head[1], subject="checkpoint")
    _rows, problem = integrity.evidence_verify()
    if problem is not None:
        return replace(
            report,
            broken_at=int(problem.seq) if problem.seq != float("inf") else None,
            reason=problem.text,
            subject="evidence",
        )
    return report


# --- notifications and deadlines ----------------------------------------------------------


def notifications_of(user: User) -> QuerySet[Notification]:
    """A person's own notifications, newest first; nobody reads another's."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return (
        Notification.objects.filter(recipient=user)
        .select_related("organisation")
        .order_by("-created_at", "-id")
    )


def notifications_unread_count(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def deadlines_for(
    user: User, *, days: int, today: date | None = None, limit: int = 10
) -> list[MembershipDeadlines]:
    """For each active membership of ``user``, what every part says falls due within ``days``
    days of ``today`` and what is overdue (``kttc.core.deadlines``)."""
    day = today or calendar.today_in_shanghai()
    until = day + timedelta(days=days)
    providers = [module for _label, module in part_modules("deadlines")]
    return [
        MembershipDeadlines(
            membership,
            [
                section
                for module in providers
                for section in module.sections(membership, today=day, until=until, limit=limit)
            ],
        )
        for membership in active_memberships(user)
    ]
