from django.urls import path

from risks import views

app_name = "directory"

urlpatterns = [
    path("", views.directory, name="list"),
    path("new/", views.service_edit, name="new"),
    path("<int:pk>/edit/", views.service_edit, name="edit"),
]
