"""Writes of time-limited transformation (M4.4).

* The unit's transfer office records a transformation of its result done outside the platform
  (a licence concluded on the platform counts by itself); the result comes off the open
  licensing list, and its default offer closes.
* The unit files a justification why a result is not transformed; the bureau accepts it (with
  an optional last day: the result stays off the list while it is valid) or rejects it, with its
  reason.
* :func:`open_listing_refresh` keeps the list, for the sweep: results due (IP obtained N or more
  years ago, N in force, not transformed, not justified) go on it with a default "use first,
  pay later" offer; results transformed meanwhile come off; results whose accepted
  justification ran out go back on.

Each decision is one transaction and one audit entry citing M4.4; a refusal raises its
PolicyError, naming the field, before anything is stored. The list is kept set-based (DESIGN
rule 5): INSERT … SELECT of the entries and their offers, a batch of results at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import (
    DateField,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from kttc.core.models import User
from kttc.core.notifications.kinds import register_kind
from kttc.core.notifications.services import Notice, notification_send
from kttc.core.selectors import policy_version_in_force
from kttc.core.services import (
    Decision,
    audit_record,
    audit_record_many,
    decision,
    decision_transaction,
    require_capability,
)
from kttc.policy import transformation as transformation_rules
from kttc.policy.errors import PolicyError, refuse
from kttc.policy.i18n import gettext_noop
from kttc.policy.roles import Capability, Role
from kttc.reform import dates
from kttc.reform.licensing.models import Licence, LicenceOffer
from kttc.reform.transformation import selectors as reads
from kttc.reform.transformation.choices import (
    JustificationStatus,
    ListingStatus,
    TransformationKind,
)
from kttc.reform.transformation.models import (
    OpenLicensingEntry,
    Transformation,
    TransformationJustification,
)
from kttc.registry import outbox
from kttc.registry.models import Achievement

CLAUSES = ("M4.4",)

#: Results listed per transaction: short enough that people working meanwhile wait little.
BATCH = 5000

#: Told the sweep's caller, inside each batch's transaction, with the entries just listed or
#: listed again, so that a listing and its notices are stored together or not at all.
Notify = Callable[[QuerySet[Any]], int]

JUSTIFICATION_FILED = Notice(
    kind="reform.justification_filed",
    subject=gettext_noop("Justification to decide: %(name)s"),
    body=gettext_noop(
        "%(unit)s explains why the result “%(name)s” is not transformed and asks that it stay "
        "off the open licensing list (M4.4). Accept or reject it, with your reason."
    ),
    clauses=CLAUSES,
)
JUSTIFICATION_ACCEPTED = Notice(
    kind="reform.justification_accepted",
    subject=gettext_noop("Justification accepted: %(name)s"),
    body=gettext_noop(
        "The bureau accepted your justification for “%(name)s” (M4.4): the result stays off the "
        "open licensing list until %(until)s. Transform it by then, or file a new justification."
    ),
    clauses=CLAUSES,
)
JUSTIFICATION_ACCEPTED_WITHOUT_END = Notice(
    kind="reform.justification_accepted",
    subject=JUSTIFICATION_ACCEPTED.subject,
    body=gettext_noop(
        "The bureau accepted your justification for “%(name)s” (M4.4) without a time limit: the "
        "result stays off the open licensing list."
    ),
    clauses=CLAUSES,
)
JUSTIFICATION_REJECTED = Notice(
    kind="reform.justification_rejected",
    subject=gettext_noop("Justification rejected: %(name)s"),
    body=gettext_noop("The bureau rejected your justification for “%(name)s” (M4.4): %(reason)s"),
    clauses=CLAUSES,
)

# The kinds of notices sent here, for people's preferences (kttc.core.notifications.kinds).
register_kind(
    JUSTIFICATION_FILED.kind, gettext_lazy("A justification for a result not transformed is filed")
)
register_kind(JUSTIFICATION_ACCEPTED.kind, gettext_lazy("A justification is accepted"))
register_kind(
    JUSTIFICATION_REJECTED.kind, gettext_lazy("A justification is rejected"), mandatory=True
)


def _required(text: str, field: str, template: str) -> str:
    if not (text or "").strip():
        raise refuse(template, "required", field, CLAUSES)
    return text.strip()


def _lock(achievement: Achievement) -> Achievement:
    return Achievement.objects.select_for_update().select_related("unit").get(pk=achievement.pk)


def _take_off(achievement_id: int, status: ListingStatus, on: date) -> OpenLicensingEntry | None:
    """Take the result off the list (if it is on it) and close its default offer."""
    entry = (
        OpenLicensingEntry.objects.select_for_update()
        .filter(achievement_id=achievement_id, status=ListingStatus.LISTED)
        .first()
    )
    if entry is None:
        return None
    entry.status, entry.delisted_on = status, on
    entry.save(update_fields=["status", "delisted_on"])
    if entry.offer_id is not None:
        LicenceOffer.objects.filter(pk=entry.offer_id).update(open=False)
        _offers_changed([achievement_id])
    return entry


@decision
def transformation_record(
    *,
    actor: User,
    achievement: Achievement,
    kind: str,
    happened_on: date,
    description: str,
    today: date | None = None,
) -> Transformation:
    """M4.4: the unit records a transformation of its result done outside the platform; the
    result comes off the open licensing list if it is on it, and its default offer closes."""
    on = today or dates.today()
    achievement = _lock(achievement)
    require_capability(actor, Capability.MANAGE_LICENCES, achievement.unit)
    if kind not in TransformationKind.values:
        raise refuse(
            gettext_noop("%(kind)s is not a kind of transformation."),
            "transformation.kind",
            "kind",
            CLAUSES,
            kind=kind,
        )
    text = _required(description, "description", gettext_noop("Describe the transformation."))
    if happened_on > on:
        raise refuse(
            gettext_noop("Record a transformation once it happened; %(day)s is in the future."),
            "transformation.future",
            "happened_on",
            CLAUSES,
            day=happened_on.isoformat(),
        )
    row = Transformation.objects.create(
        achievement=achievement,
        kind=kind,
        happened_on=happened_on,
        description=text,
        recorded_by=actor,
    )
    entry = _take_off(achievement.pk, ListingStatus.TRANSFORMED, on)
    audit_record(
        actor=actor,
        organisation=achievement.unit,
        action="transformation.record",
        obj=row,
        after={
            "achievement": achievement.pk,
            "kind": kind,
            "happened_on": happened_on,
            "taken_off_list": entry.pk if entry else None,
        },
        clauses=CLAUSES,
    )
    return row


@decision
def justification_file(
    *, actor: User, achievement: Achievement, reason: str, today: date | None = None
) -> TransformationJustification:
    """M4.4: the unit explains why its result is not transformed; the bureau decides. One
    justification waits at a time, and none while an accepted one is valid."""
    on = today or dates.today()
    achievement = _lock(achievement)
    require_capability(actor, Capability.MANAGE_LICENCES, achievement.unit)
    text = _required(
        reason, "reason", gettext_noop("Say why the result is not transformed (M4.4).")
    )
    if reads.obtained_on(achievement) is None:
        raise refuse(
            gettext_noop(
                "The time limit runs from the grant of the result's IP, and this result has no "
                "granted IP right: there is nothing to justify."
            ),
            "justification.no_ip",
            "achievement",
            CLAUSES,
        )
    if reads.is_transformed(achievement):
        raise refuse(
            gettext_noop("The result is transformed: there is nothing to justify."),
            "justification.transformed",
            "achievement",
            CLAUSES,
        )
    mine = TransformationJustification.objects.filter(achievement=achievement)
    if mine.filter(status=JustificationStatus.PENDING).exists():
        raise refuse(
            gettext_noop("A justification of this result is already waiting for the bureau."),
            "justification.pending",
            "achievement",
            CLAUSES,
        )
    valid = mine.filter(status=JustificationStatus.ACCEPTED).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on)
    )
    if valid.exists():
        raise refuse(
            gettext_noop("An accepted justification of this result is still valid."),
            "justification.in_force",
            "achievement",
            CLAUSES,
        )
    filed = TransformationJustification.objects.create(
        achievement=achievement, unit=achievement.unit, reason=text, filed_by=actor
    )
    audit_record(
        actor=actor,
        organisation=achievement.unit,
        action="transformation.justification_file",
        obj=filed,
        after={"achievement": achievement.pk, "reason": text},
        clauses=CLAUSES,
    )
    notification_send(
        roles=(Role.BUREAU.value,),
        notice=_with(JUSTIFICATION_FILED, name=achievement.name, unit=achievement.unit.name),
        dedupe_key=f"{JUSTIFICATION_FILED.kind}:{filed.pk}",
        about=filed,
        link=reverse("transformation:decide", args=[filed.pk]),
    )
    return filed


def _with(notice: Notice, **params: Any) -> Notice:
    return Notice(notice.kind, notice.subject, notice.body, notice.clauses, params)


@decision
def justification_decide(
    *,
    actor: User,
    justification: TransformationJustification,
    decision: str,
    reason: str = "",
    valid_until: date | None = None,
    today: date | None = None,
) -> TransformationJustification:
    """M4.4: the bureau accepts the justification (the result stays off the open licensing list
    while it is valid: up to ``valid_until``, or without end) or rejects it, with its reason."""
    on = today or dates.today()
    require_capability(actor, Capability.REVIEW_ACHIEVEMENTS_ALL)
    found = (
        TransformationJustification.objects.select_for_update()
        .select_related("achievement", "unit")
        .get(pk=justification.pk)
    )
    if found.status != JustificationStatus.PENDING:
        raise refuse(
            gettext_noop("This justification is decided already."),
            "justification.decided",
            "justification",
            CLAUSES,
        )
    if decision not in ("accept", "reject"):
        raise refuse(
            gettext_noop("Accept or reject the justification."),
            "justification.decision",
            "decision",
            CLAUSES,
        )
    text = (reason or "").strip()
    entry = None
    if decision == "accept":
        found.valid_until = transformation_rules.check_valid_until(valid_until, on)
        found.status = JustificationStatus.ACCEPTED
        entry = _take_off(found.achievement_id, ListingStatus.JUSTIFIED, on)
    else:
        text = _required(text, "reason", gettext_noop("Give the reason for the rejection."))
        found.status, found.valid_until = JustificationStatus.REJECTED, None
    found.decision_reason, found.decided_by, found.decided_at = text, actor, timezone.now()
    found.save(
        update_fields=["status", "valid_until", "decision_reason", "decided_by", "decided_at"]
    )
    audit_record(
        actor=actor,
        organisation=found.unit,
        action=f"transformation.justification_{decision}",
        obj=found,
        after={
            "status": found.status,
            "valid_until": found.valid_until,
            "reason": text,
            "taken_off_list": entry.pk if entry else None,
        },
        clauses=CLAUSES,
    )
    _tell_the_unit(found)
    return found


def _tell_the_unit(found: TransformationJustification) -> None:
    name = found.achievement.name
    if found.status == JustificationStatus.ACCEPTED and found.valid_until:
        notice = _with(JUSTIFICATION_ACCEPTED, name=name, until=found.valid_until.isoformat())
    elif found.status == JustificationStatus.ACCEPTED:
        notice = _with(JUSTIFICATION_ACCEPTED_WITHOUT_END, name=name)
    else:
        notice = _with(JUSTIFICATION_REJECTED, name=name, reason=found.decision_reason)
    notification_send(
        roles=(Role.TRANSFER_OFFICE.value,),
        organisation=found.unit,
        notice=notice,
        dedupe_key=f"{notice.kind}:{found.pk}",
        about=found,
        link=reverse("transformation:home"),
    )


# --- the open licensing list, kept by the sweep ------------------------------------------------


@dataclass
class Refresh:
    """What :func:`open_listing_refresh` did."""

    listed: int = 0
    listed_again: int = 0
    taken_off: int = 0
    notices: int = 0


def open_listing_refresh(
    *,
    today: date,
    notify_listed: Notify | None = None,
    notify_listed_again: Notify | None = None,
    batch: int = BATCH,
) -> Refresh:
    """M4.4: keep the open licensing list as on ``today``, each change once, whatever the
    number of runs: take off the results transformed meanwhile; put back those whose accepted
    justification ran out; list the results that became due, each with its default offer.
    On a day no policy version covers, nothing new is listed (no rule is in force to list
    by), but transformed results still come off."""
    done = Refresh()
    try:
        version = policy_version_in_force(today)
    except PolicyError:
        done.taken_off = _take_off_transformed(today, "", batch)
        return done
    done.taken_off = _take_off_transformed(today, version.code, batch)
    years = version.parameters.open_licensing_after_years
    done.listed_again, notices = _list_again(today, version.code, batch, notify_listed_again)
    done.notices += notices
    done.listed, notices = _list_due(today, years, version.code, batch, notify_listed)
    done.notices += notices
    return done


def _audit_system(decisions: list[Decision], version: str) -> None:
    """M14.1: the sweep's decisions, by the platform itself (no person, no one organisation)."""
    audit_record_many(
        actor=None,
        organisation=None,
        decisions=decisions,
        clauses=CLAUSES,
        policy_version=version,
    )


