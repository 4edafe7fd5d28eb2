"""Organisations, people and their roles, policy versions, the audit chain and API tokens."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kttc.core.choices import OrganisationKind, Role
from kttc.policy import roles as policy_roles
from kttc.policy.identifiers import USCC_LENGTH

#: ISO 3166-1 alpha-2 of the Chinese mainland: organisations there carry a credit code.
CHINA = "CN"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. What they may do comes from their memberships, never from the person alone;
    ``is_staff`` only opens the Django admin for platform operators."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=100)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        default="zh-hans",
        choices=settings.LANGUAGES,
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("operator"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"


class Organisation(models.Model):
    """A unit, enterprise, institution or department. One registered in the Chinese mainland is
    identified by its unified social credit code (GB 32100-2015, checked in
    ``kttc.policy.identifiers``), one from abroad by its country (ISO 3166-1) and its number in
    that country's register. Self-registered ones wait for the center to verify them."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    is_municipal = models.BooleanField(
        _("municipal"),
        default=False,
        help_text=_("Owned by Kunming city: the scope of M1, M2, M6 and M13.3."),
    )
    #: ISO 3166-1 alpha-2; "CN" for an organisation registered in the Chinese mainland.
    country = models.CharField(_("country or region"), max_length=2, default=CHINA)
    #: A Chinese organisation's identifier; empty for one registered abroad.
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    #: A foreign organisation's number in its country's register; empty for a Chinese one.
    registration_number = models.CharField(
        _("national registration number"), max_length=64, blank=True
    )
    region = models.CharField(_("region"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    #: Public contact, shown on the organisation's results and pages.
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    #: The center refused to verify the organisation (why in ``rejection_reason``); verifying
    #: it later clears both.
    rejected_at = models.DateTimeField(_("rejected"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    #: M8.4: the partner organisation abroad that referred this one to the center for
    #: verification (and may post its demands); empty for one that signed up by itself.
    referred_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("referred by"),
    )
    referred_at = models.DateTimeField(_("referred"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ("name",)
        indexes = (models.Index(fields=("kind", "name")),)
        constraints = (
            # A Chinese organisation is known by its credit code (GB 32100-2015, checked with
            # its check character by the services), a foreign one by its country's register.
            models.CheckConstraint(
                condition=(
                    models.Q(country=CHINA, registration_number="")
                    & models.Q(Exact(Length("credit_code"), USCC_LENGTH))
                )
                | (
                    ~models.Q(country=CHINA)
                    & models.Q(credit_code="")
                    & ~models.Q(registration_number="")
                    & models.Q(Exact(Length("country"), 2))
                ),
                name="organisation_identified_by_its_country",
            ),
            models.UniqueConstraint(
                fields=("credit_code",),
                condition=~models.Q(credit_code=""),
                name="organisation_credit_code_once",
            ),
            models.UniqueConstraint(
                fields=("country", "registration_number"),
                condition=~models.Q(registration_number=""),
                name="organisation_registration_once_per_country",
            ),
        )

    def __str__(self) -> str:
        return self.name

    @property
    def is_foreign(self) -> bool:
        """Registered outside the Chinese mainland: known by its country's register."""
        return self.country != CHINA

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def identifier(self) -> str:
        """The credit code, or the country and its registration number."""
        return f"{self.country} {self.registration_number}" if self.is_foreign else self.credit_code

    @property
    def is_reform_unit(self) -> bool:
        """M1.1: a municipal university, research institute or medical institution."""
        return policy_roles.is_reform_unit(
            policy_roles.OrganisationKind(self.kind), municipal=self.is_municipal
        )


class Membership(models.Model):
    """A person's role in an organisation. Revoking keeps the row (and its audit entry)."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = (
            models.UniqueConstraint(
                fields=("user", "organisation", "role"),
                condition=models.Q(revoked_at__isnull=True),
                name="membership_one_active_per_role",
            ),
        )

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class Invitation(models.Model):
    """A member asks a colleague, by e-mail, to join the organisation with a role. The link
    sent is signed and expires (``kttc.core.accounts.tokens``); it is used once: accepting,
    revoking or expiring ends it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("invited"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ("-created_at", "-id")
        indexes = (models.Index(fields=("organisation", "-created_at")),)

    def __str__(self) -> str:
        return f"{self.email} · {self.get_role_display()} · {self.organisation}"

    def pending(self, now: datetime | None = None) -> bool:
        """Neither accepted, revoked nor expired."""
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > (now or timezone.now())
        )


class ImmutableQuerySet(models.QuerySet[Any]):
    """A queryset without the bulk paths that would rewrite history."""

    def update(self, **kwargs: Any) -> int:
        raise TypeError(f"{self.model.__name__} rows cannot be updated (M14.1).")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError(f"{self.model.__name__} rows cannot be deleted (M14.1).")


class EvidenceQuerySet(ImmutableQuerySet):
    """Evidence rows created in bulk are noted for their decision's audit entry, like one by one."""

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        from kttc.core import integrity

        created = super().bulk_create(objs, *args, **kwargs)
        integrity.evidence_created(created)
        return created


class Evidence(models.Model):
    """A row that is written once: the ORM refuses to change or delete it, and so does the
    database (``kttc.core.protection``); its decision's audit entry records its hash
    (``kttc.core.integrity``), M14.1. The parts' evidence (payments, reports, signatures,
    distribution lines …) derives from it."""

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError(f"{type(self).__name__} rows cannot be changed (M14.1).")
        super().save(*args, **kwargs)
        from kttc.core import integrity

        integrity.evidence_created([self])

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError(f"{type(self).__name__} rows cannot be deleted (M14.1).")


class KeptDocument(Evidence):
    """A document a decision rests on: its title, file name, SHA-256 (also in the audit chain),
    size and the file, stored under MEDIA_ROOT by its hash (``kttc.core.documents``). Each part's
    document rows derive from it and add the object they belong to."""

    title = models.CharField(_("title"), max_length=200)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    file = models.FileField(_("file"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ("uploaded_at", "id")

    def __str__(self) -> str:
        return f"{self.title}: {self.file_name}"


class PolicyVersion(models.Model):
    """One published version of the policy parameters (``kttc.policy.params``). In force from
    ``effective_from`` until the next version starts or ``effective_until``, whichever is first.
    A version never changes once in force: the database refuses it (see migration 0002)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    source = models.CharField(_("source document"), max_length=300, blank=True)
    effective_from = models.DateField(_("in force from"), db_index=True)
    effective_until = models.DateField(_("in force until"), null=True, blank=True)
    values = models.JSONField(_("parameter values"))
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ("-effective_from",)

    def __str__(self) -> str:
        return f"{self.code} ({self.effective_from:%Y-%m-%d})"

    def in_force_or_past(self) -> bool:
        from kttc.policy import calendar

        return self.effective_from <= calendar.today_in_shanghai()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and self.in_force_or_past():
            raise TypeError("A policy version cannot change once in force (V.1).")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.in_force_or_past():
            raise TypeError("A policy version cannot be deleted once in force (V.1).")
        return super().delete(*args, **kwargs)


class AuditEntry(models.Model):
    """M14.1: one decision in the append-only, hash-linked chain. Rows are only ever inserted by
    ``kttc.core.services.audit_record``; the database refuses UPDATE and DELETE."""

    seq = models.PositiveBigIntegerField(primary_key=True)
    created_at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField(_("actor"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,  # the (organisation, -seq) index serves it
    )
    organisation_label = models.CharField(_("organisation"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80)
    object_id = models.CharField(_("object id"), max_length=64, db_index=True)
    object_repr = models.CharField(_("object"), max_length=300)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    clauses = models.JSONField(_("clauses"), default=list)
    policy_version = models.CharField(_("policy version"), max_length=40, blank=True)
    documents = models.JSONField(_("documents"), default=list)
    #: The evidence rows the decision created, each with its hash (``kttc.core.integrity``).
    evidence = models.JSONField(_("evidence rows"), default=list, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ("-seq",)
        indexes = (models.Index(fields=("organisation", "-seq")),)

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    @property
    def action_label(self) -> str:
        from kttc.core.choices import AUDIT_ACTION_LABELS

        return str(AUDIT_ACTION_LABELS.get(self.action, self.action))

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("Audit entries cannot be changed (M14.1).")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("Audit entries cannot be deleted (M14.1).")


class AuditCheckpoint(models.Model):
    """M14.1: the chain's head (its last entry and hash) as published at a time, signed with the
    platform's key (HMAC-SHA256, ``kttc.core.integrity``). Listed publicly and exportable, so a
    third party can keep them: entries removed from the end of the chain after a checkpoint are
    then detected. Written once, like the chain."""

    seq = models.PositiveBigIntegerField(_("last entry"))
    hash = models.CharField(_("hash"), max_length=64)
    created_at = models.DateTimeField(_("time"))
    key_id = models.CharField(_("key"), max_length=16)
    signature = models.CharField(_("signature"), max_length=64)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")
        ordering = ("-seq",)
        constraints = (models.UniqueConstraint(fields=("seq",), name="one_checkpoint_per_head"),)

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}…"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("Audit checkpoints cannot be changed (M14.1).")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("Audit checkpoints cannot be deleted (M14.1).")


class ApiToken(models.Model):
    """A token for a machine client, acting as its person. Only a hash is stored; the token is
    shown once, when created."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Notification(models.Model):
    """A notice to one person, listed in the back office and e-mailed once.

    Subject and body are stored as gettext templates with their parameters, so each reader gets
    them in their own language (``render_message``). ``dedupe_key`` is unique per recipient: a
    notice sent twice (a sweep run twice, two sweeps at once) is stored once (DESIGN rule 5)."""

    recipient = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,  # the unique (recipient, dedupe_key) index serves it
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # organisations are never deleted (PROTECT everywhere)
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=80)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    clauses = models.JSONField(_("clauses"), default=list, blank=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    dedupe_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ("-created_at", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=("recipient", "dedupe_key"), name="notification_once_per_recipient"
            ),
        )
        indexes = (
            models.Index(fields=("recipient", "-created_at"), name="notification_inbox"),
            # The unread count of every page, and the e-mail delivery's "who has unsent notices":
            # partial, so each holds only the rows still waiting.
            models.Index(
                fields=("recipient",),
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=("recipient",),
                condition=models.Q(emailed_at__isnull=True),
                name="notification_unsent",
            ),
        )

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind} {self.object_type}:{self.object_id}"

    @property
    def subject_text(self) -> str:
        """The subject in the active language."""
        return render_message(self.subject, self.params)

    @property
    def body_text(self) -> str:
        """The text in the active language."""
        return render_message(self.body, self.params)


def render_message(template: str, params: dict[str, Any]) -> str:
    """``template`` translated into the active language and filled with ``params``. A broken
    translation falls back to the English template rather than breaking the page. A date in
    ``params`` (stored ISO) reads as the reader's language writes it."""
    from django.utils.translation import gettext

    from kttc.core.dates import localized_params

    if not template:
        return ""
    params = localized_params(params) if params else params
    for text in (gettext(template), template):
        try:
            return text % params if params else text
        except (KeyError, ValueError, TypeError):
            continue
    return template


class MeasuresStart(models.Model):
    """V.1, DESIGN rule 11: the day the measures took effect in this installation. The text
    says only "from issuance", so the date is the installation's, not the code's: it replaces the
    start of the first published version (and so the end its validity gives), and the bureau
    may correct it while no decision rests on it. One row at most; without it the first
    version's own date stands."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    effective_from = models.DateField(_("the measures took effect on"))
    set_at = models.DateTimeField(_("set"), default=timezone.now)
    set_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("date the measures took effect")
        verbose_name_plural = _("date the measures took effect")
        constraints = (models.CheckConstraint(condition=models.Q(id=1), name="measures_start_one"),)

    def __str__(self) -> str:
        return f"{self.effective_from:%Y-%m-%d}"


class Job(models.Model):
    """Long work a person started from a page (a bulk action on thousands of results): what it
    is, how far it has got and what it did, so that the page shows its progress and its
    summary, and a second click does not run it twice. Only its owner sees it."""

    class State(models.TextChoices):
        READY = "ready", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(_("kind"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.READY
    )
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    outcome = models.JSONField(_("outcome"), default=dict)
    #: a file the work made (an export), downloaded from the job's page
    file = models.BinaryField(_("file"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        indexes = (models.Index(fields=("owner", "created_at"), name="job_owner_recent"),)

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.done * 100 // self.total)


# The notifications package's model, found by Django here (re-exported).
from kttc.core.notifications.models import (  # noqa: E402
    NotificationPreference as NotificationPreference,
)
