from django.urls import path

from kttc.center.demands import views

app_name = "demands"
urlpatterns = [
    path("", views.hall, name="hall"),
    path("new/", views.new, name="new"),
    path("mine/", views.mine, name="mine"),
    path("moderation/", views.moderation, name="moderation"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/translations/", views.translate, name="translate"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("answers/<int:pk>/withdraw/", views.answer_withdraw, name="answer_withdraw"),
]
