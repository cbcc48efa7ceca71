from django.urls import path

from livingwell.records import views

app_name = "records"

urlpatterns = [
    path("", views.export_list, name="exports"),
    path("security-events/", views.security_events, name="security_events"),
    path("clients/<int:pk>/request/", views.export_request_client, name="request_client"),
    path("volunteers/<int:pk>/request/", views.export_request_volunteer, name="request_volunteer"),
    path("exports/<int:pk>/", views.export_detail, name="export_detail"),
    path("exports/<int:pk>/approve/", views.export_approve, name="export_approve"),
    path("exports/<int:pk>/refuse/", views.export_refuse, name="export_refuse"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
]
