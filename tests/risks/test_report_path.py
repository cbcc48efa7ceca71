"""The write path a volunteer takes to report a concern (the form, then sending it), kept
short: the statements it runs do not grow with the volunteer's clients, read the
categories once, hold no server-side cursor, take no savepoints, and write no session
(the confirmation travels in a signed cookie)."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from livingwell.notifications.models import Notification
from livingwell.submissions.models import Submission
from livingwell.submissions.services import submit_once
from risks import services
from risks.models import RiskReport, Severity
from tests.factories import ClientFactory
from tests.risks.factories import ensure_visits
from tests.support.forms import once
from tests.support.queries import queries_for

NEW = reverse("risks:new")


def _form(world, client=None, **changes) -> dict:
    return once(
        {
            "client": (client or world.elsie).pk,
            "category": world.falls.pk,
            "severity": Severity.MEDIUM,
            "what_was_seen": "The heating was off and she was wearing her coat indoors.",
            "observed_at": timezone.localtime(timezone.now() - datetime.timedelta(hours=1)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            **changes,
        }
    )


def _touching(queries, table: str, writes_only: bool = False) -> list[str]:
    found = [sql for sql in queries if f'"{table}"' in sql or f" {table} " in sql]
    return [sql for sql in found if sql.startswith(("INSERT", "UPDATE", "DELETE"))] if writes_only else found


def test_the_report_form_runs_the_same_queries_for_one_client_or_many(world, signed_in):
    browser = signed_in(world.volunteer)
    browser.get(NEW)  # the session's first activity stamp is written here
    one = queries_for(lambda: browser.get(NEW))
    for n in range(6):
        ensure_visits(
            ClientFactory(last_name=f"Many{n}", gp_practice=world.elsie.gp_practice), world.volunteer
        )
    page = browser.get(NEW)
    many = queries_for(lambda: browser.get(NEW))
    assert "Many5" in page.text
    assert len(one) == len(many)
    assert len(_touching(many, "risks_riskcategory")) == 1
    assert not [sql for sql in many if sql.startswith("DECLARE")]
    # Within a minute of the last request, showing the form writes nothing at all.
    assert not [sql for sql in many if sql.startswith(("INSERT", "UPDATE", "DELETE"))]


# Committed for real, as in production: inside a test's own transaction every atomic block
# would be a savepoint.
@pytest.mark.django_db(transaction=True)
def test_sending_a_concern_and_reading_its_confirmation_take_no_savepoints_and_write_no_session(
    world, signed_in
):
    browser = signed_in(world.volunteer)
    browser.post(NEW, _form(world))  # the first also fills the process's content-type cache
    first = queries_for(lambda: browser.post(NEW, _form(world, what_was_seen="The fridge was empty.")))
    second = queries_for(lambda: browser.post(NEW, _form(world, what_was_seen="The lights were off.")))
    assert RiskReport.objects.count() == 3
    assert len(first) == len(second)
    assert not [sql for sql in second if "SAVEPOINT" in sql]
    assert len(_touching(second, "risks_riskcategory")) == 1
    assert not _touching(second, "django_session", writes_only=True)
    # One statement claims the key, one names the concern it made.
    assert len(_touching(second, "submissions_submission")) == 2

    latest = reverse("risks:detail", args=[RiskReport.objects.latest("pk").pk])
    confirmation = queries_for(lambda: browser.get(latest))
    assert not _touching(confirmation, "django_session", writes_only=True)
    assert "Thank you. Your concern has been sent." not in browser.get(latest).text  # shown once


def test_a_concern_sent_twice_is_recorded_once(world, signed_in):
    browser = signed_in(world.volunteer)
    form = _form(world)
    first = browser.post(NEW, form)
    again = browser.post(NEW, form, follow=True)
    risk = RiskReport.objects.get()
    assert first["Location"] == reverse("risks:detail", args=[risk.pk])
    assert again.redirect_chain[0][0] == reverse("risks:detail", args=[risk.pk])
    assert "Already sent" in again.text
    assert Submission.objects.get().object_id == str(risk.pk)


def test_an_urgent_concern_still_leaves_its_alert_in_the_outbox(
    world, signed_in, django_capture_on_commit_callbacks
):
    browser = signed_in(world.volunteer)
    with django_capture_on_commit_callbacks() as callbacks:
        response = browser.post(NEW, _form(world, severity=Severity.URGENT))
    assert response.status_code == 302
    alert = Notification.objects.get(kind=Notification.Kind.URGENT_CONCERN)
    assert alert.recipient == world.team_leader
    assert alert.delivered_at is None
    assert alert.next_attempt_at is not None
    assert len(callbacks) == 1  # delivery is enqueued once the concern is saved


def test_a_refused_concern_keeps_neither_concern_nor_key_so_it_can_be_sent_again(world):
    key = uuid.uuid4()
    not_visited = ClientFactory(last_name="Unvisited", gp_practice=world.elsie.gp_practice)
    details = {
        "category": world.falls,
        "severity": Severity.MEDIUM,
        "what_was_seen": "Her front door was open.",
        "observed_at": timezone.now() - datetime.timedelta(hours=1),
    }
    with pytest.raises(ValidationError):
        submit_once(
            key=key,
            by=world.volunteer,
            create=lambda: services.risk_report(by=world.volunteer, client=not_visited, **details),
        )
    assert (RiskReport.objects.count(), Submission.objects.count()) == (0, 0)
    submitted = submit_once(
        key=key,
        by=world.volunteer,
        create=lambda: services.risk_report(by=world.volunteer, client=world.elsie, **details),
    )
    assert not submitted.is_repeat
    assert RiskReport.objects.get() == submitted.record
