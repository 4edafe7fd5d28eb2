"""The back office: one home for every role, the audit log, members, API tokens, deadlines.
The notifications' pages are in :mod:`kttc.core.notifications.views`, the policy versions' in
:mod:`kttc.core.policy_versions.views`."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kttc.core import parsing, selectors, services, todos
from kttc.core.errors import translated_message
from kttc.core.forms import ApiTokenForm, AuditFilterForm, MembershipGrantForm
from kttc.core.models import AuditEntry, Membership, Organisation, User
from kttc.core.office import audit_export
from kttc.core.web import acting_user, forbidden, form_error
from kttc.policy import calendar
from kttc.policy.errors import PolicyError
from kttc.policy.roles import CAPABILITIES, Capability, Role

#: How many of the person's own recent decisions the home lists.
RECENT_ENTRIES = 5


@login_required
def office_home(request: HttpRequest) -> HttpResponse:
    """Each membership gets its panel: the role, its organisation, what waits for it (from every
    part, ``kttc.core.todos``, and the deadlines' counts), and what it may do here; then the
    person's own recent decisions."""
    user = acting_user(request)
    days = settings.KTTC_DUE_REMINDER_DAYS
    deadlines = {
        d.membership.pk: d
        for d in selectors.deadlines_for(
            user, days=days, today=calendar.today_in_shanghai(), limit=0
        )
    }
    panels = []
    for membership in selectors.active_memberships(user):
        caps = CAPABILITIES[Role(membership.role)]
        due = deadlines.get(membership.pk)
        panels.append(
            {
                "membership": membership,
                "todos": todos.sections(membership),
                "deadlines_overdue": due.overdue if due else 0,
                "deadlines_upcoming": due.upcoming if due else 0,
                "can_manage_members": Capability.MANAGE_MEMBERS in caps,
                "can_verify_organisations": Capability.VERIFY_ORGANISATIONS_ALL in caps,
                "can_view_audit": Capability.VIEW_AUDIT in caps,
                "can_verify_chain": Capability.VERIFY_AUDIT_CHAIN_ALL in caps,
                "can_publish_policy": Capability.PUBLISH_POLICY_ALL in caps,
                "read_only": Role(membership.role) == Role.AUDITOR,
                "can_manage_licences": Capability.MANAGE_LICENCES in caps,
                "can_invest": bool(
                    {Capability.MANAGE_INVESTMENTS, Capability.VIEW_UNIT_ACHIEVEMENTS_ALL} & caps
                ),
                "can_approve_equity": Capability.APPROVE_STATE_EQUITY_ALL in caps,
                "can_see_contracts": bool(
                    {Capability.MANAGE_CONTRACTS, Capability.VIEW_UNIT_ACHIEVEMENTS_ALL} & caps
                ),
                "can_license": bool({Capability.MANAGE_LICENCES, Capability.HOLD_LICENCES} & caps),
                "can_view_results": bool(
                    {Capability.VIEW_UNIT_ACHIEVEMENTS, Capability.VIEW_UNIT_ACHIEVEMENTS_ALL}
                    & caps
                ),
                "can_enter_results": Capability.MANAGE_ACHIEVEMENTS in caps,
                "can_review": Capability.REVIEW_ACHIEVEMENTS_ALL in caps,
                "can_manage_projects": Capability.MANAGE_PROJECTS_ALL in caps,
                "can_manage_partnerships": Capability.MANAGE_PARTNERSHIPS_ALL in caps,
                "can_manage_institution": Capability.MANAGE_INSTITUTION in caps,
                "can_certify_institutions": Capability.CERTIFY_INSTITUTIONS_ALL in caps,
                "can_request_pre_examination": Capability.REQUEST_PRE_EXAMINATION in caps,
                "can_pre_examine": Capability.PRE_EXAMINE_ALL in caps,
                "can_use_vouchers": not caps.isdisjoint(
                    {
                        Capability.APPLY_VOUCHERS,
                        Capability.REDEEM_VOUCHERS,
                        Capability.MANAGE_VOUCHERS_ALL,
                    }
                ),
                "can_use_meeting": not caps.isdisjoint(
                    {Capability.RAISE_DIFFICULTIES, Capability.VIEW_MEETING_ALL}
                ),
                "can_use_unit_reports": not caps.isdisjoint(
                    {Capability.FILE_UNIT_REPORTS, Capability.VIEW_UNIT_REPORTS_ALL}
                ),
                "can_view_statistics": Capability.VIEW_STATISTICS_ALL in caps,
                "can_use_findings": not caps.isdisjoint(
                    {Capability.VIEW_FINDINGS_ALL, Capability.RECTIFY_FINDINGS}
                ),
                "can_apply_finance": Capability.APPLY_FINANCE in caps,
                "can_manage_finance": Capability.MANAGE_FINANCE in caps,
                "can_file_ip_cases": Capability.FILE_IP_CASES in caps,
                "can_handle_ip_cases": Capability.HANDLE_IP_CASES_ALL in caps,
                "can_request_evaluation": Capability.REQUEST_EVALUATION in caps,
                "can_evaluate": Capability.EVALUATE_RESULTS in caps,
            }
        )
    recent = AuditEntry.objects.filter(actor=user).order_by("-seq")[:RECENT_ENTRIES]
    return render(
        request,
        "core/office/home.html",
        {"panels": panels, "recent": recent, "deadline_days": days},
    )


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """M14.1: the decisions this person may read, newest first."""
    user = acting_user(request)
    if not (selectors.user_can(user, Capability.VIEW_AUDIT)):
        return forbidden(request, gettext("Your roles do not include reading the audit record."))
    form, entries = _audit_filtered(request, user)
    page = parsing.page_of(entries.select_related("organisation").order_by("-seq"), request.GET)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "core/office/audit.html",
        {
            "form": form,
            "page": page,
            "querystring": params.urlencode(),
            "can_verify": selectors.user_can(user, Capability.VERIFY_AUDIT_CHAIN_ALL),
            "export_max": audit_export.EXPORT_MAX,
        },
    )


