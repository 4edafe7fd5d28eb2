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
    PARTNER_ABROAD = PolicyKind.PARTNER_ABROAD.value, _("Partner organisation abroad")


class Role(models.TextChoices):
    RESEARCHER = PolicyRole.RESEARCHER.value, _("Researcher")
    TRANSFER_OFFICE = PolicyRole.TRANSFER_OFFICE.value, _("Unit technology transfer office")
    ENTERPRISE = PolicyRole.ENTERPRISE.value, _("Enterprise")
    SERVICE_BROKER = PolicyRole.SERVICE_BROKER.value, _("Service institution / technology broker")
    BUREAU = PolicyRole.BUREAU.value, _("Municipal S&T bureau")
    INVESTMENT_PLATFORM = PolicyRole.INVESTMENT_PLATFORM.value, _("Investment platform")
    FINANCIAL_INSTITUTION = PolicyRole.FINANCIAL_INSTITUTION.value, _("Financial institution")
    AUDITOR = PolicyRole.AUDITOR.value, _("Auditor (read-only oversight)")
    PARTNER = PolicyRole.PARTNER.value, _("Staff of a partner organisation abroad")


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
    "achievement.create": _("Result entered"),
    "achievement.update": _("Result corrected"),
    "achievement.submitted": _("Result submitted to the platform"),
    "achievement.published": _("Result published"),
    "achievement.returned": _("Result returned for changes"),
    "achievement.withdrawn": _("Result withdrawn"),
    "contract.create": _("Technology contract recorded"),
    "contract.register": _("Contract registration recorded"),
    "contract.cost": _("Deductible cost recorded"),
    "contract.income_from_licence": _("Licence income taken into the contract"),
    "contract.income_rules": _("Unit's income rules set"),
    "distribution.decide": _("Income distribution decided"),
    "listing.publish": _("Result listed for bidding"),
    "listing.register": _("Bidder registered"),
    "listing.deposit": _("Bidder's deposit recorded"),
    "listing.refund": _("Bidder's deposit returned"),
    "listing.bid": _("Bid placed"),
    "listing.close": _("Bidding closed"),
    "listing.award": _("Winner's contract recorded"),
    "listing.withdraw": _("Listing withdrawn"),
    "demand.posted": _("Demand posted"),
    "demand.posted_on_behalf": _("Demand posted by a partner abroad for an enterprise"),
    "demand.translated": _("Demand translations saved"),
    "organisation.refer": _("Enterprise referred by a partner abroad"),
    "partner.partnership_record": _("Partnership with a partner abroad recorded"),
    "partner.consent_give": _("Enterprise agreed that a partner abroad posts its demands"),
    "partner.consent_withdraw": _("Enterprise withdrew its agreement with a partner abroad"),
    "institution.broker_register": _("Technology broker registered"),
    "institution.broker_update": _("Technology broker's record corrected"),
    "institution.broker_withdraw": _("Technology broker withdrawn"),
    "institution.apply": _("Service institution applied for certification"),
    "institution.certify": _("Service institution certified"),
    "institution.refuse": _("Certification of a service institution refused"),
    "institution.revoke": _("Certification of a service institution revoked"),
    "institution.subsidy_record": _("Subsidy of a certified institution recorded"),
    "institution.reward_decide": _("Brokers' reward from the subsidy decided"),
    "institution.facilitation_record": _("Broker named on a deal"),
    "institution.facilitation_remove": _("Broker's name removed from a deal"),
    "pre_examination.file": _("Fast pre-examination requested"),
    "pre_examination.accept": _("Pre-examination request accepted into the queue"),
    "pre_examination.return": _("Pre-examination request returned for correction"),
    "pre_examination.refuse": _("Pre-examination request refused"),
    "pre_examination.resubmit": _("Pre-examination request filed again after correction"),
    "pre_examination.forward": _("Pre-examination request forwarded for national pre-examination"),
    "pre_examination.outcome": _("Outcome of the national pre-examination recorded"),
    "voucher.programme_open": _("Innovation voucher programme opened"),
    "voucher.programme_close": _("Innovation voucher programme closed to applications"),
    "voucher.apply": _("Innovation voucher applied for"),
    "voucher.issue": _("Innovation voucher issued"),
    "voucher.refuse": _("Innovation voucher application refused"),
    "voucher.present": _("Innovation voucher presented to a service institution"),
    "voucher.redeem": _("Innovation voucher redeemed"),
    "voucher.expire": _("Innovation voucher expired unused"),
    "finance.product_publish": _("Finance product published"),
    "finance.product_update": _("Finance product corrected, opened or closed"),
    "finance.apply": _("Finance application filed"),
    "finance.withdraw": _("Finance application withdrawn"),
    "finance.approve": _("Finance application approved"),
    "finance.refuse": _("Finance application refused"),
    "finance.repayment": _("Loan repayment recorded"),
    "finance.repaid": _("Loan fully repaid and its pledges released"),
    "demand.updated": _("Demand corrected"),
    "demand.published": _("Demand published"),
    "demand.rejected": _("Demand rejected"),
    "demand.answered": _("Demand answered"),
    "demand.answer_withdrawn": _("Answer to a demand withdrawn"),
    "empowerment.rules_set": _("Unit's empowerment rules set"),
    "empowerment.apply": _("Empowerment applied for"),
    "empowerment.approved": _("Empowerment application approved"),
    "empowerment.rejected": _("Empowerment application rejected"),
    "empowerment.notice": _("Empowerment notice published"),
    "empowerment.objection_raise": _("Objection raised to a notice"),
    "empowerment.agreement_draw_up": _("Empowerment agreement drawn up"),
    "empowerment.agreement_sign": _("Empowerment agreement signed"),
    "empowerment.granted": _("Right granted to the completers"),
    "inquiry.open": _("Question asked on a result"),
    "inquiry.close": _("Question closed"),
    "invest_first.grant": _("Invest-first funds granted"),
    "invest_first.market_round": _("Market financing round recorded"),
    "invest_first.convert": _("Invest-first funds converted into equity"),
    "invest_first.exit": _("Invest-first exit recorded"),
    "licence.offer": _("Licence offered"),
    "licence.apply": _("Licence applied for"),
    "licence.conclude": _("Licence concluded"),
    "licence.payment": _("Licence payment recorded"),
    "licence.revenue_report": _("Licensee's revenue reported"),
    "open_licensing.list": _("Result put on the open licensing list"),
    "payroll.roster_set": _("A person's payroll data recorded"),
    "payroll.roster_remove": _("A person taken off the payroll roster"),
    "payroll.layout_set": _("Payroll layout set"),
    "payroll.layout_reset": _("Payroll layout back to the default"),
    "project.create": _("Fiscal project recorded"),
    "project.accept": _("Fiscal project acceptance recorded"),
    "transformation.record": _("Transformation recorded"),
    "transformation.justification_file": _("Justification of an unused result filed"),
    "catalog.promote": _("Result put on the promotion list"),
    "catalog.unpromote": _("Result taken off the promotion list"),
    "catalog.major_release": _("Release of major results recorded"),
    "rates.publish": _("Exchange rate published"),
    "equity.investment_record": _("Equity investment of a result recorded"),
    "equity.team_split": _("Team's split of its shares recorded"),
    "state_equity.record": _("State equity matter recorded"),
    "licence.withdraw": _("Licence application withdrawn"),
    "licence.credit_answer": _("Licensee's answer on its credit recorded"),
    "notifications.preferences_set": _("Notification preferences changed"),
    "policy.measures_start": _("Date the measures took effect set"),
    "alerts.field_followed": _("Field followed"),
    "alerts.search_saved": _("Search saved"),
    "alerts.removed": _("Alert removed"),
    "alerts.restored": _("Alert restored"),
    "contract.income": _("Contract income recorded"),
    "demand.closed": _("Demand closed"),
    "demand.closed_met": _("Demand closed as met"),
    "empowerment.objection_answer": _("Objection answered"),
    "empowerment.right_expire": _("Granted right expired"),
    "empowerment.right_extend": _("Granted right extended"),
    "empowerment.right_revoke": _("Granted right revoked"),
    "empowerment.withdrawn": _("Empowerment application withdrawn"),
    "evidence.baseline": _("Evidence held before the chain recorded"),
    "invest_first.stable_development": _("Company's stable development recorded"),
    "licence.breach": _("Licence breach declared"),
    "licence.credit_remove": _("Credit record removed"),
    "licence.decline": _("Licence application declined"),
    "licence.milestone": _("Licence milestone reached"),
    "licence.offer_close": _("Licence offer closed"),
    "open_licensing.list_again": _("Result put back on the open licensing list"),
    "open_licensing.take_off": _("Result taken off the open licensing list"),
    "state_equity.approve": _("State equity matter approved"),
    "state_equity.reject": _("State equity matter rejected"),
    "transformation.justification_accept": _("Justification accepted"),
    "transformation.justification_reject": _("Justification rejected"),
}
