"""The empowerment reform (M1): each unit's own rules, the completers' applications with their
documents, the notice inside the unit and its objections, the written agreement and its
signatures, and the granted rights with their extensions. Events, documents, signatures and
extensions are evidence: never updated or deleted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kttc.core.models import Evidence, KeptDocument, Organisation
from kttc.policy import empowerment as empowerment_rules
from kttc.reform.empowerment import choices
from kttc.registry.models import Achievement


class EmpowermentRules(models.Model):
    """M1.3: a reform unit's own empowerment rules."""

    unit = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="empowerment_rules",
        verbose_name=_("unit"),
    )
    grants_ownership = models.BooleanField(_("grants ownership"), default=False)
    grants_long_term_use = models.BooleanField(_("grants long-term use rights"), default=True)
    max_term_years = models.PositiveSmallIntegerField(
        _("longest initial term of a long-term use right (years)"), null=True, blank=True
    )
    required_documents = models.JSONField(_("required documents"), default=list, blank=True)
    regulations = models.TextField(_("the unit's empowerment regulations"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("empowerment rules")
        verbose_name_plural = _("empowerment rules")

    def __str__(self) -> str:
        return str(self.unit)

    @property
    def rights(self) -> frozenset[empowerment_rules.Right]:
        offered = set()
        if self.grants_ownership:
            offered.add(empowerment_rules.Right.OWNERSHIP)
        if self.grants_long_term_use:
            offered.add(empowerment_rules.Right.LONG_TERM_USE)
        return frozenset(offered)

    def as_policy(self) -> empowerment_rules.UnitRules:
        return empowerment_rules.UnitRules(
            self.rights, self.max_term_years, tuple(self.required_documents or ())
        )


class EmpowermentApplication(models.Model):
    """M1.4: the completers apply to their unit for ownership or a long-term use right of a
    result, with a transformation implementation plan, alone or with partner units."""

    achievement = models.ForeignKey(
        Achievement,
        on_delete=models.PROTECT,
        related_name="empowerment_applications",
        verbose_name=_("result"),
    )
    unit = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="empowerment_applications",
        verbose_name=_("unit"),
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="empowerment_applications",
        verbose_name=_("applicant"),
    )
    right = models.CharField(_("right"), max_length=16, choices=choices.Right.choices)
    term_years = models.PositiveSmallIntegerField(_("term (years)"), null=True, blank=True)
    team = models.JSONField(_("completers (team)"), default=list)
    partners = models.JSONField(_("partner units"), default=list, blank=True)
    summary = models.TextField(_("summary of the plan"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=choices.ApplicationStatus.choices,
        default=choices.ApplicationStatus.APPLIED,
    )
    reason = models.TextField(_("reason"), blank=True)
    applied_on = models.DateField(_("applied on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("empowerment application")
        verbose_name_plural = _("empowerment applications")
        ordering = ("-created_at", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=("achievement",),
                condition=models.Q(status__in=sorted(s.value for s in empowerment_rules.OPEN)),
                name="one_open_empowerment_application_per_result",
            ),
        )
        indexes = (models.Index(fields=("unit", "status")),)

    def __str__(self) -> str:
        return f"{self.achievement} · {self.get_right_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in empowerment_rules.OPEN


class EmpowermentDocument(KeptDocument):
    """A document of an application: its name, its SHA-256 (also in the audit chain) and the
    file, stored under MEDIA_ROOT by its hash."""

    application = models.ForeignKey(
        EmpowermentApplication, on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=choices.DocumentKind.choices)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ("uploaded_at", "id")


class EmpowermentNotice(models.Model):
    """M1.5: the notice inside the unit, its period computed once at publication from the
    parameter in force that day, and stored."""

    application = models.OneToOneField(
        EmpowermentApplication, on_delete=models.PROTECT, related_name="notice"
    )
    published_on = models.DateField(_("published on"))
    days = models.PositiveSmallIntegerField(_("notice period (days)"))
    min_days = models.PositiveSmallIntegerField(_("minimum in force (days)"))
    policy_version = models.CharField(_("policy version"), max_length=40)
    last_day = models.DateField(_("last day of the notice"))
    grant_from = models.DateField(_("grant possible from"), db_index=True)
    text = models.TextField(_("text of the notice"))
    text_sha256 = models.CharField(_("SHA-256 of the text"), max_length=64)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("empowerment notice")
        verbose_name_plural = _("empowerment notices")
        ordering = ("-published_on", "-id")

    def __str__(self) -> str:
        return f"{self.application} ({self.published_on:%Y-%m-%d}–{self.last_day:%Y-%m-%d})"

    def as_policy(self) -> empowerment_rules.NoticePeriod:
        return empowerment_rules.NoticePeriod(
            self.published_on, self.days, self.last_day, self.grant_from
        )


class Objection(models.Model):
    """M1.5: an objection a member of the unit raised during the notice, and its answer."""

    notice = models.ForeignKey(
        EmpowermentNotice, on_delete=models.PROTECT, related_name="objections"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_on = models.DateField(_("raised on"))
    text = models.TextField(_("objection"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.notice_id}: {self.text[:40]}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class EmpowermentAgreement(models.Model):
    """M1.6: the written agreement between unit and completers: the team's share of the net
    income and the other terms; its text and hash are fixed once either side signs."""

    application = models.OneToOneField(
        EmpowermentApplication, on_delete=models.PROTECT, related_name="agreement"
    )
    team_share = models.DecimalField(
        _("completers' share of net income"), max_digits=5, decimal_places=4
    )
    min_share = models.DecimalField(_("minimum in force"), max_digits=5, decimal_places=4)
    terms = models.TextField(_("other terms"))
    text = models.TextField(_("text of the agreement"))
    text_sha256 = models.CharField(_("SHA-256 of the text"), max_length=64)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("empowerment agreement")
        verbose_name_plural = _("empowerment agreements")

    def __str__(self) -> str:
        return str(self.application)

    def signed_by(self, side: str) -> AgreementSignature | None:
        return next((s for s in self.signatures.all() if s.side == side), None)

    @property
    def fully_signed(self) -> bool:
        return {s.side for s in self.signatures.all()} == set(choices.Side.values)


class AgreementSignature(Evidence):
    """M1.6: one side's signature on the platform: who, when, and the hash of the text signed."""

    agreement = models.ForeignKey(
        EmpowermentAgreement, on_delete=models.PROTECT, related_name="signatures"
    )
    side = models.CharField(_("side"), max_length=8, choices=choices.Side.choices)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_on = models.DateField(_("signed on"))
    signed_at = models.DateTimeField(_("signed"), auto_now_add=True)
    text_sha256 = models.CharField(_("SHA-256 of the text signed"), max_length=64)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ("signed_at", "id")
        constraints = (
            models.UniqueConstraint(fields=("agreement", "side"), name="one_signature_per_side"),
        )

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.side}"


class EmpowermentGrant(models.Model):
    """M1.2: a right granted to the completers; shown on the result's pages."""

    application = models.OneToOneField(
        EmpowermentApplication, on_delete=models.PROTECT, related_name="grant"
    )
    achievement = models.ForeignKey(
        Achievement, on_delete=models.PROTECT, related_name="empowerment_grants"
    )
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    right = models.CharField(_("right"), max_length=16, choices=choices.Right.choices)
    holders = models.JSONField(_("holders"), default=list)
    partners = models.JSONField(_("partner units"), default=list, blank=True)
    team_share = models.DecimalField(
        _("completers' share of net income"), max_digits=5, decimal_places=4
    )
    starts_on = models.DateField(_("in force from"))
    ends_on = models.DateField(_("in force until"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=choices.RightStatus.choices,
        default=choices.RightStatus.ACTIVE,
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    closed_on = models.DateField(_("ended on"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        verbose_name = _("granted right")
        verbose_name_plural = _("granted rights")
        ordering = ("-starts_on", "-id")
        indexes = (models.Index(fields=("status", "ends_on")),)

    def __str__(self) -> str:
        return f"{self.achievement} · {self.get_right_display()}"


class RightExtension(Evidence):
    """M1.7: the unit extended a long-term use right on the team's progress and income report."""

    grant = models.ForeignKey(EmpowermentGrant, on_delete=models.PROTECT, related_name="extensions")
    previous_end = models.DateField(_("previous last day"))
    new_end = models.DateField(_("new last day"))
    years = models.PositiveSmallIntegerField(_("extended by (years)"))
    report = models.TextField(_("progress and income report"))
    report_document = models.ForeignKey(
        EmpowermentDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("decided on"))
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ("decided_at", "id")

    def __str__(self) -> str:
        return f"{self.grant_id}: {self.previous_end} → {self.new_end}"


class EmpowermentEvent(Evidence):
    """One step of an application or of its right. Never updated or deleted."""

    application = models.ForeignKey(
        EmpowermentApplication, on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(max_length=16, choices=choices.EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind}"