def _audit_filtered(
    request: HttpRequest, user: User
) -> tuple[AuditFilterForm, QuerySet[AuditEntry]]:
    """The filter form of the request and the entries it leaves of those ``user`` may read (all
    of them while the form has an error, which it shows beside its field)."""
    entries = selectors.audit_entries_visible_to(user)
    actions = sorted(set(entries.values_list("action", flat=True).distinct()))
    form = AuditFilterForm(request.GET or None, actions=actions)
    if form.is_bound and form.is_valid():
        entries = selectors.audit_entries_filtered(entries, form.cleaned_data)
    return form, entries


@login_required
def audit_download(request: HttpRequest, kind: str) -> HttpResponse:
    """M14.1: the filtered entries as xlsx or csv, with each entry's hash and the previous one,
    so that whoever receives the file can check the chain."""
    user = acting_user(request)
    if not (selectors.user_can(user, Capability.VIEW_AUDIT)):
        return forbidden(request, gettext("Your roles do not include reading the audit record."))
    form, entries = _audit_filtered(request, user)
    if form.is_bound and not form.is_valid():
        return redirect(f"{reverse('office:audit')}?{request.GET.urlencode()}")
    return audit_export.response(entries, kind)


@login_required
@require_POST
def audit_verify(request: HttpRequest) -> HttpResponse:
    """M14.1: walk the chain now and say whether it is intact."""
    if not selectors.user_can(acting_user(request), Capability.VERIFY_AUDIT_CHAIN_ALL):
        return forbidden(request, gettext("Only the bureau and auditors verify the whole chain."))
    report = selectors.audit_chain_verify()
    if report.intact:
        messages.success(
            request,
            gettext("M14.1: the audit chain is intact (%(n)s entries).") % {"n": report.checked},
        )
    elif report.broken_at is None:
        messages.error(
            request,
            gettext("M14.1: the audit chain is broken: %(reason)s.") % {"reason": report.reason},
        )
    else:
        messages.error(
            request,
            gettext("M14.1: the audit chain is broken at entry %(seq)s: %(reason)s.")
            % {"seq": report.broken_at, "reason": report.reason},
        )
    return redirect("office:audit")


@login_required
def members(request: HttpRequest, organisation_id: int) -> HttpResponse:
    user = acting_user(request)
    organisation = get_object_or_404(
        selectors.organisations_where(user, Capability.MANAGE_MEMBERS), pk=organisation_id
    )
    form = MembershipGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = User.objects.filter(
            email__iexact=form.cleaned_data["email"], is_active=True
        ).first()
        if person is None:
            form.add_error("email", gettext("No active person has this e-mail."))
        else:
            try:
                services.membership_grant(
                    actor=user,
                    organisation=organisation,
                    user=person,
                    role=form.cleaned_data["role"],
                )
            except PolicyError as exc:
                form_error(form, exc)
            else:
                messages.success(request, gettext("The role was granted."))
                return redirect("office:members", organisation_id=organisation.pk)
    return render(
        request,
        "core/office/members.html",
        {
            "organisation": organisation,
            "members": selectors.organisation_members(organisation),
            "form": form,
        },
    )


@login_required
@require_POST
def member_revoke(request: HttpRequest, membership_id: int) -> HttpResponse:
    user = acting_user(request)
    membership = get_object_or_404(Membership, pk=membership_id, revoked_at__isnull=True)
    organisation: Organisation = membership.organisation
    try:
        services.membership_revoke(actor=user, membership=membership)
    except PolicyError as exc:
        messages.error(request, translated_message(exc))
    else:
        messages.success(request, gettext("The role was revoked."))
    return redirect("office:members", organisation_id=organisation.pk)


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.api_token_create(user=user, name=form.cleaned_data["name"])
        form = ApiTokenForm()
    return render(
        request,
        "core/office/tokens.html",
        {
            "tokens": selectors.api_tokens_of(user),
            "form": form,
            "new_key": new_key,
        },
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user = acting_user(request)
    token = get_object_or_404(selectors.api_tokens_of(user), pk=token_id)
    services.api_token_revoke(user=user, token=token)
    messages.success(request, gettext("The token was revoked."))
    return redirect("office:tokens")


#: How far ahead the deadlines page looks by default, and at most (days).
DEADLINE_DAYS_MAX = 366


@login_required
def deadlines(request: HttpRequest) -> HttpResponse:
    """What falls due in the next days and what is overdue, for each role of the person."""
    asked = parsing.integer(request.GET.get("days"), minimum=1, maximum=DEADLINE_DAYS_MAX)
    days = asked or settings.KTTC_DUE_REMINDER_DAYS  # a malformed number keeps the default
    today = calendar.today_in_shanghai()
    return render(
        request,
        "core/office/deadlines.html",
        {
            "panels": selectors.deadlines_for(acting_user(request), days=days, today=today),
            "days": days,
            "days_max": DEADLINE_DAYS_MAX,
            "today": today,
        },
    )
