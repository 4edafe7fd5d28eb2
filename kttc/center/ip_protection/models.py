"""IP protection cases (M11.2): a rights holder's infringement complaint or request for patent
dispute adjudication, its evidence kept by hash, the mediation sessions, the hearing, the
decision, the enforcement of its measures and the decision's publication without personal
data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.center.ip_protection.choices import CaseKind, CaseStatus, MediationOutcome, Outcome
from kttc.core.models import Evidence, KeptDocument, Organisation


class IpCase(models.Model):
    """A case as filed and as handled, each step dated with its limit."""

    kind = models.CharField(_("kind"), max_length=16, choices=CaseKind.choices)
    complainant = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="ip_cases_filed",
        verbose_name=_("complainant"),
    )  # fmt: skip
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    #: The other party as named by the complainant; linked to its organisation when it is on
    #: the platform (by its unified social credit code).
    respondent_name = models.CharField(_("respondent"), max_length=200)
    respondent = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True,
        related_name="ip_cases_against", verbose_name=_("respondent on the platform"),
    )  # fmt: skip
    respondent_credit_code = models.CharField(
        _("respondent's unified social credit code"), max_length=18, blank=True
    )
    #: A respondent who is a natural person (or trades under a person's name) is never named
    #: in a publication.
    respondent_is_person = models.BooleanField(
        _("the respondent is a natural person"), default=False
    )
    #: Kept for the center's notices only; never published.
    respondent_address = models.CharField(_("respondent's address"), max_length=300, blank=True)
    patent_number = models.CharField(_("patent number"), max_length=20)
    patent_title = models.CharField(_("title of the patent"), max_length=200, blank=True)
    facts = models.TextField(_("facts and request"))
    #: The people the case names (agents, representatives, witnesses): left out when published.
    persons = models.JSONField(_("people named"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.FILED
    )
    filed_on = models.DateField(_("filed on"))
    #: DESIGN rule 5: each step's limit, computed once when the case enters it and kept.
    intake_due_on = models.DateField(_("intake due on"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    mediation_due_on = models.DateField(_("mediation due on"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    refused_on = models.DateField(_("refused on"), null=True, blank=True)
    agreement = models.TextField(_("agreement"), blank=True)
    settled_on = models.DateField(_("settled on"), null=True, blank=True)
    decision_due_on = models.DateField(_("decision due on"), null=True, blank=True)
    hearing_on = models.DateField(_("hearing on"), null=True, blank=True)
    hearing_place = models.CharField(_("hearing place"), max_length=200, blank=True)
    hearing_record = models.TextField(_("hearing record"), blank=True)
    decision = models.TextField(_("decision"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices, blank=True)
    measures = models.TextField(_("measures ordered"), blank=True)
    enforcement_due_on = models.DateField(_("enforcement due on"), null=True, blank=True)
    enforcement_record = models.TextField(_("enforcement record"), blank=True)
    enforced_on = models.DateField(_("enforced on"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    #: The decision as published: redacted once, at publication, and kept.
    published_text = models.TextField(_("published decision"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    #: The limit of the step the case waits for (None when none runs), and the sweep's claims
    #: on it (DESIGN rule 5), cleared at each step.
    due_on = models.DateField(_("due on"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("IP protection case")
        verbose_name_plural = _("IP protection cases")
        ordering = ("-filed_on", "-id")
        indexes = (
            models.Index(fields=("status", "due_on")),
            models.Index(fields=("published_on",)),
        )

    def __str__(self) -> str:
        return f"{self.number} · {self.complainant} / {self.respondent_name}"

    @property
    def number(self) -> str:
        """The case's number as the center writes it."""
        return f"KTTC-IP-{self.filed_on:%Y}-{self.pk:05d}"


class IpCaseEvidence(KeptDocument):
    """A piece of evidence of a case: its title, file name, SHA-256 (also in the audit chain)
    and the file, stored under MEDIA_ROOT by its hash."""

    case = models.ForeignKey(IpCase, on_delete=models.PROTECT, related_name="evidence")

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ("uploaded_at", "id")


class MediationSession(Evidence):
    """A mediation session, written once: its day, outcome and notes."""

    case = models.ForeignKey(IpCase, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField(_("held on"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=MediationOutcome.choices)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ("held_on", "id")

    def __str__(self) -> str:
        return f"{self.case_id} · {self.held_on} · {self.outcome}"
