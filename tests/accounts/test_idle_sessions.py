"""The idle limit: a session ends 30 minutes (to the minute) after the last request, and a
request writes the session at most once a minute to extend it."""

import datetime
import time

from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from livingwell.accounts.middleware import ACTIVITY_REFRESH_SECONDS, LAST_ACTIVE_AT
from tests.factories import UserFactory

HOME = reverse("home")
PASSWORD_CHANGE = reverse("password_change")
LOGIN = reverse("login")


def _stored(client) -> Session:
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def _session_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].startswith(("UPDATE", "INSERT")) and "django_session" in q["sql"]
    ]


def _age_activity(client, seconds: float) -> None:
    session = client.session
    session[LAST_ACTIVE_AT] = time.time() - seconds
    session.save()


def test_the_idle_limit_is_thirty_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_a_request_within_a_minute_of_the_last_does_not_write_the_session(login, db):
    client = login(UserFactory())
    client.get(PASSWORD_CHANGE)
    expires = _stored(client).expire_date
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PASSWORD_CHANGE)
    assert response.status_code == 200
    assert _session_writes(queries.captured_queries) == []
    assert "sessionid" not in response.cookies
    assert _stored(client).expire_date == expires


def test_a_request_more_than_a_minute_after_the_last_extends_the_session(login, db, settings):
    client = login(UserFactory())
    _age_activity(client, ACTIVITY_REFRESH_SECONDS + 1)
    Session.objects.filter(session_key=client.cookies["sessionid"].value).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=5)
    )
    response = client.get(PASSWORD_CHANGE)
    assert response.status_code == 200
    stored = _stored(client)
    assert stored.expire_date > timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    assert time.time() - stored.get_decoded()[LAST_ACTIVE_AT] < 60
    # The browser's cookie is extended with it.
    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE


def test_a_session_idle_for_thirty_minutes_is_signed_out(login, db):
    client = login(UserFactory())
    client.get(PASSWORD_CHANGE)
    # Thirty minutes after the last write, the stored session has expired.
    Session.objects.filter(session_key=client.cookies["sessionid"].value).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/"


def test_a_session_kept_busy_for_half_an_hour_stays_signed_in(login, db):
    client = login(UserFactory())
    for _ in range(3):
        _age_activity(client, ACTIVITY_REFRESH_SECONDS + 1)
        # Each request more than a minute apart moves the end of the session on.
        Session.objects.filter(session_key=client.cookies["sessionid"].value).update(
            expire_date=timezone.now() + datetime.timedelta(seconds=30)
        )
        assert client.get(PASSWORD_CHANGE).status_code == 200
        assert _stored(client).expire_date > timezone.now() + datetime.timedelta(minutes=29)


def test_signing_out_writes_no_session_back(login, db):
    client = login(UserFactory())
    client.get(PASSWORD_CHANGE)
    with CaptureQueriesContext(connection) as queries:
        client.post(reverse("logout"))
    # Signing out empties the session: nothing is written back for it.
    assert not any("INSERT" in sql for sql in _session_writes(queries.captured_queries))


def test_a_cookie_for_an_ended_session_makes_no_new_session(client, db):
    client.cookies["sessionid"] = "no-such-session-key-0000000000000"
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert Session.objects.count() == 0
