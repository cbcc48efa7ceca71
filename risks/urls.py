from django.urls import path, re_path

from risks import views

app_name = "risks"

urlpatterns = [
    path("new/", views.report_concern, name="new"),
    path("saved/", views.send_saved_report, name="send_saved"),
    path("phone/", views.report_by_phone, name="phone"),
    path("queue/", views.triage_queue, name="queue"),
    path("mine/", views.my_concerns, name="mine"),
    path("rota/", views.rota, name="rota"),
    path("rota/new/", views.shift_edit, name="shift_new"),
    path("rota/<int:pk>/edit/", views.shift_edit, name="shift_edit"),
    path("<int:pk>/", views.risk_detail, name="detail"),
    re_path(
        r"^(?P<pk>[0-9]+)/(?P<action>triage|escalate|record_outcome|close|reopen)/$",
        views.risk_transition,
        name="transition",
    ),
]
