"""Extra routes for the error page tests: a page that refuses, one that fails, and one
whose database cannot be reached."""

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.exceptions import SessionInterrupted
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, OperationalError
from django.urls import path

from livingwell.urls import handler400, handler403, handler404, handler500  # noqa: F401
from livingwell.urls import urlpatterns as site_urlpatterns


def saving_the_session_fails(database_error):
    # As SessionMiddleware and the database session store chain them.
    try:
        try:
            raise database_error
        except DatabaseError:
            raise UpdateError  # noqa: B904
    except UpdateError:
        raise SessionInterrupted("The request's session was deleted before the request completed.")  # noqa: B904


def session_not_saved(request):
    # PostgreSQL went away while the session was being saved.
    saving_the_session_fails(OperationalError("the database system is shutting down"))


def session_gone(request):
    # The session was ended in another tab while this request ran.
    saving_the_session_fails(DatabaseError("Forced update did not affect any rows."))


def refuses(request):
    raise PermissionDenied


def fails(request):
    raise RuntimeError("something broke")


def database_unreachable(request):
    # What psycopg raises while PostgreSQL restarts (make loadtest restarts it for real).
    raise OperationalError("the database system is shutting down")


urlpatterns = [
    path("test-database-unreachable/", database_unreachable),
    path("test-session-not-saved/", session_not_saved),
    path("test-session-gone/", session_gone),
    path("test-refuses/", refuses),
    path("test-fails/", fails),
    *site_urlpatterns,
]
