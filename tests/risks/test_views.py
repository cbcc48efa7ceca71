"""The risk pages: reporting a concern (and by phone), the staff page and its transitions,
the volunteer's page, "My concerns", the triage queue, the directory and the rota."""

import datetime
import re
from html import unescape
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import ConsentScope
from clients.services import allocation_end, consent_give, consent_withdraw
from livingwell.accounts.models import Route
from livingwell.accounts.roles import Role
from livingwell.notifications.models import Notification
from risks import services
from risks.models import (
    OnCallShift,
    Outcome,
    OutcomeKind,
    Referral,
    RiskEvent,
    RiskReport,
    Service,
    Severity,
    Status,
)
from tests.risks.factories import OPEN_IN_WEST, OnCallShiftFactory, ServiceFactory, bulk_copies
from tests.support.forms import once
from tests.support.queries import queries_for

NEW = reverse("risks:new")
PHONE = reverse("risks:phone")
QUEUE = reverse("risks:queue")
MINE = reverse("risks:mine")


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def concern_form(world, **changes) -> dict:
    return once(
        {
            "client": world.elsie.pk,
            "category": world.falls.pk,
            "severity": Severity.URGENT,
            "what_was_seen": "She was on the floor when I arrived; she said she had been there an hour.",
            "observed_at": local(timezone.now() - datetime.timedelta(minutes=30)),
            "action_taken": "Called 111 and stayed with her.",
            **changes,
        }
    )


def counts() -> tuple[int, int, int]:
    return RiskReport.objects.count(), RiskEvent.objects.count(), Notification.objects.count()


def transition(browser, risk, action, data=None):
    return browser.post(reverse("risks:transition", args=[risk.pk, action]), once(data or {}), follow=True)


def detail(risk) -> str:
    return reverse("risks:detail", args=[risk.pk])


# --- Reporting a concern -------------------------------------------------------------------


def test_the_report_form_offers_only_the_volunteers_own_clients(world, signed_in):
    response = signed_in(world.volunteer).get(NEW)
    assert response.status_code == 200
    assert "Elsie Trewin" in response.text
    assert "Nankervis" not in response.text  # Victor's client, same area
    assert "Penrose" not in response.text  # another area


def the_form_drawn(html: str) -> str:
    """The report form's HTML without what changes from one showing to the next."""
    start = html.index('<form method="post" novalidate>')
    form = html[start : html.index("</form>", start)]
    form = re.sub(r'<input type="hidden" name="csrfmiddlewaretoken"[^>]*>', "", form)
    form = re.sub(r'name="(submission_key|observed_at)" value="[^"]*"', r'name="\1"', form)
    return re.sub(r"\s+", " ", form)


def test_the_report_forms_kept_drawing_is_the_same_as_a_fresh_one_and_follows_the_categories(
    world, signed_in
):
    from django.core.cache import cache
    from django.template.loader import render_to_string

    from risks.forms import ReportConcernForm

    cache.clear()
    browser = signed_in(world.volunteer)
    first = browser.get(NEW).text  # drawn, and kept
    kept = browser.get(NEW).text  # from what was kept
    fresh = render_to_string(
        "includes/form.html",
        {"form": ReportConcernForm(user=world.volunteer), "submit_label": "Send my concern"},
    )
    assert the_form_drawn(first) == the_form_drawn(kept) == the_form_drawn(fresh)
    assert "Falls and mobility" in the_form_drawn(kept)

    world.falls.name = "Falls, trips and mobility"
    world.falls.save()
    renamed = browser.get(NEW).text
    assert "Falls, trips and mobility" in the_form_drawn(renamed)
    assert "<summary>Falls, trips and mobility</summary>" in renamed


def test_a_volunteer_reports_a_concern_and_sees_it_was_sent(world, signed_in):
    OnCallShiftFactory(area=world.west, team_leader=world.team_leader)

    browser = signed_in(world.volunteer)
    response = browser.post(NEW, concern_form(world))

    risk = RiskReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(risk)
    assert (risk.client, risk.reported_by, risk.severity) == (world.elsie, world.volunteer, Severity.URGENT)
    # Urgent: it goes by the on-call team leader's phone line, not the area's monthly meeting.
    assert (risk.route, world.west.default_route) == (Route.TEAM_LEADER_PHONE, Route.FORMAL_MEETING)
    assert risk.action_taken == "Called 111 and stayed with her."
    page = browser.get(detail(risk))
    assert "Thank you. Your concern has been sent." in page.text
    assert Notification.objects.get().recipient == world.team_leader


def test_the_thank_you_shows_only_right_after_sending(world, signed_in):
    browser = signed_in(world.volunteer)
    browser.post(NEW, concern_form(world))
    risk = RiskReport.objects.get()

    assert "Thank you. Your concern has been sent." in browser.get(detail(risk)).text
    again = browser.get(detail(risk)).text
    assert "Thank you. Your concern has been sent." not in again
    assert "Your concern about Elsie Trewin" in again


def test_a_non_urgent_concern_takes_the_areas_own_route(world, signed_in):
    signed_in(world.volunteer).post(NEW, concern_form(world, severity=Severity.HIGH))

    assert RiskReport.objects.get().route == world.west.default_route == Route.FORMAL_MEETING


@pytest.mark.parametrize("forged", ["jack", "morwenna", "abc", "999999"])
def test_a_forged_client_is_refused_with_a_clear_message_and_nothing_is_saved(world, signed_in, forged):
    """Victor's client in the same area, a client of another area, nonsense, and no client at all."""
    OnCallShiftFactory(area=world.west, team_leader=world.team_leader)
    client = getattr(world, forged).pk if hasattr(world, forged) else forged

    response = signed_in(world.volunteer).post(NEW, concern_form(world, client=client))

    assert response.status_code == 200
    assert "Choose one of your clients from the list." in response.text
    assert counts() == (0, 0, 0)


def test_a_client_the_volunteer_no_longer_visits_is_refused(world, signed_in):
    allocation_end(allocation=world.elsie.allocations.get(), by=world.coordinator)
    response = signed_in(world.volunteer).post(NEW, concern_form(world))
    assert "Choose one of your clients from the list." in response.text
    assert counts() == (0, 0, 0)


def test_a_concern_seen_in_the_future_is_refused(world, signed_in):
    later = local(timezone.now() + datetime.timedelta(hours=2))
    response = signed_in(world.volunteer).post(NEW, concern_form(world, observed_at=later))
    assert response.status_code == 200
    assert "When you saw it cannot be in the future." in response.text
    assert counts() == (0, 0, 0)


def test_a_concern_without_a_severity_is_refused_in_plain_words(world, signed_in):
    data = concern_form(world)
    del data["severity"]
    response = signed_in(world.volunteer).post(NEW, data)
    assert response.status_code == 200
    assert "Choose how serious it is." in response.text
    assert counts() == (0, 0, 0)


def test_a_route_the_area_does_not_use_is_explained_on_the_form(world, signed_in):
    world.west.allowed_routes = [Route.COFFEE_MORNING]
    world.west.save()  # its default route, formal meetings, is no longer allowed
    response = signed_in(world.volunteer).post(NEW, concern_form(world))
    assert response.status_code == 200
    assert "West Cornwall does not use the route" in response.text
    assert counts() == (0, 0, 0)


# --- Recording a phone call -----------------------------------------------------------------


def phone_form(world, **changes) -> dict:
    return concern_form(world, **{"volunteer": world.volunteer.pk, "severity": Severity.HIGH, **changes})


def phone_form_of(volunteer) -> str:
    return f"{PHONE}?volunteer={volunteer.pk}"


