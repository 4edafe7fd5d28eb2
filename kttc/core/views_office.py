"""The back office: one home for every role, the audit log, members, API tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from kttc.core import parsing, selectors, services, services_notifications
from kttc.core.errors import translated_message
from kttc.core.forms import ApiTokenForm, AuditFilterForm, MembershipGrantForm, PolicyVersionForm
from kttc.core.models import Membership, Organisation, PolicyVersion, User
from kttc.policy import calendar
from kttc.policy import params as policy_params
from kttc.policy.errors import PolicyError
from kttc.policy.roles import CAPABILITIES, Capability, Role


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def office_home(request: HttpRequest) -> HttpResponse:
    """Each membership gets its panel: the role, its organisation, what it may do here."""
    user = _user(request)
    panels = []
    for membership in selectors.active_memberships(user):
        caps = CAPABILITIES[Role(membership.role)]
        panels.append(
            {
                "membership": membership,
                "can_manage_members": Capability.MANAGE_MEMBERS in caps,
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
            }
        )
    return render(request, "core/office/home.html", {"panels": panels})


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """M14.1: the decisions this person may read, newest first."""
    user = _user(request)
    if not (selectors.user_can(user, Capability.VIEW_AUDIT)):
        return render(
            request,
            "error.html",
            {
                "status": 403,
                "message": gettext("Your roles do not include reading the audit record."),
            },
            status=403,
        )
    entries = selectors.audit_entries_visible_to(user)
    actions = sorted(set(entries.values_list("action", flat=True).distinct()))
    form = AuditFilterForm(request.GET or None, actions=actions)
    if form.is_valid() and form.cleaned_data["action"]:
        entries = entries.filter(action=form.cleaned_data["action"])
    page = parsing.page_of(entries.order_by("-seq"), request.GET)
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
        },
    )


@login_required
@require_POST
def audit_verify(request: HttpRequest) -> HttpResponse:
    """M14.1: walk the chain now and say whether it is intact."""
    if not selectors.user_can(_user(request), Capability.VERIFY_AUDIT_CHAIN_ALL):
        return render(
            request,
            "error.html",
            {
                "status": 403,
                "message": gettext("Only the bureau and auditors verify the whole chain."),
            },
            status=403,
        )
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
    user = _user(request)
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
                form.add_error(
                    exc.field if exc.field in form.fields else None, translated_message(exc)
                )
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
    user = _user(request)
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
    user = _user(request)
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
    user = _user(request)
    token = get_object_or_404(selectors.api_tokens_of(user), pk=token_id)
    services.api_token_revoke(user=user, token=token)
    messages.success(request, gettext("The token was revoked."))
    return redirect("office:tokens")


@login_required
def policy_versions(request: HttpRequest) -> HttpResponse:
    """V.1: the bureau publishes a new version of the parameters, or withdraws a pending one."""
    user = _user(request)
    if not selectors.user_can(user, Capability.PUBLISH_POLICY_ALL):
        return render(
            request,
            "error.html",
            {
                "status": 403,
                "message": gettext("Only the municipal S&T bureau publishes policy versions."),
            },
            status=403,
        )
    latest = PolicyVersion.objects.order_by("-effective_from").first()
    initial_values = dict(latest.values) if latest else policy_params.MEASURES_2026.to_values()
    form = PolicyVersionForm(request.POST or None, initial_values=initial_values)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.policy_version_publish(
                actor=user,
                code=form.cleaned_data["code"],
                title=form.cleaned_data["title"],
                source=form.cleaned_data["source"],
                effective_from=form.cleaned_data["effective_from"],
                effective_until=form.cleaned_data["effective_until"],
                values=form.values(),
            )
        except PolicyError as exc:
            field = exc.field if exc.field in form.fields else f"param_{exc.field}"
            form.add_error(field if field in form.fields else None, translated_message(exc))
        else:
            messages.success(
                request,
                gettext("Version %(code)s is published; it takes effect on %(date)s.")
                % {"code": version.code, "date": version.effective_from.isoformat()},
            )
            return redirect("office:policy")
    return render(
        request,
        "core/office/policy.html",
        {
            "form": form,
            "versions": selectors.policy_versions_listed(),
            "today": calendar.today_in_shanghai(),
        },
    )


@login_required
@require_POST
def policy_version_withdraw(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_object_or_404(PolicyVersion, pk=version_id)
    try:
        services.policy_version_withdraw(actor=_user(request), version=version)
    except PolicyError as exc:
        messages.error(request, translated_message(exc))
    else:
        messages.success(request, gettext("The pending version was withdrawn."))
    return redirect("office:policy")


# --- notifications and deadlines ------------------------------------------------------------


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The person's own notifications, newest first, all or only the unread ones."""
    user = _user(request)
    unread_only = request.GET.get("show") == "unread"
    qs = selectors.notifications_of(user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    page = parsing.page_of(qs, request.GET)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "core/office/notifications.html",
        {"page": page, "querystring": params.urlencode(), "unread_only": unread_only},
    )


@login_required
@require_POST
def notifications_mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification read (``id``), or all of the person's (no ``id``)."""
    posted = request.POST.getlist("id")
    ids = parsing.ids(posted) or None
    if posted and (ids is None or len(ids) != len(posted)):
        raise Http404  # an id the page did not send: never "all of them"
    changed = services_notifications.notification_mark_read(user=_user(request), ids=ids)
    if ids is None:
        messages.success(
            request,
            ngettext("%(n)s notification marked read.", "%(n)s notifications marked read.", changed)
            % {"n": changed},
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        back = ""
    return redirect(back or "office:notifications")


@login_required
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Follow a notification's link; reading it marks it read."""
    user = _user(request)
    notification = get_object_or_404(selectors.notifications_of(user), pk=notification_id)
    services_notifications.notification_mark_read(user=user, ids=[notification.pk])
    link = notification.link
    if not link or not url_has_allowed_host_and_scheme(link, {request.get_host()}):
        return redirect("office:notifications")
    return redirect(link)


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
            "panels": selectors.deadlines_for(_user(request), days=days, today=today),
            "days": days,
            "days_max": DEADLINE_DAYS_MAX,
            "today": today,
        },
    )
