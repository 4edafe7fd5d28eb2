from django.urls import path

from kttc.oversight.meeting import views

app_name = "meeting"
urlpatterns = [
    path("", views.office_list, name="list"),
    path("raise/", views.raise_difficulty, name="raise"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/conclude/", views.conclude, name="conclude"),
    path("sessions/new/", views.convene, name="convene"),
    path("sessions/<int:pk>/", views.session, name="session"),
    path("sessions/<int:pk>/minutes/", views.minutes, name="minutes"),
    path("sessions/<int:pk>/decide/<int:difficulty>/", views.decide, name="decide"),
    path("tasks/<int:pk>/close/", views.task_close, name="task_close"),
    path("tasks/<int:pk>/reopen/", views.task_reopen, name="task_reopen"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("task-documents/<int:pk>/", views.task_document, name="task_document"),
]