def test_a_team_leader_records_a_phone_call_for_a_volunteer_of_the_area(world, signed_in):
    browser = signed_in(world.team_leader)

    response = browser.post(phone_form_of(world.volunteer), phone_form(world), follow=True)

    risk = RiskReport.objects.get()
    assert (risk.reported_by, risk.on_behalf_of, risk.route) == (
        world.team_leader,
        world.volunteer,
        Route.TEAM_LEADER_PHONE,
    )
    assert response.redirect_chain == [(detail(risk), 302)]
    assert "Concern recorded for Vera Pascoe." in response.text
    assert "by phone, recorded by Tom Hosking" in response.text
    mine = signed_in(world.volunteer).get(MINE)
    assert "Falls and mobility: Elsie Trewin" in mine.text


def client_options(html: str) -> list[str]:
    select = re.search(r'<select name="client".*?</select>', html, re.S).group(0)
    return [unescape(name) for name in re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', select)]


def test_the_phone_form_lists_only_the_chosen_volunteers_clients(world, signed_in):
    page = signed_in(world.team_leader).get(phone_form_of(world.volunteer)).text

    assert client_options(page) == [f"Elsie Trewin ({world.elsie.postcode})"]
    assert "Volunteer calling: <strong>Vera Pascoe</strong>" in page
    assert f'<input type="hidden" name="volunteer" value="{world.volunteer.pk}"' in page
    assert re.search(r'<label[^>]*for="id_client"[^>]*>\s*Which of Vera Pascoe\'s clients', unescape(page))


def test_a_volunteer_with_no_clients_is_told_plainly(world, signed_in):
    from tests.factories import VolunteerFactory

    newcomer = VolunteerFactory(areas=[world.west], user__first_name="Nell", user__last_name="Pender").user
    page = signed_in(world.team_leader).get(phone_form_of(newcomer)).text
    assert client_options(page) == []
    assert "Nell Pender visits nobody in your areas at the moment" in page


def test_a_phone_call_about_a_client_the_volunteer_does_not_visit_is_refused(world, signed_in):
    browser = signed_in(world.team_leader)
    assert "Elsie Trewin" not in client_options(browser.get(phone_form_of(world.other_volunteer)).text)
    response = browser.post(
        phone_form_of(world.other_volunteer), phone_form(world, volunteer=world.other_volunteer.pk)
    )
    assert response.status_code == 200
    assert "Choose one of Victor Opie's clients from the list." in unescape(response.text)
    assert counts() == (0, 0, 0)


def test_a_team_leader_cannot_record_a_call_about_a_client_of_another_area(world, signed_in):
    response = signed_in(world.team_leader).post(
        phone_form_of(world.volunteer), phone_form(world, client=world.morwenna.pk)
    )
    assert response.status_code == 200
    assert "Choose one of Vera Pascoe's clients from the list." in unescape(response.text)
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize("volunteer", ["east_volunteer", "coordinator", "١٢", "9" * 40, "-1", "1e3"])
def test_a_volunteer_not_of_the_team_leaders_areas_is_not_offered_and_a_call_for_them_is_refused(
    world, signed_in, volunteer
):
    chosen = getattr(world, volunteer).pk if hasattr(world, volunteer) else volunteer
    browser = signed_in(world.team_leader)

    page = browser.get(PHONE, {"volunteer": chosen})
    refused = browser.post(PHONE, phone_form(world, volunteer=chosen))

    assert page.status_code == 200
    assert '<select name="client"' not in page.text
    assert volunteer_links(page.text) == ["Vera Pascoe", "Victor Opie"]
    assert refused.status_code == 400
    assert "not one of your areas' volunteers now" in unescape(refused.text)
    assert counts() == (0, 0, 0)


# --- The staff page and its transitions --------------------------------------------------------


def timeline_of(html: str) -> list[str]:
    section = html[html.index('id="timeline-heading"') :]
    section = section[: section.index("</ol>")]
    return re.findall(r"<li><strong>([^<]+)</strong>", section)


def test_one_concern_is_moved_through_every_state_from_its_page_and_the_timeline_shows_each_step(
    world, risk, signed_in
):
    transport = ServiceFactory(name="Penwith Community Transport", areas=[world.west])
    cora, tom = signed_in(world.coordinator), signed_in(world.team_leader)
    steps = [
        (cora, "triage", {"note": "I will ring her daughter."}, "You now own this concern."),
        (cora, "escalate", {"service": transport.pk, "reference": "PCT-42"}, "Referral recorded."),
        (
            cora,
            "record_outcome",
            {
                "kind": "support_arranged",
                "staff_summary": "Seen at the falls clinic.",
                "volunteer_message": "She is doing well.",
            },
            "Outcome recorded. The volunteer has been sent the news.",
        ),
        (cora, "close", {"reason": "Resolved"}, "Concern closed."),
        (tom, "reopen", {"note": "Her daughter rang: another fall."}, "Concern reopened. You own it."),
        (tom, "close", {"reason": "No action needed"}, "Concern closed."),
    ]
    for browser, action, data, said in steps:
        response = transition(browser, risk, action, data)
        assert said in response.text, action

    page = cora.get(detail(risk)).text
    assert timeline_of(page) == [
        "Reported",
        "Being looked at",
        "Passed on",
        "Outcome recorded",
        "Closed",
        "Being looked at",
        "Closed",
    ]
    assert "Referred to Penwith Community Transport." in page
    assert "Her daughter rang: another fall." in page
    assert "<strong>Closed:</strong> No action needed" in page
    risk.refresh_from_db()
    assert (risk.status, risk.owner, risk.close_reason) == (
        Status.CLOSED,
        world.team_leader,
        "No action needed",
    )


def test_the_staff_page_shows_the_staff_summary_and_the_message_for_the_volunteer(
    world, risk, advance, signed_in
):
    advance(risk, Status.OUTCOME_RECORDED, world.coordinator)
    page = signed_in(world.team_leader).get(detail(risk)).text
    assert "Seen by the practice." in page
    assert "All sorted." in page


@pytest.mark.parametrize(
    ("state", "action", "data", "message"),
    [
        (
            Status.REPORTED,
            "record_outcome",
            {"kind": "support_arranged", "staff_summary": "Seen.", "volunteer_message": "Sorted."},
            "This concern cannot be given an outcome now: it is reported.",
        ),
        (
            Status.TRIAGED,
            "reopen",
            {"note": "Again"},
            "This concern cannot be reopened now: it is being looked at.",
        ),
        (Status.TRIAGED, "triage", {}, "Cora Nance took this concern at "),
        (
            Status.TRIAGED,
            "escalate",
            {"key_worker": " "},
            "Choose a service from the directory or name the key worker.",
        ),
        (Status.TRIAGED, "close", {"reason": "Other", "detail": ""}, "Say why the concern is being closed."),
        (
            Status.TRIAGED,
            "record_outcome",
            {"kind": "support_arranged", "staff_summary": "Seen."},
            "Write the message for the volunteer.",
        ),
    ],
)
def test_a_refused_transition_says_nothing_was_changed_and_why(
    world, risk, advance, signed_in, state, action, data, message
):
    advance(risk, state, world.coordinator)
    events = RiskEvent.objects.count()

    response = transition(signed_in(world.team_leader), risk, action, data)

    assert f"Nothing was changed. {message}" in response.text
    assert RiskReport.objects.get(pk=risk.pk).status == state
    assert RiskEvent.objects.count() == events


def test_a_service_that_does_not_cover_the_area_cannot_be_chosen(world, risk, signed_in):
    elsewhere = ServiceFactory(name="Bodmin Dial-a-Ride", areas=[world.east])

    page = signed_in(world.coordinator).get(detail(risk)).text
    assert "Bodmin Dial-a-Ride" not in page

    response = transition(signed_in(world.coordinator), risk, "escalate", {"service": elsewhere.pk})
    assert "Nothing was changed. Choose a service that covers this client&#x27;s area." in response.text
    assert not Referral.objects.exists()
    assert RiskReport.objects.get(pk=risk.pk).status == Status.REPORTED


# --- The kind of outcome ----------------------------------------------------------------------

OUTCOME = {"staff_summary": "Seen by the practice nurse.", "volunteer_message": "She is doing well."}


def test_the_outcome_form_asks_what_kind_of_outcome_it_was(world, risk, advance, signed_in):
    page = signed_in(world.coordinator).get(detail(advance(risk, Status.TRIAGED, world.coordinator))).text

    assert re.search(r'<label\s+for="id_kind"[^>]*>\s*What kind of outcome', page)
    assert re.search(r'<select name="kind"[^>]*\bid="id_kind"', page)
    assert '<option value="" selected>Choose one</option>' in page
    assert '<option value="health_checked">Seen by a nurse, doctor or other clinician</option>' in page
    assert "For the programme's reports: what difference the concern made." in unescape(page)


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        (None, "Choose what kind of outcome it was."),
        ("", "Choose what kind of outcome it was."),
        ("cured", "Choose what kind of outcome it was from the list."),
    ],
)
def test_an_outcome_without_its_kind_is_refused_and_nothing_is_recorded(
    world, risk, advance, signed_in, kind, message
):
    advance(risk, Status.ESCALATED, world.coordinator)
    before = counts()
    data = OUTCOME if kind is None else {**OUTCOME, "kind": kind}

    response = transition(signed_in(world.coordinator), risk, "record_outcome", data)

    assert f"Nothing was changed. {message}" in response.text
    assert not Outcome.objects.exists()
    assert RiskReport.objects.get(pk=risk.pk).status == Status.ESCALATED
    assert counts() == before  # no event, and no good news for the volunteer


