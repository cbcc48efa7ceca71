"""Extra routes for the error page tests: a page that refuses, one that fails, and one
whose database cannot be reached."""

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.urls import path

from livingwell.urls import handler403, handler404, handler500  # noqa: F401
from livingwell.urls import urlpatterns as site_urlpatterns


def refuses(request):
    raise PermissionDenied


def fails(request):
    raise RuntimeError("something broke")


def database_unreachable(request):
    # What psycopg raises while PostgreSQL restarts (make loadtest restarts it for real).
    raise OperationalError("the database system is shutting down")


urlpatterns = [
    path("test-database-unreachable/", database_unreachable),
    path("test-refuses/", refuses),
    path("test-fails/", fails),
    *site_urlpatterns,
]
