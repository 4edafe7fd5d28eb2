from django.urls import path

from kttc.core.accounts import views as account_views
from kttc.core.notifications import views as notification_views
from kttc.core.office import views
from kttc.core.policy_versions import views as policy_views

app_name = "office"
urlpatterns = [
    path("", views.office_home, name="home"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
    path("audit/export.<str:kind>", views.audit_download, name="audit_download"),
    path("members/<int:organisation_id>/", views.members, name="members"),
    path("members/revoke/<int:membership_id>/", views.member_revoke, name="member_revoke"),
    path("organisations/waiting/", account_views.verification, name="verification"),
    path("organisations/<int:organisation_id>/verify/", account_views.verify, name="verify"),
    path("organisations/<int:organisation_id>/reject/", account_views.reject, name="reject"),
    path("invitations/<int:organisation_id>/", account_views.invitations, name="invitations"),
    path(
        "invitations/revoke/<int:invitation_id>/",
        account_views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("policy/", policy_views.policy_versions, name="policy"),
    path("policy/start/", policy_views.measures_start, name="policy_start"),
    path(
        "policy/<int:version_id>/withdraw/",
        policy_views.policy_version_withdraw,
        name="policy_withdraw",
    ),
    path("notifications/", notification_views.notifications, name="notifications"),
    path(
        "notifications/read/",
        notification_views.notifications_mark_read,
        name="notifications_read",
    ),
    path(
        "notifications/preferences/",
        notification_views.preferences,
        name="notification_preferences",
    ),
    path(
        "notifications/<int:notification_id>/open/",
        notification_views.notification_open,
        name="notification_open",
    ),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
