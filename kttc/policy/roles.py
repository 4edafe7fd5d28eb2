"""Who may do what: roles, the organisations they belong to, and their capabilities.

A person acts through a membership (person, organisation, role). What a role may do is this table,
not scattered ``if`` statements: ``kttc.core.selectors`` answers "may this person do X for that
organisation" from it. Capabilities ending in ``_all`` reach every organisation; the others reach
only the member's own organisation.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Role(StrEnum):
    RESEARCHER = "researcher"
    TRANSFER_OFFICE = "transfer_office"
    ENTERPRISE = "enterprise"
    SERVICE_BROKER = "service_broker"
    BUREAU = "bureau"
    INVESTMENT_PLATFORM = "investment_platform"
    FINANCIAL_INSTITUTION = "financial_institution"
    AUDITOR = "auditor"
    PARTNER = "partner"  # M8.4: the staff of a partner organisation abroad


class OrganisationKind(StrEnum):
    UNIVERSITY = "university"
    RESEARCH_INSTITUTE = "research_institute"
    MEDICAL_INSTITUTION = "medical_institution"
    ENTERPRISE = "enterprise"
    SERVICE_INSTITUTION = "service_institution"
    INVESTMENT_PLATFORM = "investment_platform"
    FINANCIAL_INSTITUTION = "financial_institution"
    GOVERNMENT_DEPARTMENT = "government_department"
    #: M8.4: a technology transfer center, university, industrial park or chamber of commerce
    #: registered outside China that cooperates with the center (its type is the partnership's).
    PARTNER_ABROAD = "partner_abroad"


#: M1.1: the kinds of unit whose municipal members are "reform units" (scope of M1, M2, M6, M13.3).
RESEARCH_UNIT_KINDS: Final[frozenset[OrganisationKind]] = frozenset(
    {
        OrganisationKind.UNIVERSITY,
        OrganisationKind.RESEARCH_INSTITUTE,
        OrganisationKind.MEDICAL_INSTITUTION,
    }
)

#: The organisation kinds in which a role can be held.
ROLE_ORGANISATION_KINDS: Final[dict[Role, frozenset[OrganisationKind]]] = {
    Role.RESEARCHER: RESEARCH_UNIT_KINDS | {OrganisationKind.ENTERPRISE},
    Role.TRANSFER_OFFICE: RESEARCH_UNIT_KINDS,
    Role.ENTERPRISE: frozenset({OrganisationKind.ENTERPRISE}),
    Role.SERVICE_BROKER: frozenset({OrganisationKind.SERVICE_INSTITUTION}),
    Role.BUREAU: frozenset({OrganisationKind.GOVERNMENT_DEPARTMENT}),
    Role.INVESTMENT_PLATFORM: frozenset({OrganisationKind.INVESTMENT_PLATFORM}),
    Role.FINANCIAL_INSTITUTION: frozenset({OrganisationKind.FINANCIAL_INSTITUTION}),
    Role.AUDITOR: frozenset({OrganisationKind.GOVERNMENT_DEPARTMENT}),
    Role.PARTNER: frozenset({OrganisationKind.PARTNER_ABROAD}),
}


class Capability(StrEnum):
    VIEW_OWN_ORGANISATION = "view_own_organisation"
    MANAGE_MEMBERS = "manage_members"
    MANAGE_MEMBERS_ALL = "manage_members_all"
    VERIFY_ORGANISATIONS_ALL = "verify_organisations_all"
    VIEW_AUDIT = "view_audit"
    VIEW_AUDIT_ALL = "view_audit_all"
    VERIFY_AUDIT_CHAIN_ALL = "verify_audit_chain_all"
    PUBLISH_POLICY_ALL = "publish_policy_all"
    USE_API = "use_api"
    MANAGE_ACHIEVEMENTS = "manage_achievements"
    VIEW_UNIT_ACHIEVEMENTS = "view_unit_achievements"
    VIEW_UNIT_ACHIEVEMENTS_ALL = "view_unit_achievements_all"
    REVIEW_ACHIEVEMENTS_ALL = "review_achievements_all"
    MANAGE_PROJECTS_ALL = "manage_projects_all"
    CURATE_CATALOG_ALL = "curate_catalog_all"
    APPLY_EMPOWERMENT = "apply_empowerment"  # M1.4: completers apply for a right
    MANAGE_EMPOWERMENT = "manage_empowerment"  # M1.3, M1.5-M1.7: the unit decides
    MANAGE_LICENCES = "manage_licences"  # M3.1-M3.4: the unit offers, concludes, records
    HOLD_LICENCES = "hold_licences"  # M3.2, M3.3: the licensee reports revenue
    MANAGE_CONTRACTS = "manage_contracts"  # M5: contracts, income, costs, distributions
    MANAGE_INVESTMENTS = "manage_investments"  # M7: the platform's invest-first cases
    APPROVE_STATE_EQUITY_ALL = "approve_state_equity_all"  # M2.2: the superior approves
    POST_DEMANDS = "post_demands"  # M8.1: an enterprise posts its technology demands
    ANSWER_DEMANDS = "answer_demands"  # M8.1, M8.4: units and brokers answer them
    MODERATE_DEMANDS_ALL = "moderate_demands_all"  # M8.1: the center publishes or rejects
    REFER_ENTERPRISES = "refer_enterprises"  # M8.4: a partner abroad refers its enterprises
    POST_DEMANDS_FOR_REFERRED = "post_demands_for_referred"  # M8.4: ... and posts their demands
    VIEW_REFERRED_CASES = "view_referred_cases"  # M8.4: ... and follows the cases it referred
    MANAGE_PARTNERSHIPS_ALL = "manage_partnerships_all"  # M8.4: the center records partnerships
    MANAGE_INSTITUTION = "manage_institution"  # M9: brokers, certification, brokers' reward
    CERTIFY_INSTITUTIONS_ALL = "certify_institutions_all"  # M9.1: the bureau certifies, subsidy
    REQUEST_PRE_EXAMINATION = "request_pre_examination"  # M11.1: an applicant files
    PRE_EXAMINE_ALL = "pre_examine_all"  # M11.1: the center's staff keep the queue
    FILE_IP_CASES = "file_ip_cases"  # M11.2: a rights holder files, a party follows its cases
    HANDLE_IP_CASES_ALL = "handle_ip_cases_all"  # M11.2: the center's IP staff handle cases
    APPLY_FINANCE = "apply_finance"  # M12.1, M12.3: an enterprise applies to a bank's product
    MANAGE_FINANCE = "manage_finance"  # M12.1, M12.3: a bank's products, decisions, repayments
    REQUEST_EVALUATION = "request_evaluation"  # M10.1: a unit, enterprise, bank or investor
    EVALUATE_RESULTS = "evaluate_results"  # M10.1: a certified institution evaluates
    APPLY_VOUCHERS = "apply_vouchers"  # M12.2: an enterprise applies, presents its vouchers
    REDEEM_VOUCHERS = "redeem_vouchers"  # M12.2: a certified institution redeems them
    MANAGE_VOUCHERS_ALL = "manage_vouchers_all"  # M12.2: the bureau's programmes and report
    RAISE_DIFFICULTIES = "raise_difficulties"  # M13.1: a unit, enterprise, institution raises
    MANAGE_MEETING_ALL = "manage_meeting_all"  # M13.1, M13.2: the bureau convenes, decides, tracks
    VIEW_MEETING_ALL = "view_meeting_all"  # M13.1, M13.2: the bureau and auditors read it all
    FILE_UNIT_REPORTS = "file_unit_reports"  # M13.3: a unit's office files its own report
    REVIEW_UNIT_REPORTS_ALL = "review_unit_reports_all"  # M13.3: the bureau opens and reviews
    VIEW_UNIT_REPORTS_ALL = "view_unit_reports_all"  # M13.3: the bureau and auditors read all
    VIEW_STATISTICS_ALL = "view_statistics_all"  # M13.3: the bureau's dashboard, auditors too
    RECORD_FINDINGS = "record_findings"  # M14.2: an auditor records its department's findings
    VIEW_FINDINGS_ALL = "view_findings_all"  # M14.2: the bureau and auditors read issued findings
    RECTIFY_FINDINGS = "rectify_findings"  # M14.2: an inspected unit rectifies its findings


_EVERY_MEMBER: Final[frozenset[Capability]] = frozenset(
    {Capability.VIEW_OWN_ORGANISATION, Capability.USE_API}
)

CAPABILITIES: Final[dict[Role, frozenset[Capability]]] = {
    Role.RESEARCHER: _EVERY_MEMBER
    | {Capability.VIEW_UNIT_ACHIEVEMENTS, Capability.APPLY_EMPOWERMENT},
    Role.TRANSFER_OFFICE: _EVERY_MEMBER
    | {
        Capability.MANAGE_MEMBERS,
        Capability.VIEW_AUDIT,
        Capability.MANAGE_ACHIEVEMENTS,
        Capability.VIEW_UNIT_ACHIEVEMENTS,
        Capability.MANAGE_EMPOWERMENT,
        Capability.MANAGE_LICENCES,
        Capability.MANAGE_CONTRACTS,
        Capability.ANSWER_DEMANDS,
        Capability.REQUEST_PRE_EXAMINATION,
        Capability.FILE_IP_CASES,
        Capability.REQUEST_EVALUATION,
        Capability.RAISE_DIFFICULTIES,
        Capability.FILE_UNIT_REPORTS,
        Capability.RECTIFY_FINDINGS,
    },
    Role.ENTERPRISE: _EVERY_MEMBER
    | {
        Capability.MANAGE_MEMBERS,
        Capability.HOLD_LICENCES,
        Capability.POST_DEMANDS,
        Capability.APPLY_VOUCHERS,
        Capability.REQUEST_PRE_EXAMINATION,
        Capability.FILE_IP_CASES,
        Capability.REQUEST_EVALUATION,
        Capability.APPLY_FINANCE,
        Capability.RAISE_DIFFICULTIES,
        Capability.RECTIFY_FINDINGS,
    },
    Role.SERVICE_BROKER: _EVERY_MEMBER
    | {
        Capability.MANAGE_MEMBERS,
        Capability.ANSWER_DEMANDS,
        Capability.MANAGE_INSTITUTION,
        Capability.REDEEM_VOUCHERS,
        Capability.EVALUATE_RESULTS,
        Capability.RAISE_DIFFICULTIES,
        Capability.RECTIFY_FINDINGS,
    },
    Role.BUREAU: _EVERY_MEMBER
    | {
        Capability.MANAGE_MEMBERS,
        Capability.MANAGE_MEMBERS_ALL,
        Capability.VERIFY_ORGANISATIONS_ALL,
        Capability.VIEW_AUDIT,
        Capability.VIEW_AUDIT_ALL,
        Capability.VERIFY_AUDIT_CHAIN_ALL,
        Capability.PUBLISH_POLICY_ALL,
        Capability.VIEW_UNIT_ACHIEVEMENTS_ALL,
        Capability.REVIEW_ACHIEVEMENTS_ALL,
        Capability.MANAGE_PROJECTS_ALL,
        Capability.CURATE_CATALOG_ALL,
        Capability.APPROVE_STATE_EQUITY_ALL,
        Capability.MODERATE_DEMANDS_ALL,
        Capability.MANAGE_PARTNERSHIPS_ALL,
        Capability.CERTIFY_INSTITUTIONS_ALL,
        Capability.PRE_EXAMINE_ALL,
        Capability.HANDLE_IP_CASES_ALL,
        Capability.MANAGE_VOUCHERS_ALL,
        Capability.MANAGE_MEETING_ALL,
        Capability.VIEW_MEETING_ALL,
        Capability.REVIEW_UNIT_REPORTS_ALL,
        Capability.VIEW_UNIT_REPORTS_ALL,
        Capability.VIEW_STATISTICS_ALL,
        Capability.VIEW_FINDINGS_ALL,
    },
    Role.INVESTMENT_PLATFORM: _EVERY_MEMBER
    | {
        Capability.MANAGE_MEMBERS,
        Capability.MANAGE_INVESTMENTS,
        Capability.REQUEST_EVALUATION,
        Capability.RECTIFY_FINDINGS,
    },
    Role.FINANCIAL_INSTITUTION: _EVERY_MEMBER
    | {
        Capability.MANAGE_MEMBERS,
        Capability.REQUEST_EVALUATION,
        Capability.MANAGE_FINANCE,
        Capability.RECTIFY_FINDINGS,
    },
    # M14.2: the auditor reads everything and changes nothing, but for the findings of its own
    # department's inspections, audits and supervisions (READ_ONLY_EXCEPTIONS).
    Role.AUDITOR: _EVERY_MEMBER
    | {
        Capability.VIEW_AUDIT,
        Capability.VIEW_AUDIT_ALL,
        Capability.VERIFY_AUDIT_CHAIN_ALL,
        Capability.VIEW_UNIT_ACHIEVEMENTS_ALL,
        Capability.VIEW_MEETING_ALL,
        Capability.VIEW_UNIT_REPORTS_ALL,
        Capability.VIEW_STATISTICS_ALL,
        Capability.RECORD_FINDINGS,
        Capability.VIEW_FINDINGS_ALL,
    },
    # M8.4: a partner abroad acts for the enterprises it referred (or that agreed), never as them.
    Role.PARTNER: _EVERY_MEMBER
    | {
        Capability.MANAGE_MEMBERS,
        Capability.REFER_ENTERPRISES,
        Capability.POST_DEMANDS_FOR_REFERRED,
        Capability.VIEW_REFERRED_CASES,
    },
}

#: Roles that may never change anything, whatever else the table says.
READ_ONLY_ROLES: Final[frozenset[Role]] = frozenset({Role.AUDITOR})

#: M14.2: the one thing a read-only role writes: its own department's findings (recorded,
#: issued, amended, rectifications reviewed), never anything else anywhere.
READ_ONLY_EXCEPTIONS: Final[frozenset[Capability]] = frozenset({Capability.RECORD_FINDINGS})


def role_allowed_in(role: Role, kind: OrganisationKind) -> bool:
    """Whether ``role`` can be held in an organisation of ``kind``."""
    return kind in ROLE_ORGANISATION_KINDS[role]


def role_can(role: Role, capability: Capability) -> bool:
    """Whether ``role`` carries ``capability`` (for its own organisation, or for all when the
    capability ends in ``_all``)."""
    return capability in CAPABILITIES[role]


def global_capability(capability: Capability) -> Capability | None:
    """The ``_all`` counterpart of a capability that otherwise reaches one's own organisation."""
    if capability.value.endswith("_all"):
        return capability
    try:
        return Capability(capability.value + "_all")
    except ValueError:
        return None


def is_reform_unit(kind: OrganisationKind, *, municipal: bool) -> bool:
    """M1.1: municipal universities, research institutes and medical institutions."""
    return municipal and kind in RESEARCH_UNIT_KINDS
