"""Kinds and roles with their translated labels; the values come from ``kttc.policy.roles``."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.policy.roles import OrganisationKind as PolicyKind
from kttc.policy.roles import Role as PolicyRole


class OrganisationKind(models.TextChoices):
    UNIVERSITY = PolicyKind.UNIVERSITY.value, _("University")
    RESEARCH_INSTITUTE = PolicyKind.RESEARCH_INSTITUTE.value, _("Research institute")
    MEDICAL_INSTITUTION = PolicyKind.MEDICAL_INSTITUTION.value, _("Medical and health institution")
    ENTERPRISE = PolicyKind.ENTERPRISE.value, _("Enterprise")
    SERVICE_INSTITUTION = PolicyKind.SERVICE_INSTITUTION.value, _("Transfer service institution")
    INVESTMENT_PLATFORM = PolicyKind.INVESTMENT_PLATFORM.value, _("Investment platform")
    FINANCIAL_INSTITUTION = PolicyKind.FINANCIAL_INSTITUTION.value, _("Financial institution")
    GOVERNMENT_DEPARTMENT = PolicyKind.GOVERNMENT_DEPARTMENT.value, _("Government department")


class Role(models.TextChoices):
    RESEARCHER = PolicyRole.RESEARCHER.value, _("Researcher")
    TRANSFER_OFFICE = PolicyRole.TRANSFER_OFFICE.value, _("Unit technology transfer office")
    ENTERPRISE = PolicyRole.ENTERPRISE.value, _("Enterprise")
    SERVICE_BROKER = PolicyRole.SERVICE_BROKER.value, _("Service institution / technology broker")
    BUREAU = PolicyRole.BUREAU.value, _("Municipal S&T bureau")
    INVESTMENT_PLATFORM = PolicyRole.INVESTMENT_PLATFORM.value, _("Investment platform")
    FINANCIAL_INSTITUTION = PolicyRole.FINANCIAL_INSTITUTION.value, _("Financial institution")
    AUDITOR = PolicyRole.AUDITOR.value, _("Auditor (read-only oversight)")


#: What each audited action means, for people reading the chain; unknown actions show their code.
AUDIT_ACTION_LABELS = {
    "organisation.register": _("Organisation registered"),
    "organisation.update": _("Organisation record corrected"),
    "organisation.verify": _("Organisation verified"),
    "organisation.sign_up": _("Organisation signed up"),
    "organisation.reject": _("Organisation not verified"),
    "user.confirm": _("E-mail confirmed"),
    "invitation.create": _("Colleague invited"),
    "invitation.revoke": _("Invitation withdrawn"),
    "invitation.accept": _("Invitation accepted"),
    "membership.grant": _("Role granted"),
    "membership.revoke": _("Role revoked"),
    "policy.version_publish": _("Policy version published"),
    "policy.version_withdraw": _("Pending policy version withdrawn"),
}
