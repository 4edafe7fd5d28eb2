"""M9.2: a broker's statement of their reward from an institution's subsidy, as files people
use (PDF or xlsx, drawn by :mod:`kttc.core.statements` like an income distribution's, M5.1):
the institution and its certification, the subsidy (M9.1), the minimum share in force, the
brokers' total, the broker's agreed share and amount, and the policy version. Labels follow the
active language (``translation.override`` around a call chooses it)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext

from kttc.center.institutions.models import BrokerRewardLine
from kttc.core import dates
from kttc.core import statements as files
from kttc.core.statements import AMOUNT_FORMAT, RATIO_FORMAT, Row, Statement


def m9_2_note() -> str:
    return gettext(
        "A key demonstration service institution receives a subsidy on its certification "
        "(M9.1); when it rewards its technology brokers from it, at least the minimum share in "
        "force goes to them, split by their agreed shares to the fen (M9.2)."
    )


def _day(value: date | None, as_read: bool) -> str:
    if value is None:
        return "—"
    return dates.day(value) if as_read else value.isoformat()


def statement_rows(line: BrokerRewardLine, *, dates_as_read: bool = False) -> list[Row]:
    reward = line.reward
    subsidy = reward.subsidy
    certification = subsidy.certification
    term_days = (certification.term_start, certification.term_end)
    start, end = (_day(d, dates_as_read) for d in term_days)
    term = f"{start} – {end}"
    return [
        Row(gettext("Service institution"), certification.institution.name),
        Row(gettext("Term of the certification"), term),
        Row(gettext("Subsidy (yuan)"), subsidy.amount, AMOUNT_FORMAT),
        Row(gettext("Disbursed on"), _day(subsidy.disbursed_on, dates_as_read)),
        Row(gettext("Minimum share in force"), reward.min_share, RATIO_FORMAT),
        Row(gettext("Brokers' total (yuan)"), reward.total, AMOUNT_FORMAT),
        Row(gettext("Broker"), line.broker.person.full_name),
        Row(gettext("Certificate number"), line.broker.certificate_number),
        Row(gettext("Share"), line.share, RATIO_FORMAT),
        Row(gettext("Amount (yuan)"), line.amount, AMOUNT_FORMAT),
        Row(gettext("Policy version"), reward.policy_version),
    ]


def _statement(line: BrokerRewardLine, *, as_read: bool) -> Statement:
    reward = line.reward
    return Statement(
        title=gettext("Broker's reward statement: %(name)s")
        % {"name": line.broker.person.full_name},
        rows=statement_rows(line, dates_as_read=as_read),
        note=m9_2_note(),
        footer=gettext("Reward %(id)s, decided on %(date)s.")
        % {"id": reward.pk, "date": _day(reward.decided_on, as_read)},
        subject="M9.2",
        author=reward.subsidy.certification.institution.name,
        sheet_name=gettext("Statement"),
    )


def statement_xlsx(line: BrokerRewardLine) -> bytes:
    return files.xlsx(_statement(line, as_read=False))


def statement_pdf(line: BrokerRewardLine) -> bytes:
    return files.pdf(_statement(line, as_read=True))
