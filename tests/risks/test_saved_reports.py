"""Reports kept on a volunteer's phone while there was no signal, sent later by the phone's
JavaScript (POST /risks/saved/): one concern however many times the same report is sent,
late arrivals judged by the day the concern was seen, the three times on its timeline, and
JSON answers for every input and every person."""

import datetime
import re

import pytest
from django.test import Client as Browser
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.dateparse import parse_datetime

from clients.models import Allocation
from clients.services import allocation_end
from livingwell.dates import long_date
from livingwell.notifications.models import Notification
from livingwell.submissions.forms import KEY_FIELD
from risks.models import RiskEvent, RiskReport, Severity
from risks.views import JUST_REPORTED
from tests.risks.factories import OnCallShiftFactory, ensure_visits
from tests.support.access_table import signed_in
from tests.support.concurrency import at_once
from tests.support.forms import once

SAVED = reverse("risks:send_saved")
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def local(moment: datetime.datetime) -> str:
    """As the report form's box sends it: local time, to the minute, with no offset."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def shown(moment: datetime.datetime) -> str:
    return dateformat.format(timezone.localtime(moment), "j M Y, H:i")


def whole_minutes_ago(delta: datetime.timedelta) -> datetime.datetime:
    return (timezone.now() - delta).replace(second=0, microsecond=0)


def saved_report(world, **changes) -> dict:
    """Vera's report about Elsie, kept on her phone: seen three hours ago, written two."""
    return once(
        {
            "client": world.elsie.pk,
            "category": world.falls.pk,
            "severity": Severity.HIGH,
            "what_was_seen": "Her kitchen was cold and the boiler showed a red light.",
            "observed_at": local(timezone.now() - 3 * HOUR),
            "action_taken": "Put the fan heater on.",
            "client_wishes": "She wants her son told.",
            "written_at": whole_minutes_ago(2 * HOUR).isoformat(),
            **changes,
        }
    )