@pytest.mark.parametrize("consent", [True, False])
def test_the_outcomes_kind_is_saved_and_shown_to_staff_but_not_to_the_volunteer(
    world, risk, advance, signed_in, consent
):
    if consent:
        consent_give(
            client=world.elsie,
            scope=ConsentScope.OUTCOME_TO_VOLUNTEER,
            given_on=timezone.localdate(),
            how_given="verbal",
            by=world.coordinator,
        )
    advance(risk, Status.ESCALATED, world.coordinator)

    response = transition(
        signed_in(world.coordinator), risk, "record_outcome", {**OUTCOME, "kind": "health_checked"}
    )

    assert "Outcome recorded. The volunteer has been sent the news." in response.text
    outcome = Outcome.objects.get(risk=risk)
    assert (outcome.kind, outcome.volunteer_told_detail) == (OutcomeKind.HEALTH_CHECKED, consent)
    staff_page = signed_in(world.team_leader).get(detail(risk)).text
    assert "<strong>What kind:</strong> Seen by a nurse, doctor or other clinician" in staff_page
    # The volunteer reads the message (with consent) or thanks, never the kind: "seen by a
    # doctor" is itself a clinical detail.
    for page in (
        signed_in(world.volunteer).get(detail(risk)).text,
        signed_in(world.volunteer).get(MINE).text,
    ):
        assert "Seen by a nurse, doctor or other clinician" not in page
        assert "What kind" not in page
        assert ("She is doing well." in page) is consent


@pytest.mark.parametrize(
    ("state", "offered", "not_offered"),
    [
        (
            Status.REPORTED,
            ["Take this concern", "Record referral", "Close concern"],
            ["Record outcome", "Reopen"],
        ),
        (Status.CLOSED, ["Reopen concern"], ["Take this concern", "Record referral", "Record outcome"]),
    ],
)
def test_the_staff_page_offers_what_the_state_allows(
    world, risk, advance, signed_in, state, offered, not_offered
):
    page = signed_in(world.coordinator).get(detail(advance(risk, state, world.coordinator))).text
    for button in offered:
        assert button in page
    for button in not_offered:
        assert button not in page


# --- The volunteer's page of their own concern -----------------------------------------------

STAFF_SUMMARY = "Daughter reports early signs of dementia; GP to review medication."
MESSAGE = "Elsie has a new walking frame and sends her thanks."


@pytest.fixture
def with_outcome(world, risk, advance):
    advance(risk, Status.ESCALATED, world.coordinator)
    services.risk_record_outcome(
        kind="support_arranged",
        risk=risk,
        by=world.coordinator,
        staff_summary=STAFF_SUMMARY,
        volunteer_message=MESSAGE,
    )
    return risk


def give_consent(world):
    return consent_give(
        client=world.elsie,
        scope=ConsentScope.OUTCOME_TO_VOLUNTEER,
        given_on=timezone.localdate(),
        how_given="verbal",
        by=world.coordinator,
    )


def test_with_consent_the_volunteers_page_shows_the_outcome_message_but_never_the_staff_summary(
    world, with_outcome, signed_in
):
    give_consent(world)
    page = signed_in(world.volunteer).get(detail(with_outcome)).text
    assert MESSAGE in page
    assert STAFF_SUMMARY not in page
    assert "Timeline" not in page


@pytest.mark.parametrize("withdrawn", [False, True])
def test_without_consent_the_volunteers_page_thanks_them_without_the_detail(
    world, with_outcome, signed_in, withdrawn
):
    if withdrawn:
        consent_withdraw(consent=give_consent(world), by=world.coordinator)
    page = signed_in(world.volunteer).get(detail(with_outcome)).text
    assert "We cannot share the details" in page
    assert MESSAGE not in page
    assert STAFF_SUMMARY not in page


def test_the_volunteers_page_of_a_closed_concern_never_shows_the_staff_summary(
    world, with_outcome, signed_in
):
    give_consent(world)
    services.risk_close(risk=with_outcome, by=world.coordinator, reason="Resolved")
    page = signed_in(world.volunteer).get(detail(with_outcome)).text
    assert MESSAGE in page
    assert STAFF_SUMMARY not in page


@pytest.mark.parametrize("consent", [True, False])
def test_my_concerns_shows_the_outcome_message_only_with_consent(world, with_outcome, signed_in, consent):
    if consent:
        give_consent(world)
    page = signed_in(world.volunteer).get(MINE).text
    assert "Falls and mobility: Elsie Trewin" in page
    assert (MESSAGE in page) is consent
    assert ("It was followed up and acted on." in page) is not consent
    assert STAFF_SUMMARY not in page


def test_my_concerns_lists_only_my_own(world, risk, signed_in, new_concern):
    new_concern("Gill", reporter=world.other_volunteer)
    page = signed_in(world.volunteer).get(MINE).text
    assert "Elsie Trewin" in page
    assert "Gill" not in page


# --- The triage queue -----------------------------------------------------------------------


def shown(html: str, candidates) -> set[str]:
    return {name for name in candidates if f": Mrs {name}</a>" in html}


ALL = OPEN_IN_WEST | {"Baker", "Ivey"}