def _decisions(action: str, entries: QuerySet[OpenLicensingEntry]) -> list[Decision]:
    """One decision per entry (the batch's rows, read once)."""
    rows = entries.order_by("pk").values_list(
        "pk", "achievement_id", "achievement__name", "unit_id", "ip_obtained_on", "status"
    )
    return [
        Decision(
            action,
            OpenLicensingEntry._meta.label_lower,
            str(pk),
            name[:300],
            after={
                "achievement": achievement,
                "unit": unit,
                "ip_obtained_on": obtained,
                "status": status,
            },
        )
        for pk, achievement, name, unit, obtained, status in rows
    ]


def _take_off_transformed(today: date, version: str, batch: int) -> int:
    """Listed results that got a licence or a recorded transformation come off the list, their
    default offers closed. Driven by the licences and transformations, not by the list."""
    done = Q(achievement_id__in=Licence.objects.values("achievement_id")) | Q(
        achievement_id__in=Transformation.objects.values("achievement_id")
    )
    taken = 0
    while True:
        with decision_transaction():
            pks = list(
                OpenLicensingEntry.objects.filter(status=ListingStatus.LISTED)
                .filter(done)
                .values_list("pk", flat=True)[:batch]
            )
            if not pks:
                return taken
            rows = OpenLicensingEntry.objects.filter(pk__in=pks, status=ListingStatus.LISTED)
            _offers_changed(rows.values_list("achievement_id", flat=True))
            LicenceOffer.objects.filter(open_listing__in=rows).update(open=False)
            n = rows.update(status=ListingStatus.TRANSFORMED, delisted_on=today)
            taken += n
            _audit_system(
                _decisions(
                    "open_licensing.take_off", OpenLicensingEntry.objects.filter(pk__in=pks)
                ),
                version,
            )
        if n < batch:
            return taken


