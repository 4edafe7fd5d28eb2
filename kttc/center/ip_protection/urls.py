from django.urls import path

from kttc.center.ip_protection import views

app_name = "ip_protection"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("against-us/", views.against, name="against"),
    path("handling/", views.handling, name="handling"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/refuse/", views.refuse, name="refuse"),
    path("<int:pk>/mediate/", views.mediate, name="mediate"),
    path("<int:pk>/hearing/", views.schedule, name="schedule"),
    path("<int:pk>/hearing-record/", views.hear, name="hear"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/enforce/", views.enforce, name="enforce"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
]
