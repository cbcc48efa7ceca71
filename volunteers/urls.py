from django.urls import path, re_path

from volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("", views.volunteer_list, name="list"),
    path("new/", views.volunteer_create, name="create"),
    path("me/", views.my_profile, name="me"),
    path("<int:pk>/", views.volunteer_detail, name="detail"),
    path("<int:pk>/edit/", views.volunteer_edit, name="edit"),
    re_path(
        r"^(?P<pk>[0-9]+)/(?P<kind>dbs|training|agreement)/new/$",
        views.volunteer_record_add,
        name="record_add",
    ),
]