def _list_again(today: date, version: str, batch: int, notify: Notify | None) -> tuple[int, int]:
    """Results taken off as justified whose accepted justification is no longer valid (and
    that are still untransformed and listable) go back on the list, their offer reopened."""
    lapsed = (
        OpenLicensingEntry.objects.filter(status=ListingStatus.JUSTIFIED)
        .filter(achievement__in=reads.listable())
        .exclude(reads.justified(today, outer="achievement_id"))
        .exclude(reads.transformed(outer="achievement_id"))
    )
    listed = notices = 0
    while True:
        with decision_transaction():
            pks = list(lapsed.values_list("pk", flat=True)[:batch])
            if not pks:
                return listed, notices
            rows = OpenLicensingEntry.objects.filter(pk__in=pks)
            _offers_changed(rows.values_list("achievement_id", flat=True))
            LicenceOffer.objects.filter(open_listing__in=rows).update(open=True)
            rows.update(status=ListingStatus.LISTED, listed_on=today, delisted_on=None)
            listed += len(pks)
            if notify is not None:
                notices += notify(rows)
            _audit_system(_decisions("open_licensing.list_again", rows), version)
        if len(pks) < batch:
            return listed, notices


def _list_due(
    today: date, years: int, version: str, batch: int, notify: Notify | None
) -> tuple[int, int]:
    """Results due and not on the list yet go on it. Their ids are read once; then a batch of
    them per transaction: the entries, then their default offers, each one INSERT … SELECT
    (which checks each result again, so one transformed, justified or listed since the read is
    left out); then the notices of the new entries, their audit entries, and the link from each
    entry to its offer."""
    not_entered = ~Q(Exists(OpenLicensingEntry.objects.filter(achievement_id=OuterRef("pk"))))
    due = reads.due_for_listing(on=today, years=years).filter(not_entered)
    ids = list(due.order_by("pk").values_list("pk", flat=True))
    listed = notices = 0
    for start in range(0, len(ids), batch):
        among = ids[start : start + batch]
        with decision_transaction():
            rows = reads.due_for_listing(on=today, years=years, among=among).filter(not_entered)
            listed += _insert_entries(rows, today)
            _insert_offers()
            fresh = OpenLicensingEntry.objects.filter(
                offer__isnull=True, status=ListingStatus.LISTED
            )
            if notify is not None:
                notices += notify(fresh)
            _audit_system(_decisions("open_licensing.list", fresh), version)
            _offers_changed(fresh.values_list("achievement_id", flat=True))
            _link_offers(fresh)
    return listed, notices