def test_the_queue_shows_the_open_concerns_of_the_persons_areas(world, varied, signed_in):
    assert shown(signed_in(world.coordinator).get(QUEUE).text, ALL) == OPEN_IN_WEST
    assert shown(signed_in(world.other_coordinator).get(QUEUE).text, ALL) == {"Baker"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"area": "east"}, {"Baker"}),
        ({"category": "medication"}, {"Carne"}),
        ({"severity": "high"}, {"Dunn"}),
        ({"status": "triaged"}, {"Eddy"}),
        ({"route": "coffee_morning"}, {"Fox"}),
        # The volunteer is found by name, whole or in part, in any case: his own concern
        # and the one a team leader recorded for him.
        ({"volunteer": "Victor Opie"}, {"Gill", "Hicks"}),
        ({"volunteer": "opi"}, {"Gill", "Hicks"}),
        ({"volunteer": "Nobody Known"}, set()),
    ],
)
def test_each_filter_narrows_the_queue_page(world, varied, signed_in, query, expected):
    both = world.coordinator
    both.area_memberships.create(area=world.east)
    ids = {
        "east": world.east.pk,
        "medication": world.medication.pk,
    }
    browser = signed_in(both)

    assert shown(browser.get(QUEUE).text, ALL) == OPEN_IN_WEST | {"Baker"}
    response = browser.get(QUEUE, {key: ids.get(value, value) for key, value in query.items()})
    assert shown(response.text, ALL) == expected


def test_the_queue_puts_urgent_concerns_first_then_the_soonest_due(world, new_concern, signed_in):
    later = new_concern("HighLater", severity=Severity.HIGH)
    sooner = new_concern("HighSooner", severity=Severity.HIGH)
    RiskReport.objects.filter(pk=later.pk).update(due_at=timezone.now() + datetime.timedelta(hours=20))
    RiskReport.objects.filter(pk=sooner.pk).update(due_at=timezone.now() + datetime.timedelta(hours=10))
    new_concern("Urgent", severity=Severity.URGENT)

    page = signed_in(world.coordinator).get(QUEUE).text

    positions = [page.index(f": Mrs {name}</a>") for name in ("Urgent", "HighSooner", "HighLater")]
    assert positions == sorted(positions)


def card_of(html: str, name: str) -> str:
    start = html.index(f": Mrs {name}</a>")
    return html[start : html.index("</article>", start)]


def test_the_queue_marks_overdue_concerns(world, new_concern, signed_in):
    late = new_concern("Late")
    RiskReport.objects.filter(pk=late.pk).update(due_at=timezone.now() - datetime.timedelta(hours=3))
    new_concern("OnTime")
    passed_on = new_concern("PassedOn")
    services.risk_escalate(risk=passed_on, by=world.coordinator, key_worker="Dr Pengelly")
    RiskReport.objects.filter(pk=passed_on.pk).update(due_at=timezone.now() - datetime.timedelta(hours=3))

    page = signed_in(world.coordinator).get(QUEUE).text

    assert "Overdue" in card_of(page, "Late")
    assert "Overdue" not in card_of(page, "OnTime")
    assert "Due by" in card_of(page, "OnTime")
    assert "Overdue" not in card_of(page, "PassedOn")  # someone else has it in hand


def test_the_queue_offers_team_leaders_the_phone_form(world, signed_in):
    assert "Record a phone call" in signed_in(world.team_leader).get(QUEUE).text
    assert "Record a phone call" not in signed_in(world.coordinator).get(QUEUE).text


# --- Pages whose queries do not grow with the rows ------------------------------------------------


def measured(browser, url):
    responses = []
    queries = queries_for(lambda: responses.append(browser.get(url)))
    assert responses[0].status_code == 200
    return queries, responses[0].text


def variety(world):
    """Concerns in every severity and status the pages show, some owned, some phoned in."""
    phoned = {"reported_by_id": lambda i: world.team_leader.pk if i % 3 == 0 else world.volunteer.pk}
    return {
        "severity": lambda i: Severity.values[i % 4],
        "status": lambda i: Status.TRIAGED if i % 2 else Status.REPORTED,
        "owner_id": lambda i: world.coordinator.pk if i % 2 else None,
        "on_behalf_of_id": lambda i: world.volunteer.pk if i % 3 == 0 else None,
        **phoned,
    }


@pytest.mark.parametrize(("who", "url"), [("coordinator", QUEUE), ("volunteer", MINE)])
def test_the_queue_and_my_concerns_run_the_same_queries_for_10_and_500_concerns(
    world, risk, signed_in, who, url
):
    browser = signed_in(getattr(world, who))
    bulk_copies(risk, 9, **variety(world))
    browser.get(url)  # the first request of a session writes it; measure the ones after

    with_10, page_10 = measured(browser, url)
    bulk_copies(risk, 490, **variety(world))
    with_500, page_500 = measured(browser, url)

    assert RiskReport.objects.count() == 500
    assert page_500.count("Elsie Trewin</a>") > page_10.count("Elsie Trewin</a>") == 10
    assert len(with_10) == len(with_500), "\n".join(with_500)


# --- The directory and the rota ---------------------------------------------------------------


def test_a_volunteer_finds_who_to_call_in_the_directory(world, signed_in):
    ServiceFactory(
        name="Penwith Community Transport", areas=[world.west], helps_with="Lifts to appointments."
    )
    ServiceFactory(name="Warm Homes", helps_with="Heating grants.", areas=[world.east])

    page = signed_in(world.volunteer).get(reverse("directory:list"), {"q": "heating"}).text

    assert "Warm Homes" in page
    assert "Penwith Community Transport" not in page
    assert "Add a service" not in page


def test_coordinators_are_offered_to_add_and_edit_services(world, signed_in):
    ServiceFactory(name="Penwith Community Transport", areas=[world.west])
    assert "Add a service" in signed_in(world.coordinator).get(reverse("directory:list")).text
    assert "Add a service" not in signed_in(world.team_leader).get(reverse("directory:list")).text


