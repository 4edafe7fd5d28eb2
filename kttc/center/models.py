"""The center's models, each in its mechanism's package; re-exported here for Django's model
discovery and for ``from kttc.center.models import …``."""

from kttc.center.alerts.models import FollowedField, SavedSearch
from kttc.center.catalog.models import MajorRelease, PromotionEntry
from kttc.center.demands.models import Demand, DemandAnswer, DemandTranslation
from kttc.center.evaluation.models import DimensionScore, Evaluation, EvaluationReport
from kttc.center.finance.models import (
    FinanceApplication,
    FinanceProduct,
    Instalment,
    Pledge,
    Repayment,
)
from kttc.center.inquiries.models import Inquiry, InquiryMessage
from kttc.center.institutions.models import (
    ApplicationDocument,
    BrokerProfile,
    BrokerReward,
    BrokerRewardLine,
    CertificationApplication,
    Facilitation,
    Subsidy,
)
from kttc.center.ip_protection.models import IpCase, IpCaseEvidence, MediationSession
from kttc.center.ip_services.models import PreExamination, PreExaminationDocument
from kttc.center.listings.models import Bid, Listing, Registration
from kttc.center.matching.models import DemandMatch
from kttc.center.partners.models import PartnerConsent, Partnership
from kttc.center.rates.models import ExchangeRate, ReaderCurrency
from kttc.center.search.models import ResultVector
from kttc.center.vouchers.models import (
    Voucher,
    VoucherApplication,
    VoucherProgramme,
    VoucherRedemption,
)

__all__ = [
    "ApplicationDocument",
    "Bid",
    "BrokerProfile",
    "BrokerReward",
    "BrokerRewardLine",
    "CertificationApplication",
    "Demand",
    "DemandAnswer",
    "DemandMatch",
    "DemandTranslation",
    "DimensionScore",
    "Evaluation",
    "EvaluationReport",
    "ExchangeRate",
    "Facilitation",
    "FinanceApplication",
    "FinanceProduct",
    "FollowedField",
    "Inquiry",
    "InquiryMessage",
    "Instalment",
    "IpCase",
    "IpCaseEvidence",
    "Listing",
    "MajorRelease",
    "MediationSession",
    "PartnerConsent",
    "Partnership",
    "Pledge",
    "PreExamination",
    "PreExaminationDocument",
    "PromotionEntry",
    "ReaderCurrency",
    "Registration",
    "Repayment",
    "ResultVector",
    "SavedSearch",
    "Subsidy",
    "Voucher",
    "VoucherApplication",
    "VoucherProgramme",
    "VoucherRedemption",
]
