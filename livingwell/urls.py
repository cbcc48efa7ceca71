from django.contrib import admin
from django.urls import include, path

from livingwell import health
from livingwell.accounts.views import home
from livingwell.offline import views as offline_views

admin.site.site_header = "Living Well administration"
admin.site.site_title = "Living Well administration"
admin.site.index_title = "Records and settings"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("livingwell.accounts.urls")),
    path("notifications/", include("livingwell.notifications.urls")),
    path("clients/", include("clients.urls")),
    path("volunteers/", include("volunteers.urls")),
    path("risks/", include("risks.urls")),
    path("directory/", include("risks.directory_urls")),
    path("meetings/", include("meetings.urls")),
    path("stories/", include("stories.urls")),
    path("reports/", include("livingwell.reports.urls")),
    path("records/", include("livingwell.records.urls")),
    path("offline/", include("livingwell.offline.urls")),
    # At the root, so that the service worker's scope covers every page of the app.
    path("sw.js", offline_views.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline_views.manifest, name="manifest"),
    path("admin/", admin.site.urls),
    path("", home, name="home"),
]

handler400 = "livingwell.errors.bad_request"
handler403 = "livingwell.errors.permission_denied"
handler404 = "livingwell.errors.page_not_found"
handler500 = "livingwell.errors.server_error"