def test_a_coordinators_change_to_the_directory_is_saved_and_kept_in_its_history(world, signed_in):
    from auditlog.models import LogEntry

    from risks.models import Service

    transport = ServiceFactory(name="Penwith Community Transport", areas=[world.west])
    response = signed_in(world.coordinator).post(
        reverse("directory:edit", args=[transport.pk]),
        {
            "name": "Penwith Community Transport",
            "kind": Service.Kind.TRANSPORT,
            "helps_with": "Lifts to appointments and the shops.",
            "phone": "01736 365000",
            "website": "www.penwithtransport.org.uk",
            "areas": [world.west.pk],
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    transport.refresh_from_db()
    assert transport.phone == "01736 365000"
    assert transport.website == "https://www.penwithtransport.org.uk"
    [change] = [
        entry
        for entry in LogEntry.objects.get_for_object(transport).filter(action=LogEntry.Action.UPDATE)
        if "phone" in entry.changes_dict
    ]
    assert change.actor == world.coordinator


def service_post(world, **changes) -> dict:
    return once(
        {
            "name": "Cornwall Dial-a-Ride",
            "kind": "transport",
            "helps_with": "Door-to-door lifts for people who cannot use the bus.",
            "phone": "01872 000111",
            "areas": [world.west.pk],
            "is_active": "on",
            **changes,
        }
    )


def test_saving_a_shared_service_with_only_west_keeps_east(world, signed_in):
    shared = ServiceFactory(name="Cornwall Dial-a-Ride", areas=[world.west, world.east])

    response = signed_in(world.coordinator).post(
        reverse("directory:edit", args=[shared.pk]), service_post(world, phone="01872 999999")
    )

    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.phone == "01872 999999"
    assert set(shared.areas.all()) == {world.west, world.east}
    # East's coordinator still has it to edit.
    assert (
        signed_in(world.other_coordinator).get(reverse("directory:edit", args=[shared.pk])).status_code == 200
    )


def test_adding_another_area_to_a_service_is_refused_and_changes_nothing(world, signed_in):
    transport = ServiceFactory(name="Penwith Community Transport", areas=[world.west])

    response = signed_in(world.coordinator).post(
        reverse("directory:edit", args=[transport.pk]),
        service_post(world, name="Renamed", areas=[world.west.pk, world.east.pk]),
    )

    assert response.status_code == 200
    assert "Choose only the areas where you work." in response.text
    transport.refresh_from_db()
    assert transport.name == "Penwith Community Transport"
    assert list(transport.areas.all()) == [world.west]


def test_a_new_service_in_another_area_is_refused(world, signed_in):
    response = signed_in(world.coordinator).post(
        reverse("directory:new"), service_post(world, areas=[world.east.pk])
    )
    assert response.status_code == 200
    assert "Choose only the areas where you work." in response.text
    assert not Service.objects.exists()


def test_a_new_service_needs_one_of_your_areas(world, signed_in):
    response = signed_in(world.coordinator).post(reverse("directory:new"), service_post(world, areas=[]))
    assert response.status_code == 200
    assert "Choose at least one of your areas that the service covers." in response.text
    assert not Service.objects.exists()


def test_the_edit_form_offers_only_your_areas_and_names_the_others_that_stay(world, signed_in):
    shared = ServiceFactory(name="Cornwall Dial-a-Ride", areas=[world.west, world.east])

    page = signed_in(world.coordinator).get(reverse("directory:edit", args=[shared.pk])).text

    assert f'value="{world.west.pk}"' in page
    assert f'name="areas" value="{world.east.pk}"' not in page
    assert "It also covers East Cornwall, which stays as it is" in page


def test_the_edit_form_names_several_other_areas_in_plain_english(world, signed_in):
    from tests.factories import AreaFactory

    central = AreaFactory(name="Central Cornwall")
    shared = ServiceFactory(name="Cornwall Dial-a-Ride", areas=[world.west, world.east, central])

    page = signed_in(world.coordinator).get(reverse("directory:edit", args=[shared.pk])).text

    assert "It also covers Central Cornwall and East Cornwall, which stay as they are" in page


def test_edit_links_show_only_on_services_the_person_may_edit_and_each_opens(world, signed_in):
    ServiceFactory(name="Penwith Community Transport", areas=[world.west])
    ServiceFactory(name="Cornwall Dial-a-Ride", areas=[world.west, world.east])
    ServiceFactory(name="Bodmin Dial-a-Ride", areas=[world.east])
    edit_links = re.compile(
        r'href="(/directory/\d+/edit/)">Edit<span class="visually-hidden"> ([^<]+)</span>'
    )

    for person, expected in [
        (world.coordinator, {"Penwith Community Transport", "Cornwall Dial-a-Ride"}),
        (world.other_coordinator, {"Cornwall Dial-a-Ride", "Bodmin Dial-a-Ride"}),
        (world.team_leader, set()),
        (world.volunteer, set()),
    ]:
        browser = signed_in(person)
        links = edit_links.findall(browser.get(reverse("directory:list")).text)
        assert {name for _, name in links} == expected, person
        for url, _ in links:
            assert browser.get(url).status_code == 200


def test_the_directory_shows_the_services_website_as_a_link(world, signed_in):
    ServiceFactory(
        name="Penwith Community Transport", website="https://www.penwithtransport.org.uk", areas=[world.west]
    )
    page = signed_in(world.volunteer).get(reverse("directory:list")).text
    assert (
        '<a href="https://www.penwithtransport.org.uk" rel="noopener">https://www.penwithtransport.org.uk</a>'
        in page
    )


def test_the_directory_runs_the_same_queries_for_3_and_20_services(world, signed_in):
    browser = signed_in(world.coordinator)
    for index in range(3):
        ServiceFactory(name=f"West service {index}", areas=[world.west, world.east])
    browser.get(reverse("directory:list"))

    with_3 = queries_for(lambda: browser.get(reverse("directory:list")))
    for index in range(17):
        ServiceFactory(name=f"East service {index}", areas=[world.east])
    with_20 = queries_for(lambda: browser.get(reverse("directory:list")))

    assert len(with_3) == len(with_20), "\n".join(with_20)


def test_a_coordinator_adds_a_shift_to_the_rota_and_the_change_is_kept(world, signed_in):
    from auditlog.models import LogEntry

    from risks.models import OnCallShift

    start = timezone.localtime().replace(second=0, microsecond=0)
    typed = {
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"),
    }
    response = signed_in(world.coordinator).post(
        reverse("risks:shift_new"),
        once({"area": world.west.pk, "team_leader": world.team_leader.pk, **typed}),
    )

    assert response.status_code == 302
    shift = OnCallShift.objects.get()
    assert (shift.area, shift.team_leader) == (world.west, world.team_leader)
    # Read back as the clock times typed (a shift over the clocks changing is still "till 4pm").
    assert {
        "starts_at": timezone.localtime(shift.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(shift.ends_at).strftime("%Y-%m-%dT%H:%M"),
    } == typed
    created = LogEntry.objects.get_for_object(shift).get(action=LogEntry.Action.CREATE)
    assert created.actor == world.coordinator


def test_team_leaders_read_the_rota_and_only_coordinators_are_offered_to_change_it(world, signed_in):
    OnCallShiftFactory(area=world.west, team_leader=world.team_leader)
    tom = signed_in(world.team_leader).get(reverse("risks:rota")).text
    cora = signed_in(world.coordinator).get(reverse("risks:rota")).text
    assert "Tom Hosking" in tom
    assert "Tom Hosking" in cora
    assert "Add a shift" not in tom
    assert "Add a shift" in cora


def test_the_rota_shows_four_weeks_ahead_and_every_shift_planned_when_asked(world, signed_in):
    now = timezone.now()
    OnCallShiftFactory(area=world.west, team_leader=world.team_leader)
    OnCallShiftFactory(
        area=world.west,
        team_leader=world.team_leader,
        starts_at=now + datetime.timedelta(days=40),
        ends_at=now + datetime.timedelta(days=40, hours=8),
    )
    browser = signed_in(world.coordinator)

    four_weeks = browser.get(reverse("risks:rota")).text
    every_shift = browser.get(reverse("risks:rota") + "?all=1").text

    assert rota_rows(four_weeks) == ["Tom Hosking"]
    assert "Show every shift planned" in four_weeks
    assert "(1 more after" in four_weeks
    assert rota_rows(every_shift) == ["Tom Hosking", "Tom Hosking"]
    assert "Show every shift planned" not in every_shift
    assert "Show the next four weeks only" in every_shift


def test_the_rota_says_when_nobody_is_on_it_in_the_next_four_weeks(world, signed_in):
    now = timezone.now()
    OnCallShiftFactory(
        area=world.west,
        team_leader=world.team_leader,
        starts_at=now + datetime.timedelta(days=30),
        ends_at=now + datetime.timedelta(days=30, hours=8),
    )

    page = signed_in(world.coordinator).get(reverse("risks:rota")).text

    assert rota_rows(page) == []
    assert "Nobody is on the rota in the next four weeks." in page
    assert "(1 more after" in page


def rota_rows(html: str) -> list[str]:
    return [unescape(name).strip() for name in re.findall(r'<td data-label="Team leader">([^<]*)', html)]


def test_the_report_form_names_the_team_leader_on_call(world, signed_in):
    OnCallShiftFactory(area=world.west, team_leader=world.team_leader)
    page = signed_in(world.volunteer).get(NEW).text
    assert "<strong>Tom Hosking</strong> is the team leader on call for West Cornwall" in page


def test_the_person_on_call_must_lead_in_the_shifts_area(world, signed_in, make_person):
    from risks.models import OnCallShift

    coordinator = make_person(Role.COORDINATOR, areas=[world.west, world.east])
    start = timezone.localtime().replace(second=0, microsecond=0)
    response = signed_in(coordinator).post(
        reverse("risks:shift_new"),
        once(
            {
                "area": world.west.pk,
                "team_leader": world.other_team_leader.pk,
                "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
                "ends_at": (start + datetime.timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"),
            }
        ),
    )
    assert response.status_code == 200
    assert "Tess Rowe is not a team leader in West Cornwall." in response.text
    assert not OnCallShift.objects.exists()


@pytest.mark.parametrize(
    ("starts_in", "lasts", "message"),
    [
        (datetime.timedelta(days=400), datetime.timedelta(hours=8), "cannot start more than a year from now"),
        (-datetime.timedelta(days=60), datetime.timedelta(hours=8), "cannot start more than 30 days ago"),
        (datetime.timedelta(days=1), datetime.timedelta(days=21), "can last at most 14 days"),
    ],
)
def test_a_shift_at_an_implausible_time_is_refused_on_the_form(world, signed_in, starts_in, lasts, message):
    start = timezone.localtime() + starts_in
    response = signed_in(world.coordinator).post(
        reverse("risks:shift_new"),
        once(
            {
                "area": world.west.pk,
                "team_leader": world.team_leader.pk,
                "starts_at": local(start),
                "ends_at": local(start + lasts),
            }
        ),
    )
    assert response.status_code == 200
    assert message in response.text
    assert not OnCallShift.objects.exists()


def test_a_coordinator_edits_a_shift_of_their_area(world, signed_in):
    shift = OnCallShiftFactory(area=world.west, team_leader=world.team_leader)
    response = signed_in(world.coordinator).post(
        reverse("risks:shift_edit", args=[shift.pk]),
        {
            "area": world.west.pk,
            "team_leader": world.team_leader.pk,
            "starts_at": local(shift.starts_at),
            "ends_at": local(shift.ends_at + datetime.timedelta(hours=2)),
        },
    )
    assert response.status_code == 302
    shift.refresh_from_db()
    assert local(shift.ends_at) == local(shift.starts_at + datetime.timedelta(hours=11))


# --- Input that is invisible, absurd or too long ------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["\u200b\u200b", "\u200b\u200c\u200d\u2060\ufeff", "\u202e\u2066\u2069", "\u3164", "\x00\x07"]
)
def test_a_concern_whose_text_is_invisible_is_refused_and_nothing_is_sent(world, signed_in, typed):
    response = signed_in(world.volunteer).post(NEW, concern_form(world, what_was_seen=typed))
    assert response.status_code == 200
    assert "This has no letters or numbers that can be seen. Type the words themselves." in response.text
    assert counts() == (0, 0, 0)


def test_a_two_megabyte_concern_is_refused_with_its_length_and_nothing_is_sent(world, signed_in):
    response = signed_in(world.volunteer).post(
        NEW, concern_form(world, what_was_seen="x" * (2 * 1024 * 1024))
    )
    assert response.status_code == 200
    assert "it has 2,097,152 characters, and the most it can have is 4,000" in response.text
    assert counts() == (0, 0, 0)


def test_the_report_form_shows_each_boxs_limit_for_the_counter(world, signed_in):
    text = signed_in(world.volunteer).get(NEW).text
    assert re.search(r'<textarea[^>]*name="what_was_seen"[^>]*>', text)
    assert 'data-counter="4000"' in text
    assert 'maxlength="4000"' in text
    assert 'data-counter="2000"' in text
    assert "js/char-counter.js" in text


def test_a_concerns_text_is_stored_normalised(world, signed_in):
    response = signed_in(world.volunteer).post(
        NEW, concern_form(world, what_was_seen="\u200bShe fell.\r\nCafe\u0301 was closed.\x07  ")
    )
    assert response.status_code == 302
    assert RiskReport.objects.get().what_was_seen == "She fell.\nCaf\u00e9 was closed."


@pytest.mark.parametrize(
    ("observed_at", "message"),
    [
        ("0001-01-01T00:00", "When you saw it must be within the last year"),
        ("1999-12-31T23:59", "When you saw it must be within the last year"),
        ("9999-12-31T23:59", "When you saw it cannot be in the future."),
    ],
)
def test_a_concern_seen_in_year_1_or_9999_gets_a_plain_message(world, signed_in, observed_at, message):
    response = signed_in(world.volunteer).post(NEW, concern_form(world, observed_at=observed_at))
    assert response.status_code == 200
    assert message in response.text
    assert counts() == (0, 0, 0)


def test_a_concern_seen_more_than_a_year_ago_is_refused(world, signed_in):
    long_ago = local(timezone.now() - datetime.timedelta(days=366))
    response = signed_in(world.volunteer).post(NEW, concern_form(world, observed_at=long_ago))
    assert response.status_code == 200
    assert "For something older, talk to your coordinator." in response.text
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize(
    ("expected_response_on", "message"),
    [
        ("0001-01-01", "The date you expect to hear back cannot be in the past."),
        ("9999-12-31", "The date you expect to hear back must be within a year from today."),
    ],
)
def test_a_referral_expecting_a_reply_in_year_1_or_9999_is_refused(
    world, risk, signed_in, expected_response_on, message
):
    response = transition(
        signed_in(world.coordinator),
        risk,
        "escalate",
        {"key_worker": "Jo Penrose, district nurse", "expected_response_on": expected_response_on},
    )
    assert response.status_code == 200
    assert f"Nothing was changed. {message}" in response.text
    assert not Referral.objects.exists()


def test_a_referral_to_an_invisible_key_worker_is_refused(world, risk, signed_in):
    response = transition(signed_in(world.coordinator), risk, "escalate", {"key_worker": "\u200b\u200b"})
    assert "Nothing was changed. Choose a service from the directory or name the key worker." in response.text
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"kind": "support_arranged", "staff_summary": "\u200b", "volunteer_message": "Thank you."},
            "What happened (for staff): This has no letters or numbers that can be seen.",
        ),
        (
            {
                "kind": "support_arranged",
                "staff_summary": "Seen by the nurse.",
                "volunteer_message": "x" * 2001,
            },
            "Message for the volunteer: This is too long: it has 2,001 characters",
        ),
    ],
)
def test_an_outcome_with_invisible_or_overlong_text_is_refused_naming_the_box(
    world, risk, advance, signed_in, data, message
):
    advance(risk, Status.TRIAGED, world.coordinator)
    response = transition(signed_in(world.coordinator), risk, "record_outcome", data)
    assert f"Nothing was changed. {message}" in response.text
    assert RiskReport.objects.get(pk=risk.pk).status == Status.TRIAGED


