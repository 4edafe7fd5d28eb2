from django.urls import path

from kttc.core import views_office as views

app_name = "office"
urlpatterns = [
    path("", views.office_home, name="home"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
    path("members/<int:organisation_id>/", views.members, name="members"),
    path("members/revoke/<int:membership_id>/", views.member_revoke, name="member_revoke"),
    path("policy/", views.policy_versions, name="policy"),
    path(
        "policy/<int:version_id>/withdraw/", views.policy_version_withdraw, name="policy_withdraw"
    ),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
