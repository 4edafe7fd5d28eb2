"""The reform part's models, one package per mechanism: the empowerment reform (M1,
``kttc.reform.empowerment``), "use first, pay later" licences (M3, ``kttc.reform.licensing``) and
time-limited transformation (M4.4, ``kttc.reform.transformation``). Django finds them through
this module, and ``from kttc.reform.models import Licence`` keeps working."""

from kttc.reform.empowerment.models import (
    AgreementSignature,
    EmpowermentAgreement,
    EmpowermentApplication,
    EmpowermentDocument,
    EmpowermentEvent,
    EmpowermentGrant,
    EmpowermentNotice,
    EmpowermentRules,
    Objection,
    RightExtension,
)
from kttc.reform.licensing.models import (
    CreditRecord,
    Licence,
    LicenceApplication,
    LicenceInstalment,
    LicenceOffer,
    LicencePayment,
    RevenueReport,
)
from kttc.reform.transformation.models import (
    OpenLicensingEntry,
    Transformation,
    TransformationJustification,
)

__all__ = [
    "AgreementSignature", "CreditRecord", "EmpowermentAgreement", "EmpowermentApplication",
    "EmpowermentDocument", "EmpowermentEvent", "EmpowermentGrant", "EmpowermentNotice",
    "EmpowermentRules", "Licence", "LicenceApplication", "LicenceInstalment", "LicenceOffer",
    "LicencePayment", "Objection", "OpenLicensingEntry", "RevenueReport", "RightExtension",
    "Transformation", "TransformationJustification",
]  # fmt: skip
