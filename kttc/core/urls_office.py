from django.urls import path

from kttc.core import views_office as views
from kttc.core import views_policy

app_name = "office"
urlpatterns = [
    path("", views.office_home, name="home"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
    path("members/<int:organisation_id>/", views.members, name="members"),
    path("members/revoke/<int:membership_id>/", views.member_revoke, name="member_revoke"),
    path("policy/", views.policy_versions, name="policy"),
    path("policy/start/", views_policy.measures_start, name="policy_start"),
    path(
        "policy/<int:version_id>/withdraw/", views.policy_version_withdraw, name="policy_withdraw"
    ),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_mark_read, name="notifications_read"),
    path(
        "notifications/<int:notification_id>/open/",
        views.notification_open,
        name="notification_open",
    ),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
