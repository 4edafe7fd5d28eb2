"""Service institutions and technology brokers (M9): the brokers an institution registers, its
application for certification as a key demonstration service institution (认定) with its
materials, the bureau's decision, the subsidy of a certification (M9.1) and the brokers' reward
from it (M9.2). The documents, the subsidy and the reward are evidence, written once (M14.1)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.benefits.contracts.models import TechnologyContract
from kttc.center.demands.models import Demand
from kttc.center.institutions.choices import ApplicationStatus, CertificateLevel, DealKind
from kttc.center.listings.models import Listing
from kttc.core.fields import MoneyField
from kttc.core.models import Evidence, KeptDocument, Organisation
from kttc.policy import institutions as rules
from kttc.reform.licensing.models import Licence


class BrokerProfile(models.Model):
    """A technology broker (技术经纪人) of a service institution, registered by its staff: the
    person (a member of the institution), their certificate's number and level, their fields
    and the languages they work in. Withdrawing keeps the row (its rewards point to it)."""

    institution = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="brokers",
        verbose_name=_("service institution"),
    )  # fmt: skip
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="broker_profiles",
        verbose_name=_("broker"),
    )  # fmt: skip
    certificate_number = models.CharField(_("certificate number"), max_length=40)
    certificate_level = models.CharField(
        _("certificate level"), max_length=16, choices=CertificateLevel.choices
    )
    fields = models.JSONField(_("fields"), default=list)
    languages = models.JSONField(_("languages"), default=list)
    introduction = models.TextField(_("introduction"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("technology broker")
        verbose_name_plural = _("technology brokers")
        ordering = ("institution", "id")
        constraints = (
            models.UniqueConstraint(
                fields=("certificate_number",),
                condition=models.Q(withdrawn_at__isnull=True),
                name="broker_certificate_once",
            ),
            models.UniqueConstraint(
                fields=("institution", "person"),
                condition=models.Q(withdrawn_at__isnull=True),
                name="broker_once_per_institution",
            ),
        )

    def __str__(self) -> str:
        return f"{self.person.full_name} ({self.certificate_number})"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def language_names(self) -> list[str]:
        """The broker's languages, each named in itself."""
        from kttc.center.demands.choices import DemandLanguage

        names = dict(DemandLanguage.choices)
        return [str(names.get(code, code)) for code in self.languages]