def test_reopening_with_an_invisible_reason_is_refused(world, risk, advance, signed_in):
    advance(risk, Status.CLOSED, world.coordinator)
    response = transition(signed_in(world.coordinator), risk, "reopen", {"note": "\u200b\u200b"})
    assert (
        "Nothing was changed. Why reopen it: This has no letters or numbers that can be seen."
        in response.text
    )
    assert RiskReport.objects.get(pk=risk.pk).status == Status.CLOSED


# --- Words that say what a concern waits for --------------------------------------------------


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def day_month(day: datetime.date) -> str:
    return f"{day:%-d %b}"


def pass_on(world, risk, service_name="District nursing", expected=None):
    service = ServiceFactory(name=service_name, areas=[world.west])
    expected = expected or in_days(6)
    services.risk_escalate(risk=risk, by=world.coordinator, service=service, expected_response_on=expected)
    return expected


def test_a_concern_passed_on_says_whom_it_waits_for_in_the_queue_and_on_its_page(world, risk, signed_in):
    expected = pass_on(world, risk)
    browser = signed_in(world.coordinator)
    waiting = f"Waiting for a reply from District nursing, expected {day_month(expected)}."

    assert waiting in browser.get(QUEUE).text
    page = browser.get(detail(risk)).text
    assert waiting in page
    assert "Target:" not in page


