from django.urls import path, re_path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_plan, name="new"),
    path("practices/<int:practice_pk>/protocol/", views.protocol_edit, name="protocol"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/meeting.ics", views.meeting_calendar_file, name="calendar"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/invite/", views.meeting_invite, name="invite"),
    path("<int:pk>/attendance/", views.meeting_attendance, name="attendance"),
    path("<int:pk>/held/", views.meeting_held, name="held"),
    path("<int:pk>/finalise/", views.meeting_finalise, name="finalise"),
    path("<int:pk>/notes/", views.meeting_notes, name="notes"),
    path("<int:pk>/raise/", views.raise_concern, name="raise"),
    path("<int:pk>/actions/new/", views.action_add, name="action_add"),
    path("<int:pk>/actions/<int:action_pk>/done/", views.action_done, name="action_done"),
    path("<int:pk>/agenda/add/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/agenda/publish/", views.agenda_publish, name="publish"),
    re_path(
        r"^(?P<pk>[0-9]+)/items/(?P<item_pk>[0-9]+)/move/(?P<direction>up|down)/$",
        views.item_move,
        name="item_move",
    ),
    path("<int:pk>/items/<int:item_pk>/minutes/", views.item_minutes, name="item_minutes"),
    path("<int:pk>/items/<int:item_pk>/decide/", views.item_conclude, name="item_conclude"),
    path("<int:pk>/items/<int:item_pk>/outcome/", views.item_outcome, name="item_outcome"),
    path("<int:pk>/items/<int:item_pk>/remove/", views.item_remove, name="item_remove"),
    path("<int:pk>/items/<int:item_pk>/volunteer/", views.item_volunteer, name="item_volunteer"),
    path(
        "<int:pk>/items/<int:item_pk>/volunteer/remove/",
        views.item_volunteer_remove,
        name="item_volunteer_remove",
    ),
    path("<int:pk>/clients/<int:client_pk>/summary/", views.client_summary, name="summary"),
]
