"""Back-office pages of the empowerment reform (M1)."""

from django.urls import path

from kttc.reform.empowerment import views

app_name = "reform"
urlpatterns = [
    path("", views.home, name="home"),
    path("rules/<int:unit_id>/", views.rules, name="rules"),
    path("apply/<int:achievement_id>/", views.apply, name="apply"),
    path("<int:pk>/", views.application, name="application"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/notice/", views.publish_notice, name="publish_notice"),
    path("<int:pk>/agreement/", views.agreement, name="agreement"),
    path("<int:pk>/sign/", views.sign, name="sign"),
    path("<int:pk>/grant/", views.grant, name="grant"),
    path("objections/<int:objection_id>/answer/", views.answer, name="answer"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/", views.notice, name="notice"),
    path("notices/<int:pk>/pdf/", views.notice_pdf, name="notice_pdf"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("rights/", views.rights, name="rights"),
    path("rights/<int:pk>/", views.right, name="right"),
]
