from django.urls import path

from kttc.center.institutions import views

app_name = "institutions"
urlpatterns = [
    path("", views.home, name="home"),
    path("brokers/new/", views.broker_new, name="broker_new"),
    path("brokers/<int:pk>/", views.broker_edit, name="broker_edit"),
    path("brokers/<int:pk>/withdraw/", views.broker_withdraw, name="broker_withdraw"),
    path("apply/", views.apply, name="apply"),
    path("applications/", views.queue, name="queue"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/certify/", views.certify, name="certify"),
    path("applications/<int:pk>/refuse/", views.refuse, name="refuse"),
    path("applications/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("applications/<int:pk>/subsidy/", views.subsidy, name="subsidy"),
    path("materials/<int:pk>/", views.document, name="document"),
    path("subsidies/<int:pk>/reward/", views.reward, name="reward"),
    path("my-rewards/", views.my_rewards, name="my_rewards"),
    path(
        "reward-lines/<int:pk>/statement.<str:fmt>",
        views.reward_statement,
        name="reward_statement",
    ),
    path("deals/", views.deals, name="deals"),
    path("deals/<int:pk>/remove/", views.deal_remove, name="deal_remove"),
]
