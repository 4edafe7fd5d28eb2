from django.urls import path

from kttc.center.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("queue/", views.queue, name="queue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/decline/", views.decline, name="decline"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/declare/", views.declare, name="declare"),
    path("<int:pk>/score/", views.score, name="score"),
    path("<int:pk>/sign/", views.sign, name="sign"),
    path("<int:pk>/show/", views.show, name="show"),
    path("<int:pk>/report-<str:language>.pdf", views.pdf, name="pdf"),
    path("<int:pk>/compare/<int:other>/", views.compare, name="compare"),
]
