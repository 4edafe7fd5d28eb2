from django.urls import path

from kttc.center.inquiries import views

app_name = "inquiries"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("mine/", views.mine, name="mine"),
    path("ask/<int:achievement_pk>/", views.ask, name="ask"),
    path("<int:pk>/", views.thread, name="thread"),
    path("<int:pk>/close/", views.close, name="close"),
]
