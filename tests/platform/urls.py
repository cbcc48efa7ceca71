"""Extra routes for the error page tests: a page that refuses, and one that fails."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from livingwell.urls import handler403, handler404, handler500  # noqa: F401
from livingwell.urls import urlpatterns as site_urlpatterns


def refuses(request):
    raise PermissionDenied


def fails(request):
    raise RuntimeError("something broke")


urlpatterns = [
    path("test-refuses/", refuses),
    path("test-fails/", fails),
    *site_urlpatterns,
]