def test_a_concern_with_an_outcome_says_it_waits_to_be_closed_not_when_it_was_due(
    world, with_outcome, signed_in
):
    queue = signed_in(world.coordinator).get(QUEUE).text
    assert "waiting to be closed." in queue
    assert "Due by" not in queue


def test_a_concern_not_yet_passed_on_still_shows_when_it_is_due(world, risk, signed_in):
    assert (
        f"Due by {timezone.localtime(risk.due_at):%-d %b, %H:%M}."
        in signed_in(world.coordinator).get(QUEUE).text
    )


def test_the_latest_referral_is_the_one_waited_for(world, risk, signed_in):
    pass_on(world, risk, "District nursing", in_days(6))
    later = pass_on(world, risk, "Age UK Cornwall", in_days(12))
    queue = signed_in(world.coordinator).get(QUEUE).text
    assert f"Waiting for a reply from Age UK Cornwall, expected {day_month(later)}." in queue
    assert "District nursing" not in queue


def test_my_concerns_says_a_concern_waits_for_a_reply_naming_the_service_only_with_consent(
    world, risk, signed_in
):
    expected = day_month(pass_on(world, risk))
    page = signed_in(world.volunteer).get(MINE).text
    assert f"Passed on: waiting for their reply, expected {expected}." in page
    assert "District nursing" not in page
    give_consent(world)
    assert f"Passed on to District nursing: waiting for their reply, expected {expected}." in (
        signed_in(world.volunteer).get(MINE).text
    )


def test_what_a_concern_waits_for_costs_no_query_per_row(world, new_concern, signed_in):
    browser = signed_in(world.coordinator)
    service = ServiceFactory(name="District nursing", areas=[world.west])

    def pass_on_new(count):
        for index in range(count):
            risk = new_concern(f"Row{count}x{index}")
            services.risk_escalate(risk=risk, by=world.coordinator, service=service)

    pass_on_new(2)
    browser.get(QUEUE)
    with_2, _ = measured(browser, QUEUE)
    pass_on_new(4)
    with_6, page = measured(browser, QUEUE)
    assert page.count("Waiting for a reply from District nursing") == 6
    assert len(with_2) == len(with_6), "\n".join(with_6)


def test_the_volunteers_page_keeps_the_capital_letters_of_the_severity(world, risk, signed_in):
    page = signed_in(world.volunteer).get(detail(risk)).text
    assert "Medium: Something should be done in the next few days." in page
    assert "something should be done" not in page


# --- The queue at scale: pages by cursor, a capped count, the volunteer found by name -------------


def queue_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<h2 id="risk-(\d+)"', html)]


def next_link(html: str) -> str | None:
    found = re.search(r'href="\?([^"]*)">Next page</a>', html)
    return QUEUE + "?" + unescape(found.group(1)) if found else None


def test_the_queue_pages_through_every_open_concern_once_in_its_order(world, risk, signed_in):
    bulk_copies(risk, 59, severity=lambda i: Severity.values[i % 4], status=Status.TRIAGED)
    bulk_copies(risk, 5, status=Status.CLOSED)
    expected = [concern.pk for concern in selectors_queue(world)]
    browser = signed_in(world.coordinator)

    seen, url, pages = [], QUEUE + "?severity=", []
    while url:
        page = browser.get(url).text
        pages.append(page)
        seen += queue_ids(page)
        url = next_link(page)

    assert len(pages) == 3
    assert seen == expected
    assert len(seen) == 60
    assert "Showing 1 to 25 of 60." in pages[0]
    assert "First page" not in pages[0]
    assert "Showing 26 to 50 of 60." in pages[1]
    assert "First page" in pages[1]
    assert "Showing 51 to 60 of 60." in pages[2]
    assert "Next page" not in pages[2]
    assert 'href="?severity=">First page</a>' in pages[2]


def selectors_queue(world):
    from risks import selectors

    return selectors.triage_queue(world.coordinator)


def test_the_queue_counts_no_further_than_the_cap(world, risk, signed_in, monkeypatch):
    monkeypatch.setattr("livingwell.pagination.COUNT_CAP", 5)
    bulk_copies(risk, 7)
    page = signed_in(world.coordinator).get(QUEUE).text
    assert "Showing 1 to 8 of more than 5." in page


@pytest.mark.parametrize(
    "cursor",
    [
        "nonsense",
        "1~not-a-date~3",
        "1~2",
        # Numbers beyond the columns' range (the band is a small integer, the id a big one).
        "99999999999999999999~2026-01-01T00:00:00+00:00~1",
        "-40000~2026-01-01T00:00:00+00:00~1",
        "1~2026-01-01T00:00:00+00:00~99999999999999999999",
        "1~2026-01-01T00:00:00+00:00~1\x00",
    ],
)
def test_a_cursor_that_cannot_be_read_gives_the_first_page(world, risk, signed_in, cursor):
    response = signed_in(world.coordinator).get(QUEUE, {"after": cursor, "start": "26"})
    assert response.status_code == 200
    assert queue_ids(response.text) == [risk.pk]
    assert "Showing 1 to 1 of 1." in response.text


@pytest.mark.parametrize("start", ["\u00b2", "\u0662\u0666", "9" * 40, "-26", "0", "1e3", "", "\u200b26"])
def test_a_tampered_start_beside_a_good_cursor_still_shows_the_next_page(world, risk, signed_in, start):
    bulk_copies(risk, 29)
    browser = signed_in(world.coordinator)
    second = next_link(browser.get(QUEUE).text)
    response = browser.get(re.sub(r"start=[^&]*", urlencode({"start": start}), second))
    assert response.status_code == 200
    assert len(queue_ids(response.text)) == 5
    assert "First page" in response.text


def test_a_later_page_that_is_now_empty_says_so_and_links_to_the_first_page(world, risk, signed_in):
    bulk_copies(risk, 30, severity=Severity.HIGH)
    browser = signed_in(world.coordinator)
    second = next_link(browser.get(QUEUE + "?severity=high").text)
    # Everything after the first page is dealt with before the coordinator moves on.
    RiskReport.objects.filter(pk__in=queue_ids(browser.get(second).text)).update(status=Status.CLOSED)

    page = browser.get(second).text
    assert queue_ids(page) == []
    assert "There are no more concerns after this point" in page
    assert 'href="?severity=high">Go back to the first page</a>' in page
    assert "Well done" not in page


def test_the_queue_finds_the_volunteer_by_a_typed_name_not_a_list_of_everyone(world, varied, signed_in):
    page = signed_in(world.coordinator).get(QUEUE).text
    assert re.search(r'<input type="text" name="volunteer"[^>]*id="id_volunteer"', page)
    assert re.search(r'<label[^>]*for="id_volunteer"[^>]*>\s*Volunteer', page)
    assert "Victor Opie</option>" not in page


# The filter form as crispy-forms laid it out: the page writes the same HTML by hand (at a
# fraction of the cost), and must keep every label, id, description and error of it.
CRISPY_FILTER_FORM = """{% load crispy_forms_tags %}
<form method="get" class="row g-2 align-items-end mt-2" aria-label="Filter concerns">
  <div class="col-6 col-md-4">{{ form.area|as_crispy_field }}</div>
  <div class="col-6 col-md-4">{{ form.category|as_crispy_field }}</div>
  <div class="col-6 col-md-4">{{ form.severity|as_crispy_field }}</div>
  <div class="col-6 col-md-4">{{ form.status|as_crispy_field }}</div>
  <div class="col-6 col-md-4">{{ form.route|as_crispy_field }}</div>
  <div class="col-6 col-md-4">{{ form.volunteer|as_crispy_field }}</div>
  <div class="col-12 col-md-5">{{ form.overdue|as_crispy_field }}</div>
  <div class="col-12 col-md-3 mb-3">
    <button type="submit" class="btn btn-outline-primary w-100">Filter</button>
  </div>
</form>"""