def _offers_changed(achievement_ids: Iterable[int]) -> None:
    """Default offers were opened or closed in bulk (no model signal): those who follow results
    (the catalog's "has an open offer", on every node) read them again (an outbox row each, in
    this transaction)."""
    outbox.record(achievement_ids)


def _insert_select(model: type[Any], columns: dict[str, str], selection: QuerySet[Any]) -> int:
    """``INSERT INTO <model> (<columns>) SELECT … FROM (<selection>)``, skipping conflicts;
    ``columns`` maps each column to the alias the selection annotates it with."""
    inner, params = selection.order_by().values(*columns.values()).query.sql_with_params()
    names = ", ".join(f'"{c}"' for c in columns)
    outer = ", ".join(f's."{alias}"' for alias in columns.values())
    # The WHERE keeps SQLite's parser from reading ON CONFLICT as part of the FROM.
    sql = (
        f'INSERT INTO "{model._meta.db_table}" ({names}) '  # noqa: S608 (the model's own table)
        f"SELECT {outer} FROM ({inner}) s WHERE 1 = 1 ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def _insert_entries(due: QuerySet[Achievement], today: date) -> int:
    """The entries of the due results (the unique result column skips any listed meanwhile)."""
    selection = due.annotate(
        e_achievement=F("pk"),
        e_unit=F("unit_id"),
        e_obtained=F("obtained"),
        e_listed=Value(today, output_field=DateField()),
        e_status=Value(ListingStatus.LISTED.value),
    )
    columns = {
        "achievement_id": "e_achievement",
        "unit_id": "e_unit",
        "ip_obtained_on": "e_obtained",
        "listed_on": "e_listed",
        "status": "e_status",
    }
    return _insert_select(OpenLicensingEntry, columns, selection)


def _insert_offers() -> int:
    """M4.4, M3.3: the default offer of each new entry: non-exclusive, paid after the first
    revenue, for the platform's default term; made by no person (``created_by`` empty)."""
    fresh = OpenLicensingEntry.objects.filter(offer__isnull=True, status=ListingStatus.LISTED)
    selection = fresh.annotate(
        o_achievement=F("achievement_id"),
        o_unit=F("unit_id"),
        o_exclusive=Value(False),
        o_blank=Value(""),
        o_term=Value(transformation_rules.DEFAULT_OFFER_TERM_YEARS),
        o_model=Value(transformation_rules.DEFAULT_OFFER_PAYMENT_MODEL.value),
        o_yes=Value(True),
        o_created=Value(timezone.now(), output_field=DateTimeField()),
    )
    columns = {
        "achievement_id": "o_achievement",
        "unit_id": "o_unit",
        "exclusive": "o_exclusive",
        "field_of_use": "o_blank",
        "territory": "o_blank",
        "term_years": "o_term",
        "payment_model": "o_model",
        "open": "o_yes",
        "open_licensing": "o_yes",
        "created_at": "o_created",
    }
    return _insert_select(LicenceOffer, columns, selection)


def _link_offers(fresh: QuerySet[OpenLicensingEntry]) -> None:
    newest_default = (
        LicenceOffer.objects.filter(
            achievement_id=OuterRef("achievement_id"), open_licensing=True, open=True
        )
        .order_by("-pk")
        .values("pk")[:1]
    )
    fresh.update(offer_id=Subquery(newest_default))
