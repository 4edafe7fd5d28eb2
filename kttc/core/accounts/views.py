"""Signing up an organisation, confirming the e-mail, the center's verification queue, and
invitations of colleagues (DESIGN rule 1: the views parse, call one service and render)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_POST

from kttc.core import parsing
from kttc.core.accounts import forms, notices, services, throttle, tokens
from kttc.core.addresses import client_address
from kttc.core.errors import translated_message
from kttc.core.models import Invitation, Membership, Organisation, User
from kttc.core.services import organisation_verify
from kttc.core.web import acting_user, forbidden, form_error, paged
from kttc.policy.errors import PolicyError
from kttc.policy.roles import Capability, Role, role_can


def _throttled(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "registration/signup_throttled.html",
        {"minutes": throttle.window_minutes()},
        status=429,
    )


def signup(request: HttpRequest) -> HttpResponse:
    """One form for an organisation and its first person; the same answer whatever is known."""
    if request.user.is_authenticated:
        return redirect("office:home")
    form = forms.SignUpForm(request.POST or None, initial={"language": get_language()})
    if request.method == "POST":
        email = str(request.POST.get("email", ""))[:254]
        if not throttle.allowed("signup", client_address(request), email):
            return _throttled(request)
        if form.is_valid():
            try:
                result = services.sign_up(services.SignUp(**_sign_up_fields(form.cleaned_data)))
            except PolicyError as exc:
                form_error(form, exc)
            else:
                _mail_sign_up(request, result, form.cleaned_data)
                return redirect("signup_sent")
    return render(request, "registration/signup.html", {"form": form})


def _sign_up_fields(data: dict[str, object]) -> dict[str, str]:
    names = (
        "name",
        "name_en",
        "kind",
        "country",
        "credit_code",
        "registration_number",
        "full_name",
        "email",
        "language",
        "contact_phone",
        "website",
    )
    return {**{n: str(data.get(n) or "") for n in names}, "password": str(data["password1"])}


def _mail_sign_up(
    request: HttpRequest, result: services.SignUpResult, data: dict[str, object]
) -> None:
    """The confirmation link to a new person (again to one who never confirmed); to a known
    e-mail or organisation, a note to its owner instead."""
    user = result.user
    if result.outcome == services.Outcome.CREATED or (
        result.outcome == services.Outcome.EMAIL_TAKEN
        and user is not None
        and not user.is_active
        and user.last_login is None
    ):
        assert user is not None
        link = request.build_absolute_uri(
            reverse("signup_confirm", args=[tokens.confirmation_token(user)])
        )
        notices.send_mail_in(
            user.preferred_language,
            [user.email],
            "registration/signup_confirm_email",
            {"user": user, "link": link, "days": tokens.CONFIRMATION_MAX_AGE // 86400},
        )
    elif result.outcome == services.Outcome.EMAIL_TAKEN and user is not None:
        notices.send_mail_in(
            user.preferred_language,
            [user.email],
            "registration/signup_known_email",
            {
                "user": user,
                "login": request.build_absolute_uri(reverse("login")),
                "reset": request.build_absolute_uri(reverse("password_reset")),
            },
        )
    elif result.organisation is not None:
        _mail_organisation_owners(request, result.organisation, str(data.get("email", "")))


def _mail_organisation_owners(
    request: HttpRequest, organisation: Organisation, asked_by: str
) -> None:
    managers = [r.value for r in Role if role_can(r, Capability.MANAGE_MEMBERS)]
    people = User.objects.filter(
        is_active=True,
        memberships__organisation=organisation,
        memberships__revoked_at__isnull=True,
        memberships__role__in=managers,
    ).distinct()
    context = {
        "organisation": organisation,
        "asked_by": asked_by,
        "office": request.build_absolute_uri(reverse("office:home")),
    }
    for person in people:
        notices.send_mail_in(
            person.preferred_language, [person.email], "registration/signup_known_org", context
        )


def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/signup_sent.html")


def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the confirmation e-mail: a button confirms (a mail scanner's visit does not)."""
    user = tokens.confirmation_user(token)
    if user is None:
        return render(request, "registration/signup_link_invalid.html", status=400)
    if request.method == "POST":
        services.sign_up_confirm(user)
        messages.success(
            request,
            gettext(
                "Your e-mail is confirmed. Sign in; the center will verify your "
                "organisation and tell you."
            ),
        )
        return redirect("login")
    return render(request, "registration/signup_confirm.html", {"person": user})


# --- the center's verification ----------------------------------------------------------


@login_required
def verification(request: HttpRequest) -> HttpResponse:
    """The organisations waiting for the center's verification, and those it rejected."""
    user = acting_user(request)
    if not services.may_verify(user):
        return forbidden(request, gettext("Only the bureau verifies organisations."))
    page, querystring = paged(request, services.verification_queue())
    people = Membership.objects.filter(
        organisation__in=[o.pk for o in page.object_list], revoked_at__isnull=True
    ).select_related("user")
    first: dict[int, Membership] = {}
    for membership in people.order_by("granted_at"):
        first.setdefault(membership.organisation_id, membership)
    for organisation in page.object_list:
        organisation.first_membership = first.get(organisation.pk)
    rejected = Organisation.objects.filter(
        verified_at__isnull=True, rejected_at__isnull=False
    ).order_by("-rejected_at")[:20]
    return render(
        request,
        "core/office/verification.html",
        {
            "page": page,
            "querystring": querystring,
            "rejected": rejected,
            "form": forms.RejectionForm(),
        },
    )


