"""Closed client records are anonymised once their last contact is older than the retention
period; the figures the reports count stay the same."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone

from clients.models import Allocation, Client, Consent
from clients.services import client_update
from livingwell.notifications.models import Notification
from livingwell.records import services
from livingwell.records.tasks import anonymise_expired_client_records
from livingwell.reports.periods import ReportPeriod
from livingwell.reports.selectors import (
    ConcernFilter,
    concerns_by_category,
    journey_figures,
    outcomes_by_kind,
)
from meetings.models import Action, AgendaItem
from risks.models import Outcome, Referral, RiskEvent, RiskReport


def age(client, *, days: int) -> None:
    """Move everything about `client` `days` into the past, as if it had happened then."""
    back = datetime.timedelta(days=days)
    Client.objects.filter(pk=client.pk).update(created_at=F("created_at") - back)
    Consent.objects.filter(client=client).update(
        recorded_at=F("recorded_at") - back,
        withdrawn_at=F("withdrawn_at") - back,
        given_on=F("given_on") - back,
    )
    Allocation.objects.filter(client=client).update(
        started_on=F("started_on") - back, ended_on=F("ended_on") - back
    )
    RiskReport.objects.filter(client=client).update(
        reported_at=F("reported_at") - back,
        observed_at=F("observed_at") - back,
        due_at=F("due_at") - back,
        triaged_at=F("triaged_at") - back,
        escalated_at=F("escalated_at") - back,
        outcome_at=F("outcome_at") - back,
    )
    RiskEvent.objects.filter(risk__client=client).update(at=F("at") - back)
    Referral.objects.filter(risk__client=client).update(made_at=F("made_at") - back)
    Outcome.objects.filter(risk__client=client).update(recorded_at=F("recorded_at") - back)


def close(client, by) -> None:
    client_update(
        client=client, by=by, status=Client.Status.CLOSED, closed_reason="Moved away from Cornwall."
    )


NINE_YEARS = 9 * 366
SEVEN_YEARS = 7 * 365


@pytest.fixture
def old_and_closed(world, histories):
    close(world.elsie, world.coordinator)
    age(world.elsie, days=NINE_YEARS)
    return world.elsie


def test_the_retention_period_is_eight_years_unless_set():
    assert django_settings.CLIENT_RECORD_RETENTION_YEARS == 8


def test_the_task_runs_nightly_at_half_past_two():
    entry = django_settings.CELERY_BEAT_SCHEDULE["records-anonymise-expired-client-records"]
    assert entry["task"] == "livingwell.records.tasks.anonymise_expired_client_records"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({2}, {30})


@pytest.mark.django_db
def test_a_closed_record_past_the_retention_period_is_anonymised(world, old_and_closed, histories):
    assert anonymise_expired_client_records() == 1
    elsie = Client.objects.get(pk=old_and_closed.pk)
    assert elsie.anonymised_at is not None
    assert "Elsie" not in elsie.first_name
    assert "Trewin" not in elsie.last_name
    assert elsie.date_of_birth == datetime.date(1941, 1, 1)
    assert elsie.nhs_number == ""
    assert elsie.phone == ""
    assert "Chapel Street" not in elsie.address
    assert elsie.postcode == "TR18"
    assert elsie.practical_needs == ""
    concern = RiskReport.objects.get(client=elsie)
    assert "unsteady" not in concern.what_was_seen
    outcome = Outcome.objects.get(risk__client=elsie)
    assert "Elsie" not in outcome.staff_summary + outcome.volunteer_message
    assert not Consent.objects.filter(client=elsie).exclude(note="", withdrawal_note="").exists()
    assert set(AgendaItem.objects.filter(client=elsie).values_list("discussion_note", flat=True)) == {""}
    assert "rail" not in Action.objects.get(item__client=elsie).what
    news = Notification.objects.get(link=f"/risks/{concern.pk}/", kind=Notification.Kind.GOOD_NEWS)
    assert "Elsie" not in news.title + news.body
    history = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Client), object_pk=str(elsie.pk)
    )
    assert history.exists()
    assert not any("Elsie" in str(entry.changes) + entry.object_repr for entry in history)


@pytest.mark.django_db
def test_other_records_are_left_alone(world, old_and_closed):
    # Jack: closed, but seen seven years ago. Morwenna: nine years ago, but still open.
    close(world.jack, world.coordinator)
    age(world.jack, days=SEVEN_YEARS)
    age(world.morwenna, days=NINE_YEARS)
    anonymise_expired_client_records()
    assert not Client.objects.filter(
        pk__in=[world.jack.pk, world.morwenna.pk], anonymised_at__isnull=False
    ).exists()
    jack = Client.objects.get(pk=world.jack.pk)
    assert jack.first_name == "Jack"
    assert "unsteady" in RiskReport.objects.get(client=jack).what_was_seen


@pytest.mark.django_db
def test_a_recent_contact_keeps_an_old_record(world, old_and_closed):
    # A concern's step last month counts as contact, however old the record is.
    RiskEvent.objects.filter(risk__client=old_and_closed).update(
        at=timezone.now() - datetime.timedelta(days=30)
    )
    assert anonymise_expired_client_records() == 0


@pytest.mark.django_db
def test_a_shorter_retention_period_from_the_setting(world, histories, settings):
    close(world.jack, world.coordinator)
    age(world.jack, days=SEVEN_YEARS)
    settings.CLIENT_RECORD_RETENTION_YEARS = 6
    assert anonymise_expired_client_records() == 1
    assert Client.objects.get(pk=world.jack.pk).anonymised_at is not None


@pytest.mark.django_db
def test_running_twice_does_no_harm(world, old_and_closed):
    assert anonymise_expired_client_records() == 1
    first = Client.objects.get(pk=old_and_closed.pk)
    assert anonymise_expired_client_records() == 0
    assert Client.objects.get(pk=old_and_closed.pk).anonymised_at == first.anonymised_at


@pytest.mark.django_db
def test_the_reports_figures_are_the_same_before_and_after(world, old_and_closed):
    concerns = ConcernFilter((world.west.pk, world.east.pk))
    moment = timezone.now() - datetime.timedelta(days=NINE_YEARS)
    month = datetime.timedelta(days=30)
    period = ReportPeriod(timezone.localdate(moment) - month, timezone.localdate(moment) + month)

    def figures():
        return (
            concerns_by_category(concerns, period),
            outcomes_by_kind(concerns, period),
            journey_figures(concerns, period),
        )

    before = figures()
    # Elsie's concern and its outcome are counted in the period.
    assert sum(row["total"] for row in before[0]) == 1
    assert outcomes_by_kind(concerns, period)["support_arranged"] == 1
    assert services.anonymise_expired_client_records() == 1
    assert figures() == before


@pytest.mark.django_db
def test_a_closed_record_with_nothing_but_its_own_age_is_anonymised(world):
    from tests.factories import ClientFactory

    quiet = ClientFactory(first_name="Loveday", last_name="Hocking", gp_practice=world.elsie.gp_practice)
    close(quiet, world.coordinator)
    age(quiet, days=NINE_YEARS)
    assert anonymise_expired_client_records() == 1
    assert Client.objects.get(pk=quiet.pk).first_name == "Anonymised"
