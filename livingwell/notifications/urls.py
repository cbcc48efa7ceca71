from django.urls import path

from livingwell.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/read/", views.mark_read, name="mark_read"),
    path("<int:pk>/attachment/", views.attachment, name="attachment"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
]