class CertificationApplication(models.Model):
    """An institution's application for certification as a key demonstration service
    institution (M9.1), its record on the platform when it applied, and the bureau's decision:
    certified for a term, refused with a reason, or revoked with a reason."""

    institution = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="certifications",
        verbose_name=_("service institution"),
    )  # fmt: skip
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    statement = models.TextField(_("statement"))
    #: The institution's record on the platform the day it applied.
    answers_count = models.PositiveIntegerField(_("demands answered"), default=0)
    deals_count = models.PositiveIntegerField(_("deals facilitated"), default=0)
    brokers_count = models.PositiveIntegerField(_("brokers"), default=0)
    applied_on = models.DateField(_("applied on"))
    status = models.CharField(
        _("status"), max_length=16, choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )  # fmt: skip
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    term_start = models.DateField(_("term from"), null=True, blank=True)
    term_end = models.DateField(_("term until"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoke_reason = models.TextField(_("reason for revocation"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("application for certification")
        verbose_name_plural = _("applications for certification")
        ordering = ("-applied_on", "-id")
        indexes = (models.Index(fields=("status", "applied_on")),)
        constraints = (
            models.UniqueConstraint(
                fields=("institution",),
                condition=models.Q(status=ApplicationStatus.SUBMITTED),
                name="one_waiting_certification_per_institution",
            ),
        )

    def __str__(self) -> str:
        return f"{self.institution} · {self.applied_on:%Y-%m-%d}"

    def in_force(self, on: date) -> bool:
        """Certified, not revoked, and ``on`` within its term."""
        return rules.in_force(self.status, self.term_start, self.term_end, on)


class ApplicationDocument(KeptDocument):
    """A material of an application: its title, file name, SHA-256 (also in the audit chain)
    and the file, stored under MEDIA_ROOT by its hash."""

    application = models.ForeignKey(
        CertificationApplication, on_delete=models.PROTECT, related_name="documents"
    )

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ("uploaded_at", "id")


class Subsidy(Evidence):
    """M9.1: the subsidy of one certification, at the parameter in force on the day of the
    certification, and the day the bureau disbursed it. Once per certification."""

    certification = models.OneToOneField(
        CertificationApplication, on_delete=models.PROTECT, related_name="subsidy"
    )
    amount = MoneyField(_("amount (yuan)"))
    policy_version = models.CharField(_("policy version"), max_length=40)
    disbursed_on = models.DateField(_("disbursed on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("subsidy")
        verbose_name_plural = _("subsidies")
        ordering = ("-disbursed_on", "-id")

    def __str__(self) -> str:
        return f"{self.certification.institution} · {self.amount}"


class BrokerReward(Evidence):
    """M9.2: the institution's decision to reward its brokers from a subsidy: the total (at
    least the minimum share in force of the subsidy) and its lines. Once per subsidy."""

    subsidy = models.OneToOneField(Subsidy, on_delete=models.PROTECT, related_name="reward")
    total = MoneyField(_("brokers' total (yuan)"))
    min_share = models.DecimalField(_("minimum share in force"), max_digits=6, decimal_places=4)
    minimum = MoneyField(_("minimum (yuan)"))
    policy_version = models.CharField(_("policy version"), max_length=40)
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("brokers' reward")
        verbose_name_plural = _("brokers' rewards")
        ordering = ("-decided_on", "-id")

    def __str__(self) -> str:
        return f"{self.subsidy.certification.institution} · {self.total}"


class BrokerRewardLine(Evidence):
    """M9.2: one broker's line of a reward: their agreed share and their amount, to the fen."""

    reward = models.ForeignKey(BrokerReward, on_delete=models.PROTECT, related_name="lines")
    broker = models.ForeignKey(BrokerProfile, on_delete=models.PROTECT, related_name="reward_lines")
    share = models.DecimalField(_("share"), max_digits=14, decimal_places=10)
    amount = MoneyField(_("amount (yuan)"))

    class Meta:
        verbose_name = _("broker's reward line")
        verbose_name_plural = _("brokers' reward lines")
        ordering = ("reward", "-amount", "id")
        constraints = (
            models.UniqueConstraint(fields=("reward", "broker"), name="one_line_per_broker"),
        )

    def __str__(self) -> str:
        return f"{self.broker} · {self.amount}"

    @property
    def percent(self) -> str:
        """The share as a percentage: 0.6 reads "60%"."""
        from kttc.policy.money import percent

        return percent(self.share.normalize())


_DEALS = ("licence", "contract", "listing", "demand")


def _only(kind: str) -> models.Q:
    """The deal of ``kind`` set, the three others empty."""
    return models.Q(kind=kind, **{f"{deal}__isnull": deal != kind for deal in _DEALS})


class Facilitation(models.Model):
    """M9: a broker named by a party to a deal as having facilitated it: a licence or a
    technology contract of the unit, a listing of the unit, or a demand of the enterprise.
    Exactly one of the four is set. Removing keeps the row (the broker's record is public and
    its history is evidence, M14.1); a live link exists once per broker and deal."""

    broker = models.ForeignKey(
        BrokerProfile, on_delete=models.PROTECT, related_name="facilitations",
        verbose_name=_("technology broker"),
    )  # fmt: skip
    kind = models.CharField(_("deal"), max_length=16, choices=DealKind.choices)
    licence = models.ForeignKey(
        Licence, on_delete=models.PROTECT, related_name="facilitations", null=True, blank=True
    )
    contract = models.ForeignKey(
        TechnologyContract, on_delete=models.PROTECT, related_name="facilitations",
        null=True, blank=True,
    )  # fmt: skip
    listing = models.ForeignKey(
        Listing, on_delete=models.PROTECT, related_name="facilitations", null=True, blank=True
    )
    demand = models.ForeignKey(
        Demand, on_delete=models.PROTECT, related_name="facilitations", null=True, blank=True
    )
    #: The party that named the broker: the unit of the licence, contract or listing, or the
    #: organisation of the demand.
    party = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)

    class Meta:
        verbose_name = _("deal facilitated")
        verbose_name_plural = _("deals facilitated")
        ordering = ("-recorded_at", "-id")
        constraints = (
            models.CheckConstraint(
                condition=_only("licence") | _only("contract") | _only("listing") | _only("demand"),
                name="facilitation_one_deal",
            ),
            *(
                models.UniqueConstraint(
                    fields=("broker", target),
                    condition=models.Q(removed_at__isnull=True, **{f"{target}__isnull": False}),
                    name=f"facilitation_once_per_{target}",
                )
                for target in _DEALS
            ),
        )

    def __str__(self) -> str:
        return f"{self.broker} · {self.get_kind_display()}"

    @property
    def deal(self) -> Licence | TechnologyContract | Listing | Demand:
        found = self.licence or self.contract or self.listing or self.demand
        assert found is not None  # the check constraint sets exactly one
        return found
