"""Operator screens. Decisions made here go through the same services (and the audit chain) as
the web and the API; the audit chain itself is read-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kttc.core import services
from kttc.core.errors import translated_message
from kttc.core.models import ApiToken, AuditEntry, Membership, Organisation, PolicyVersion, User
from kttc.core.text import TextGuardMixin
from kttc.core.web import acting_user
from kttc.policy import params as policy_params
from kttc.policy.errors import PolicyError
from kttc.policy.identifiers import validate_uscc


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "full_name", "is_active", "is_staff", "date_joined")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "preferred_language")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )
    list_filter = ("is_active", "is_staff")
    filter_horizontal = ("groups",)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "role", "granted_at", "revoked_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OrganisationForm(TextGuardMixin, forms.ModelForm):
    """Checks the credit code (GB 32100-2015) before anything is saved."""

    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = services.ORGANISATION_EDITABLE_FIELDS

    def clean_credit_code(self) -> str:
        if not self.cleaned_data["credit_code"] and self.instance.pk and self.instance.is_foreign:
            return ""  # known by its country's registration number instead
        try:
            return validate_uscc(self.cleaned_data["credit_code"])
        except PolicyError as exc:
            raise ValidationError(translated_message(exc)) from exc


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationForm
    list_display = ("name", "kind", "is_municipal", "country", "credit_code", "verified_at")
    list_filter = ("kind", "is_municipal", "country")
    search_fields = ("name", "name_en", "credit_code", "registration_number")
    readonly_fields = ("verified_at", "created_at")
    inlines = (MembershipInline,)
    actions = ("verify",)

    def save_model(self, request: HttpRequest, obj: Organisation, form: Any, change: bool) -> None:
        if change:
            try:
                services.organisation_update(
                    actor=request.user,  # type: ignore[arg-type]
                    organisation=obj,
                    **{name: form.cleaned_data[name] for name in form.changed_data},
                )
            except PolicyError as exc:
                raise ValidationError(translated_message(exc)) from exc
            return
        try:
            created = services.organisation_register(
                actor=acting_user(request),
                name=obj.name,
                name_en=obj.name_en,
                kind=obj.kind,
                credit_code=obj.credit_code,
                is_municipal=obj.is_municipal,
                region=obj.region,
                website=obj.website,
                description=obj.description,
            )
        except PolicyError as exc:
            raise ValidationError(translated_message(exc)) from exc
        obj.pk = created.pk

    @admin.action(description=_("Verify the selected organisations"))
    def verify(self, request: HttpRequest, queryset: Any) -> None:
        for organisation in queryset:
            services.organisation_verify(actor=request.user, organisation=organisation)  # type: ignore[arg-type]
        messages.success(request, _("Verified."))


class PolicyVersionForm(TextGuardMixin, forms.ModelForm):
    """One field per parameter, checked by ``kttc.policy.params``; published through the
    service, so that V.1 (never retroactive, never rewriting) holds here too."""

    class Meta:
        model = PolicyVersion
        fields = ("code", "title", "source", "effective_from", "effective_until")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = policy_params.MEASURES_2026.to_values()
        latest = PolicyVersion.objects.order_by("-effective_from").first()
        if latest is not None:
            current = dict(latest.values)
        for spec in policy_params.SPECS:
            self.fields[f"param_{spec.key}"] = forms.CharField(
                label=f"{_(spec.title)} ({', '.join(spec.clauses)})",
                initial=current.get(spec.key, ""),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        values = {spec.key: data.get(f"param_{spec.key}", "") for spec in policy_params.SPECS}
        try:
            policy_params.PolicyParameters.from_values(values)
        except PolicyError as exc:
            raise ValidationError({f"param_{exc.field}": translated_message(exc)}) from exc
        data["values"] = values
        return data


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    form = PolicyVersionForm
    list_display = ("code", "title", "effective_from", "effective_until", "published_at")
    readonly_fields = ("values", "published_at", "published_by")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.in_force_or_past():
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: PolicyVersion, form: Any, change: bool) -> None:
        try:
            created = services.policy_version_publish(
                actor=acting_user(request),
                code=obj.code,
                title=obj.title,
                source=obj.source,
                effective_from=obj.effective_from,
                effective_until=obj.effective_until,
                values=form.cleaned_data["values"],
            )
        except PolicyError as exc:
            messages.error(request, translated_message(exc))
            raise ValidationError(translated_message(exc)) from exc
        obj.pk = created.pk


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """M14.1: read only, for everyone, operators included."""

    list_display = (
        "seq",
        "created_at",
        "actor_label",
        "organisation_label",
        "action",
        "object_repr",
        "policy_version",
    )
    list_filter = ("action",)
    search_fields = ("object_repr", "actor_label", "organisation_label", "hash")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "name", "prefix", "key_hash", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