def _waiting(request: HttpRequest, organisation_id: int) -> Organisation | HttpResponse:
    if not services.may_verify(acting_user(request)):
        return forbidden(request, gettext("Only the bureau verifies organisations."))
    return get_object_or_404(Organisation, pk=organisation_id, verified_at__isnull=True)


@login_required
@require_POST
def verify(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = _waiting(request, organisation_id)
    if isinstance(organisation, HttpResponse):
        return organisation
    organisation_verify(actor=acting_user(request), organisation=organisation)
    messages.success(request, gettext("%(name)s is verified.") % {"name": organisation.name})
    return redirect("office:verification")


@login_required
@require_POST
def reject(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = _waiting(request, organisation_id)
    if isinstance(organisation, HttpResponse):
        return organisation
    form = forms.RejectionForm(request.POST)
    if form.is_valid():
        try:
            services.organisation_reject(
                actor=acting_user(request),
                organisation=organisation,
                reason=form.cleaned_data["reason"],
            )
        except PolicyError as exc:
            messages.error(request, translated_message(exc))
        else:
            messages.success(
                request,
                gettext("%(name)s is not verified; its people were told why.")
                % {"name": organisation.name},
            )
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("office:verification")


# --- invitations ------------------------------------------------------------------------


def _invitable(request: HttpRequest, organisation_id: int) -> Organisation | HttpResponse:
    user = acting_user(request)
    organisation = services.invitable_organisations(user).filter(pk=organisation_id).first()
    if organisation is not None:
        return organisation
    mine = Organisation.objects.filter(
        pk=organisation_id, memberships__user=user, memberships__revoked_at__isnull=True
    ).first()
    if mine is None:
        raise Http404
    if mine.verified_at is None:
        return forbidden(
            request,
            gettext(
                "Your organisation is not verified yet: invitations open once the center "
                "verifies it."
            ),
        )
    return forbidden(request, gettext("Your role here does not include adding members."))


@login_required
def invitations(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """Invite a colleague by e-mail with a role; the pending invitations, to withdraw."""
    organisation = _invitable(request, organisation_id)
    if isinstance(organisation, HttpResponse):
        return organisation
    user = acting_user(request)
    roles = [r.value for r in services.invitation_roles(organisation)]
    form = forms.InvitationForm(request.POST or None, roles=roles)
    if request.method == "POST":
        if not throttle.allowed("invite", client_address(request), f"by:{user.pk}"):
            return _throttled(request)
        if form.is_valid():
            try:
                invitation = services.invitation_create(
                    actor=user, organisation=organisation, **form.cleaned_data
                )
            except PolicyError as exc:
                form_error(form, exc)
            else:
                _mail_invitation(request, invitation)
                messages.success(
                    request,
                    gettext("The invitation was sent to %(email)s.") % {"email": invitation.email},
                )
                return redirect("office:invitations", organisation_id=organisation.pk)
    return render(
        request,
        "core/office/invitations.html",
        {
            "organisation": organisation,
            "form": form,
            "invitations": services.pending_invitations(organisation),
        },
    )


def mail_invitation(request: HttpRequest, invitation: Invitation) -> None:
    """E-mail the invitation's link in the inviter's language (also a partner's referral)."""
    _mail_invitation(request, invitation)


def _mail_invitation(request: HttpRequest, invitation: Invitation) -> None:
    link = request.build_absolute_uri(
        reverse("invitation_accept", args=[tokens.invitation_token(invitation)])
    )
    notices.send_mail_in(
        get_language() or "zh-hans",
        [invitation.email],
        "registration/invitation_email",
        {"invitation": invitation, "link": link},
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    user = acting_user(request)
    invitation = get_object_or_404(
        Invitation.objects.filter(organisation__in=services.invitable_organisations(user)),
        pk=parsing.id_or_404(invitation_id),
    )
    services.invitation_revoke(actor=user, invitation=invitation)
    messages.success(request, gettext("The invitation was withdrawn."))
    return redirect("office:invitations", organisation_id=invitation.organisation_id)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation's link: a signed-in person joins with a button; a new one sets their
    name and password; a known one is asked to sign in first."""
    invitation = tokens.invitation_of(token)
    if invitation is None or not invitation.pending():
        return render(request, "registration/invitation_invalid.html", status=400)
    signed_in = request.user.is_authenticated
    known = not signed_in and User.objects.filter(email__iexact=invitation.email).exists()
    form = (
        None
        if signed_in or known
        else forms.InvitationAcceptForm(
            request.POST or None, email=invitation.email, initial={"language": get_language()}
        )
    )
    error = ""
    if request.method == "POST" and not known and (form is None or form.is_valid()):
        try:
            if form is None:
                services.invitation_accept(invitation=invitation, user=acting_user(request))
            else:
                services.invitation_accept(
                    invitation=invitation,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                    language=form.cleaned_data["language"],
                )
        except PolicyError as exc:
            error = translated_message(exc)
        else:
            messages.success(
                request, gettext("You joined %(name)s.") % {"name": invitation.organisation.name}
            )
            return redirect("office:home" if signed_in else "login")
    return render(
        request,
        "registration/invitation_accept.html",
        {
            "invitation": invitation,
            "form": form,
            "known": known,
            "error": error,
            "login": reverse("login") + "?next=" + request.path,
        },
    )