@pytest.mark.parametrize(
    "query",
    [
        "",
        "severity=urgent",
        "area={west}&category={falls}&severity=high&status=triaged&route=coffee_morning&volunteer=vera&overdue=on",
        "volunteer=",
        # Every box wrong at once: each shows its error, tied to its box.
        "area=0&category=0&severity=bogus&status=closed&route=nowhere&volunteer="
        + "x" * 101
        + "&overdue=maybe",
    ],
)
def test_the_queue_filter_form_is_the_html_crispy_forms_would_write(world, signed_in, query):
    from django.http import QueryDict
    from django.template import engines
    from django.test.html import parse_html

    from risks.forms import QueueFilterForm

    query = query.format(west=world.west.pk, falls=world.falls.pk)
    page = signed_in(world.coordinator).get(f"{QUEUE}?{query}").text
    form = QueueFilterForm(QueryDict(query) or None, user=world.coordinator)
    expected = engines["django"].from_string(CRISPY_FILTER_FORM).render({"form": form})

    shown = re.search(r'<form method="get" class="row.*?</form>', page, re.S).group(0)
    assert parse_html(shown) == parse_html(expected)
    if "bogus" in query:
        assert page.count('aria-invalid="true"') == 6


def test_the_queue_shows_whom_each_concern_passed_on_waits_for_with_one_query_for_the_page(
    world, risk, signed_in
):
    passed_on = bulk_copies(risk, 3, status=Status.ESCALATED)
    for number, concern in enumerate(passed_on):
        # An older referral first: the page names the latest one.
        Referral.objects.create(
            risk=concern,
            key_worker="Somebody Earlier",
            made_by=world.coordinator,
            made_at=timezone.now() - datetime.timedelta(days=2),
        )
        Referral.objects.create(
            risk=concern,
            key_worker=f"Key Worker {number}",
            expected_response_on=timezone.localdate() + datetime.timedelta(days=number + 1),
            made_by=world.coordinator,
        )
    browser = signed_in(world.coordinator)
    browser.get(QUEUE)

    queries, page = measured(browser, QUEUE)

    for number in range(3):
        assert f"Waiting for a reply from Key Worker {number}, expected" in page
    assert "Somebody Earlier" not in page
    assert sum("risks_referral" in sql for sql in queries) == 1


# What a page of the queue costs in queries, whatever its filters and however deep: the
# session and the person, their areas, the count, the page, the latest referrals of its
# concerns, the unread notifications, and the filter form's areas and categories (which the
# rows use too); and up to two for the filters chosen (the volunteers named; the area and
# category checked).
QUEUE_QUERY_BUDGET = 12


QUEUE_PAGES = [
    QUEUE,
    QUEUE + "?severity=urgent",
    QUEUE + "?status=triaged",
    QUEUE + "?route=formal_meeting",
    QUEUE + "?overdue=on",
    QUEUE + "?volunteer=Vera+Pascoe",
    QUEUE + "?area={west}&category={falls}",
    QUEUE + "?after=1~{due}~0&start=26",
]


@pytest.mark.parametrize("url", QUEUE_PAGES)
def test_each_queue_filter_and_a_later_page_run_the_same_queries_for_10_and_500_concerns(
    world, risk, signed_in, url
):
    url = url.format(
        west=world.west.pk, falls=world.falls.pk, due=risk.due_at.isoformat().replace("+", "%2B")
    )
    browser = signed_in(world.coordinator)
    bulk_copies(risk, 9, **variety(world))
    browser.get(url)

    with_10, _ = measured(browser, url)
    bulk_copies(risk, 490, **variety(world))
    with_500, _ = measured(browser, url)

    assert len(with_10) == len(with_500), "\n".join(with_500)
    assert len(with_500) <= QUEUE_QUERY_BUDGET, "\n".join(with_500)


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("team_leader", PHONE),
        ("team_leader", PHONE + "?volunteer_name=vera"),
        ("team_leader", "phone-vera"),
        ("coordinator", "rota"),
    ],
)
def test_the_phone_form_and_the_rota_run_the_same_queries_for_few_and_many_volunteers_and_concerns(
    world, risk, signed_in, who, url
):
    from tests.factories import VolunteerFactory

    url = {"rota": reverse("risks:rota"), "phone-vera": phone_form_of(world.volunteer)}.get(url, url)
    browser = signed_in(getattr(world, who))
    OnCallShiftFactory(area=world.west, team_leader=world.team_leader)
    browser.get(url)

    few, _ = measured(browser, url)
    VolunteerFactory.create_batch(60, areas=[world.west])
    OnCallShiftFactory(area=world.west, team_leader=world.team_leader)
    bulk_copies(risk, 200, **variety(world))
    many, _ = measured(browser, url)

    assert len(few) == len(many), "\n".join(many)


# --- The phone form finds the volunteer by name ------------------------------------------------------


def volunteer_links(html: str) -> list[str]:
    listing = re.search(r"<ul[^>]*data-phone-volunteers>.*?</ul>", html, re.S)
    if listing is None:
        return []
    names = re.findall(r'href="\?volunteer=\d+">([^<]*)<', listing.group(0))
    return [unescape(name).strip() for name in names]


def test_the_phone_form_lists_the_volunteers_whose_name_matches_the_search(world, signed_in):
    browser = signed_in(world.team_leader)

    page = browser.get(PHONE).text
    assert volunteer_links(page) == ["Vera Pascoe", "Victor Opie"]
    assert '<select name="client"' not in page
    assert re.search(r'<form method="get"[^>]*role="search"', page)
    assert re.search(r'<label[^>]*for="id_volunteer_name"[^>]*>\s*Find the volunteer by name', page)

    assert volunteer_links(browser.get(PHONE, {"volunteer_name": "opi"}).text) == ["Victor Opie"]
    nobody = browser.get(PHONE, {"volunteer_name": "Zebedee"}).text
    assert volunteer_links(nobody) == []
    assert "Nobody of that name: search again" in nobody


def test_volunteers_who_share_a_name_are_told_apart_by_their_phone_number(world, signed_in):
    from tests.factories import VolunteerFactory

    namesake = VolunteerFactory(areas=[world.west], user__first_name="Vera", user__last_name="Pascoe").user
    namesake.phone = "07700 900456"
    namesake.save()

    page = signed_in(world.team_leader).get(PHONE, {"volunteer_name": "Pascoe"}).text

    assert volunteer_links(page) == ["Vera Pascoe", "Vera Pascoe"]
    assert f'href="?volunteer={namesake.pk}">Vera Pascoe <span class="small">(07700 900456)</span>' in page


def test_a_long_list_of_volunteers_is_cut_short_and_says_how_to_find_the_rest(world, signed_in, monkeypatch):
    monkeypatch.setattr("risks.views.VOLUNTEERS_LISTED", 1)
    page = signed_in(world.team_leader).get(PHONE).text
    assert volunteer_links(page) == ["Vera Pascoe"]
    assert "The list shows the first 1. Find the volunteer by name to see the rest." in page


def test_a_form_sent_back_with_a_mistake_keeps_the_volunteer_and_what_was_typed(world, signed_in):
    response = signed_in(world.team_leader).post(
        phone_form_of(world.volunteer),
        phone_form(world, category="", what_was_seen="Her kettle cord is frayed"),
    )
    assert response.status_code == 200
    assert "Volunteer calling: <strong>Vera Pascoe</strong>" in response.text
    assert "Her kettle cord is frayed" in response.text
    assert re.search(rf'<option value="{world.elsie.pk}" selected>', response.text)
    assert counts() == (0, 0, 0)