def page_text(response) -> str:
    """A page's words, without its tags and spacing."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def visits_ended(world, *, started_days_ago: int, ended_days_ago: int) -> Allocation:
    """Vera's visits to Elsie, started and ended (through the service, which revokes her
    access) on the days given."""
    allocation = world.elsie.allocations.get()
    allocation_end(allocation=allocation, by=world.coordinator, reason="Moved to a care home")
    today = timezone.localdate()
    Allocation.objects.filter(pk=allocation.pk).update(
        started_on=today - datetime.timedelta(days=started_days_ago),
        ended_on=today - datetime.timedelta(days=ended_days_ago),
    )
    return allocation


def at_noon(days_ago: int) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


# --- Arriving once ------------------------------------------------------------------------


def test_a_saved_report_arrives_as_a_new_concern(world):
    browser = signed_in(world.volunteer)
    data = saved_report(world)
    before = timezone.now()

    response = browser.post(SAVED, data)

    assert response.status_code == 201, response.content
    risk = RiskReport.objects.get()
    answer = response.json()
    assert answer == {
        "id": risk.pk,
        "url": f"/risks/{risk.pk}/",
        "arrived_at": answer["arrived_at"],
        "arrived_at_text": f"{timezone.localtime(risk.reported_at):%H:%M}",
        "repeat": False,
    }
    assert parse_datetime(answer["arrived_at"]) == risk.reported_at
    assert before <= risk.reported_at <= timezone.now()
    assert (risk.client, risk.reported_by, risk.severity) == (world.elsie, world.volunteer, Severity.HIGH)
    assert risk.written_at == parse_datetime(data["written_at"])
    assert local(risk.observed_at) == data["observed_at"]
    assert risk.action_taken == "Put the fan heater on."
    # The concern's page then thanks her, as after the report form.
    assert response.cookies[JUST_REPORTED].value
    assert "Thank you. Your concern has been sent." in browser.get(answer["url"]).content.decode()


def test_the_same_report_sent_again_answers_with_the_concern_it_made(world):
    browser = signed_in(world.volunteer)
    data = saved_report(world)
    first = browser.post(SAVED, data).json()

    again = browser.post(SAVED, data)

    assert again.status_code == 200
    assert again.json() == {**first, "repeat": True}
    assert JUST_REPORTED not in again.cookies
    assert RiskReport.objects.count() == 1
    assert RiskEvent.objects.count() == 1


def test_a_repeat_says_when_the_concern_first_arrived(world):
    browser = signed_in(world.volunteer)
    data = saved_report(world)
    browser.post(SAVED, data)
    risk = RiskReport.objects.get()
    RiskReport.objects.filter(pk=risk.pk).update(
        reported_at=risk.reported_at - 20 * datetime.timedelta(minutes=1)
    )

    again = browser.post(SAVED, data).json()

    first_arrived = risk.reported_at - datetime.timedelta(minutes=20)
    assert parse_datetime(again["arrived_at"]) == first_arrived
    assert again["arrived_at_text"] == f"{timezone.localtime(first_arrived):%H:%M}"


@pytest.mark.django_db(transaction=True)
def test_the_same_report_sent_from_two_tabs_at_once_makes_one_concern(world):
    data = saved_report(world)
    tabs = [signed_in(world.volunteer) for _ in range(3)]

    answers = at_once(*(lambda tab=tab: tab.post(SAVED, data) for tab in tabs))

    risk = RiskReport.objects.get()
    statuses = sorted(getattr(answer, "status_code", answer) for answer in answers)
    assert statuses == [200, 200, 201]
    assert {answer.json()["id"] for answer in answers} == {risk.pk}
    assert sorted(answer.json()["repeat"] for answer in answers) == [False, True, True]
    assert RiskEvent.objects.count() == 1


def test_another_persons_key_makes_nothing_and_shows_nothing(world):
    jack_report = saved_report(world, client=world.jack.pk)
    signed_in(world.other_volunteer).post(SAVED, jack_report)

    response = signed_in(world.volunteer).post(
        SAVED, saved_report(world, **{KEY_FIELD: jack_report[KEY_FIELD]})
    )

    assert response.status_code == 400
    assert (
        response.json()["message"] == "This form has already been used. Please open it again and fill it in."
    )
    assert "Nankervis" not in response.content.decode()
    assert RiskReport.objects.count() == 1


def test_a_report_written_by_another_volunteer_on_a_shared_phone_is_not_sent_as_theirs(world):
    """Victor signs in on the phone where Vera's report waits: it is not recorded as his,
    even about a client they both visit, and it stays for Vera."""
    ensure_visits(world.elsie, world.other_volunteer)
    response = signed_in(world.other_volunteer).post(
        SAVED, saved_report(world, written_by=world.volunteer.pk)
    )

    assert response.status_code == 409
    assert "someone else who uses this phone" in response.json()["message"]
    assert RiskReport.objects.count() == 0

    sent = signed_in(world.volunteer).post(SAVED, saved_report(world, written_by=world.volunteer.pk))
    assert sent.status_code == 201
    assert RiskReport.objects.get().reported_by == world.volunteer


@pytest.mark.parametrize("written_by", ["", "abc", "٣", "0"])
def test_an_unreadable_writer_is_never_taken_for_the_volunteer_signed_in(world, written_by):
    response = signed_in(world.volunteer).post(SAVED, saved_report(world, written_by=written_by))
    assert response.status_code == 409
    assert RiskReport.objects.count() == 0


def test_a_report_sent_with_the_token_the_phone_was_given_passes_the_csrf_check(world):
    browser = Browser(enforce_csrf_checks=True)
    browser.force_login(world.volunteer, backend="django.contrib.auth.backends.ModelBackend")
    token = browser.get(reverse("offline:data")).json()["csrf_token"]

    without = browser.post(SAVED, saved_report(world))
    assert without.status_code == 403
    assert RiskReport.objects.count() == 0

    sent = browser.post(SAVED, saved_report(world), HTTP_X_CSRFTOKEN=token)
    assert sent.status_code == 201
    assert RiskReport.objects.count() == 1


# --- Late arrivals --------------------------------------------------------------------------


def test_a_late_report_is_accepted_when_the_volunteer_visited_on_the_day_it_was_seen(world):
    visits_ended(world, started_days_ago=30, ended_days_ago=2)

    response = signed_in(world.volunteer).post(SAVED, saved_report(world, observed_at=local(at_noon(3))))

    assert response.status_code == 201, response.content
    assert RiskReport.objects.get().client == world.elsie


def test_the_day_the_visits_ended_still_counts(world):
    visits_ended(world, started_days_ago=30, ended_days_ago=2)

    response = signed_in(world.volunteer).post(SAVED, saved_report(world, observed_at=local(at_noon(2))))

    assert response.status_code == 201, response.content


def test_a_late_report_seen_after_the_visits_ended_is_refused_with_what_to_do(world):
    visits_ended(world, started_days_ago=30, ended_days_ago=2)
    seen = at_noon(1)

    response = signed_in(world.volunteer).post(SAVED, saved_report(world, observed_at=local(seen)))

    assert response.status_code == 400
    message = (
        f"You did not visit Elsie Trewin on {long_date(seen.date())}, when you saw this, and you do "
        "not visit Elsie now, so this report cannot be sent. Please phone your coordinator about it."
    )
    assert response.json() == {"errors": {"__all__": [message]}, "message": message}
    assert RiskReport.objects.count() == 0


def test_a_late_report_seen_before_the_visits_began_is_refused(world):
    visits_ended(world, started_days_ago=5, ended_days_ago=2)

    response = signed_in(world.volunteer).post(SAVED, saved_report(world, observed_at=local(at_noon(6))))

    assert response.status_code == 400
    assert response.json()["message"].startswith("You did not visit Elsie Trewin on ")


def test_a_refused_late_report_can_be_sent_again_with_the_same_key_once_corrected(world):
    visits_ended(world, started_days_ago=30, ended_days_ago=2)
    data = saved_report(world, observed_at=local(at_noon(1)))
    browser = signed_in(world.volunteer)
    assert browser.post(SAVED, data).status_code == 400

    corrected = browser.post(SAVED, {**data, "observed_at": local(at_noon(3))})

    assert corrected.status_code == 201


def test_clients_visited_more_than_a_year_ago_are_not_among_the_choices(world):
    visits_ended(world, started_days_ago=500, ended_days_ago=400)

    response = signed_in(world.volunteer).post(SAVED, saved_report(world, observed_at=local(at_noon(1))))

    assert response.status_code == 400
    assert response.json()["errors"] == {"client": ["Choose one of your clients from the list."]}


def test_a_volunteer_still_opens_the_concern_they_sent_after_their_visits_ended(world):
    visits_ended(world, started_days_ago=30, ended_days_ago=2)
    browser = signed_in(world.volunteer)
    url = browser.post(SAVED, saved_report(world, observed_at=local(at_noon(3)))).json()["url"]

    page = browser.get(url)

    assert page.status_code == 200
    assert "Elsie" in page.content.decode()


def test_an_urgent_late_report_still_alerts_the_team_leader_on_call(world):
    OnCallShiftFactory(area=world.west, team_leader=world.team_leader)
    written = whole_minutes_ago(2 * HOUR)

    response = signed_in(world.volunteer).post(
        SAVED, saved_report(world, severity=Severity.URGENT, written_at=written.isoformat())
    )

    assert response.status_code == 201
    alert = Notification.objects.get(kind=Notification.Kind.URGENT_CONCERN)
    assert alert.recipient == world.team_leader
    assert "Elsie Trewin" in alert.title
    assert (
        f"written on the volunteer's phone {dateformat.format(timezone.localtime(written), 'j M, H:i')}"
        in alert.body
    )


# --- Seen, written, arrived -----------------------------------------------------------------


@pytest.mark.parametrize(
    "written_at",
    [
        pytest.param(lambda: timezone.now() + 10 * datetime.timedelta(minutes=1), id="after-it-arrived"),
        pytest.param(lambda: timezone.now() - 400 * DAY, id="more-than-a-year-ago"),
        pytest.param(lambda: "0001-01-01T00:00:00+14:00", id="year-1-with-an-offset"),
        pytest.param(lambda: "9999-12-31T23:59:59-12:00", id="year-9999-with-an-offset"),
    ],
)
def test_a_phone_clock_that_cannot_be_right_is_not_recorded_and_the_report_still_arrives(world, written_at):
    value = written_at()
    value = value if isinstance(value, str) else value.isoformat()

    response = signed_in(world.volunteer).post(SAVED, saved_report(world, written_at=value))

    assert response.status_code == 201, response.content
    assert RiskReport.objects.get().written_at is None


def test_a_phone_clock_a_few_minutes_fast_is_recorded(world):
    written = timezone.now() + 3 * datetime.timedelta(minutes=1)

    signed_in(world.volunteer).post(SAVED, saved_report(world, written_at=written.isoformat()))

    assert RiskReport.objects.get().written_at == written


def the_last_night_the_clocks_went_back() -> datetime.date:
    """The last Sunday of October most recently passed: within the last year."""
    today = timezone.localdate()
    for year in (today.year, today.year - 1):
        days = (datetime.date(year, 10, day) for day in range(25, 32))
        last_sunday = next(day for day in days if day.weekday() == 6)
        if last_sunday < today:
            return last_sunday
    raise AssertionError("unreachable")


def test_a_seen_time_with_its_offset_in_the_hour_the_clocks_went_back_is_recorded_exactly(world):
    night = the_last_night_the_clocks_went_back()
    second_half_past_one = datetime.datetime.combine(night, datetime.time(1, 30), tzinfo=datetime.UTC)

    response = signed_in(world.volunteer).post(
        SAVED, saved_report(world, observed_at=second_half_past_one.isoformat())
    )

    assert response.status_code == 201, response.content
    assert RiskReport.objects.get().observed_at == second_half_past_one


def test_a_time_in_that_hour_without_its_offset_is_refused_plainly_not_guessed(world):
    night = the_last_night_the_clocks_went_back()
    response = signed_in(world.volunteer).post(SAVED, saved_report(world, observed_at=f"{night}T01:30"))
    assert response.status_code == 400
    assert response.json()["message"].startswith("The clocks changed at that time")
    assert RiskReport.objects.count() == 0


def test_a_report_without_a_written_time_arrives_without_one(world):
    response = signed_in(world.volunteer).post(SAVED, saved_report(world, written_at=""))
    assert response.status_code == 201
    assert RiskReport.objects.get().written_at is None


@pytest.mark.parametrize("reader", ["coordinator", "volunteer"])
def test_both_concern_pages_show_when_it_was_seen_written_and_arrived(world, reader):
    seen, written = whole_minutes_ago(26 * HOUR), whole_minutes_ago(25 * HOUR)
    signed_in(world.volunteer).post(
        SAVED, saved_report(world, observed_at=local(seen), written_at=written.isoformat())
    )
    risk = RiskReport.objects.get()

    text = page_text(signed_in(getattr(world, reader)).get(reverse("risks:detail", args=[risk.pk])))

    assert f"Seen {shown(seen)}" in text
    assert f"Written on the phone {shown(written)}" in text
    assert f"Arrived {shown(risk.reported_at)}" in text


@pytest.mark.parametrize("reader", ["coordinator", "volunteer"])
def test_a_concern_sent_at_once_shows_no_phone_time(world, reader):
    signed_in(world.volunteer).post(SAVED, saved_report(world, written_at=""))
    risk = RiskReport.objects.get()

    text = page_text(signed_in(getattr(world, reader)).get(reverse("risks:detail", args=[risk.pk])))

    assert "Written on the phone" not in text
    assert "Arrived" not in text


# --- Any input, anybody ---------------------------------------------------------------------

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

ODD_INPUTS = {
    "nothing-at-all": lambda world: {},
    "only-a-key": lambda world: once({}),
    "a-huge-report": lambda world: {"what_was_seen": "She said " * 100_000},
    "zero-width-characters-only": lambda world: {"what_was_seen": "\u200b\u200c\u200d\u2060\ufeff"},
    "another-volunteers-client": lambda world: {"client": world.jack.pk},
    "another-areas-client": lambda world: {"client": world.morwenna.pk},
    "a-client-in-other-digits": lambda world: {"client": str(world.jack.pk).translate(ARABIC_INDIC)},
    "a-client-number-too-big": lambda world: {"client": "9" * 30},
    "a-client-that-is-text": lambda world: {"client": "Elsie"},
    "no-category": lambda world: {"category": ""},
    "an-unknown-severity": lambda world: {"severity": "catastrophic"},
    "seen-in-the-year-1": lambda world: {"observed_at": "0001-01-01T00:00"},
    "seen-in-the-year-9999": lambda world: {"observed_at": "9999-12-31T23:59"},
    "seen-tomorrow": lambda world: {"observed_at": local(timezone.now() + DAY)},
    "seen-on-the-13th-month-in-other-digits": lambda world: {
        "observed_at": "2026-13-01T10:00".translate(ARABIC_INDIC)
    },
    "seen-at-no-time": lambda world: {"observed_at": "yesterday"},
    "a-key-that-is-no-key": lambda world: {KEY_FIELD: "not-a-key"},
    "written-at-no-time": lambda world: {"written_at": "half past two"},
    "written-at-in-other-digits-and-nonsense": lambda world: {"written_at": "٢٠٢٦-٩٩-٩٩T٩٩:٩٩"},
}


@pytest.mark.parametrize("odd", list(ODD_INPUTS))
def test_odd_input_is_refused_in_plain_json_and_makes_nothing(world, odd):
    changes = ODD_INPUTS[odd](world)
    data = changes if odd in ("nothing-at-all", "only-a-key") else saved_report(world, **changes)

    response = signed_in(world.volunteer).post(SAVED, data)

    assert response.status_code == 400, response.content
    answer = response.json()
    assert set(answer) == {"errors", "message"}
    assert answer["errors"]
    assert all(isinstance(said, list) and said for said in answer["errors"].values())
    assert answer["message"] in [said for field in answer["errors"].values() for said in field]
    assert RiskReport.objects.count() == 0


def test_control_characters_are_tidied_away_not_stored(world):
    response = signed_in(world.volunteer).post(
        SAVED, saved_report(world, what_was_seen="Cold\x00 kitchen\u200b")
    )
    assert response.status_code == 201
    assert RiskReport.objects.get().what_was_seen == "Cold kitchen"


def test_a_request_too_big_to_read_is_refused_not_failed(world):
    response = signed_in(world.volunteer).post(
        SAVED, saved_report(world, what_was_seen="x" * 3_000_000), headers={"Accept": "application/json"}
    )
    assert response.status_code == 400
    assert "too long to send" in response.json()["message"]
    assert RiskReport.objects.count() == 0


def test_a_page_too_big_to_read_still_gets_the_plain_bad_request_page(world):
    response = signed_in(world.volunteer).post(SAVED, saved_report(world, what_was_seen="x" * 3_000_000))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_a_signed_out_phone_is_asked_to_sign_in_again(world, client):
    response = client.post(SAVED, saved_report(world))
    assert response.status_code == 401
    assert response.json() == {"message": "Please sign in again."}
    assert RiskReport.objects.count() == 0


@pytest.mark.parametrize(
    "person",
    ["coordinator", "team_leader", "other_coordinator", "manager", "mdt_chair", "clinician", "no_role"],
)
def test_only_volunteers_send_saved_reports(world, person):
    response = signed_in(getattr(world, person)).post(SAVED, saved_report(world))
    assert response.status_code == 403
    assert response.json() == {"message": "Only volunteers can report concerns from their phone."}
    assert RiskReport.objects.count() == 0


def test_saved_reports_are_only_sent(world):
    assert signed_in(world.volunteer).get(SAVED).status_code == 405


def test_a_volunteer_cannot_send_a_report_about_another_volunteers_client(world):
    response = signed_in(world.other_volunteer).post(SAVED, saved_report(world))  # about Elsie
    assert response.status_code == 400
    assert response.json()["errors"] == {"client": ["Choose one of your clients from the list."]}
    assert RiskReport.objects.count() == 0


def test_a_volunteer_sends_a_report_about_their_own_client(world):
    """The other side of the test above: Victor's report about Jack, whom he visits."""
    response = signed_in(world.other_volunteer).post(SAVED, saved_report(world, client=world.jack.pk))
    assert response.status_code == 201
    assert RiskReport.objects.get().reported_by == world.other_volunteer
