from django.urls import path

from kttc.center.ip_services import views

app_name = "ip_services"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("queue/", views.queue, name="queue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/return/", views.return_, name="return"),
    path("<int:pk>/refuse/", views.refuse, name="refuse"),
    path("<int:pk>/resubmit/", views.resubmit, name="resubmit"),
    path("<int:pk>/forward/", views.forward, name="forward"),
    path("<int:pk>/outcome/", views.outcome, name="outcome"),
    path("documents/<int:pk>/", views.document, name="document"),
]
