"""The meeting page (with its agenda, actions and attendance form) and the list of meetings
run the same number of queries for 5 and for 100 agenda items or meetings: nothing on them
is fetched once per row."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import Client
from meetings.models import (
    Action,
    AgendaItem,
    AgendaItemResult,
    Attendance,
    AttendanceRole,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from tests.meetings.fixtures import local, meetings_fixture  # noqa: F401
from tests.risks.factories import ServiceFactory, bulk_copies
from tests.support.access_table import signed_in
from tests.support.queries import queries_for

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


def grow_agenda(meetings, meeting: Meeting, size: int) -> None:
    """Bring the agenda of `meeting` to `size` items, each a new client of the practice, in
    every shape the page shows: half about a concern, every seventh presented by Vera with
    the protocol confirmed, each with an action owned by the nurse or by a service."""
    world = meetings.world
    start = meeting.items.count()
    count = size - start
    if count <= 0:
        return
    clients = Client.objects.bulk_create(
        Client(
            first_name="Client",
            last_name=f"Number{start + index}",
            date_of_birth=datetime.date(1940, 1, 1),
            address="1 Fore Street\nPenzance",
            postcode="TR18 4AB",
            gp_practice=meetings.practice,
            area=world.west,
            practical_needs="",
        )
        for index in range(count)
    )
    risks = bulk_copies(
        meetings.elsie_risk,
        count,
        client_id=lambda index: clients[index].pk,
        owner_id=lambda index: world.coordinator.pk if index % 3 else None,
    )
    confirmed = meetings.elsie_item
    items = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            client=client,
            risk=risks[index] if index % 2 else None,
            position=start + index + 1,
            minutes=5,
            presenter=world.volunteer if index % 7 == 0 else None,
            presented_by_volunteer=index % 7 == 0,
            protocol_id=confirmed.protocol_id if index % 7 == 0 else None,
            protocol_confirmed_by=world.mdt_chair if index % 7 == 0 else None,
            protocol_confirmed_at=timezone.now() if index % 7 == 0 else None,
            discussion_note="Talked it through." if index % 5 == 0 else "",
            result=AgendaItemResult.RAISED if meeting.kind == MeetingKind.COFFEE_MORNING else "",
            added_by=meeting.chair,
        )
        for index, client in enumerate(clients)
    )
    service = meetings.service
    # At a coffee morning, every other concern raised still waits for an owner.
    owned = items[::2] if meeting.kind == MeetingKind.COFFEE_MORNING else items
    Action.objects.bulk_create(
        Action(
            meeting=meeting,
            item=item,
            what=f"Follow up {item.client.last_name}.",
            owner=world.clinician if index % 2 else None,
            service=None if index % 2 else service,
            due_on=timezone.localdate() + datetime.timedelta(days=7),
            done_at=timezone.now() if index % 4 == 0 else None,
            done_by=meeting.chair if index % 4 == 0 else None,
            created_by=meeting.chair,
        )
        for index, item in enumerate(owned)
    )


@pytest.fixture
def grown(meetings):
    meetings.service = ServiceFactory(name="Penwith Falls Service", areas=[meetings.world.west])
    # People at the meetings too, so that the attendance form has a row per person.
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, person=person, role=AttendanceRole.GUEST)
        for meeting in (meetings.mdt, meetings.formal)
        for person in (meetings.people["absent_clinician"], meetings.people["other_practice_chair"])
    )
    return meetings


def measured(browser, url):
    responses = []
    queries = queries_for(lambda: responses.append(browser.get(url)))
    assert responses[0].status_code == 200
    return queries, responses[0].text


@pytest.mark.parametrize(
    ("actor", "meeting"),
    [
        ("mdt_chair", "mdt"),  # runs it: every form of the page
        ("coordinator", "mdt"),  # staff of the area: reads it
        ("clinician", "mdt"),  # invited: reads it, with the summaries
        ("coordinator", "formal"),  # runs it: decisions, notes, actions
        ("other_coordinator", "east"),  # runs the coffee morning: concerns raised and their owners
        ("volunteer", "mdt"),  # their own item only
    ],
)
def test_the_meeting_page_runs_the_same_queries_for_5_and_100_agenda_items(grown, actor, meeting):
    meeting = getattr(grown, meeting)
    browser = signed_in(grown.people[actor])
    url = reverse("meetings:detail", args=[meeting.pk])
    browser.get(url)  # the first request of a session writes it; measure the ones after

    grow_agenda(grown, meeting, 5)
    with_5, page_5 = measured(browser, url)
    grow_agenda(grown, meeting, 100)
    with_100, page_100 = measured(browser, url)

    assert meeting.items.count() == 100
    if actor == "volunteer":
        own = meeting.items.filter(presenter=grown.world.volunteer, client__first_name="Client")
        shown = set(re.findall(r"Client Number\d+", page_100))
        assert shown == {f"Client {item.client.last_name}" for item in own}
        assert len(shown) == 15
    else:
        assert page_100.count('class="card mb-2 agenda-item"') == 100
        assert page_5.count('class="card mb-2 agenda-item"') == 5
    if meeting.kind == MeetingKind.COFFEE_MORNING:
        assert "Before the minutes can be finalised" in page_100
    assert len(with_5) == len(with_100), "\n".join(with_100)


def plan_meetings(meetings, count: int, *, past: bool = False) -> None:
    """`count` more planned meetings of every kind that the people below may all see (or,
    `past`, meetings of the last year, held or cancelled)."""
    world, day = meetings.world, timezone.localdate()
    sign = -1 if past else 1
    Meeting.objects.bulk_create(
        Meeting(
            kind=MeetingKind.MDT if index % 2 else MeetingKind.FORMAL,
            area=world.west,
            practice=meetings.practice if index % 2 else None,
            status=(MeetingStatus.CANCELLED if index % 5 == 0 else MeetingStatus.HELD)
            if past
            else MeetingStatus.PLANNED,
            starts_at=local(day + sign * datetime.timedelta(days=7 + index % 300), 10),
            ends_at=local(day + sign * datetime.timedelta(days=7 + index % 300), 11),
            place="Penzance",
            chair=world.mdt_chair if index % 2 else world.coordinator,
            created_by=world.coordinator,
        )
        for index in range(count)
    )
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, person=world.clinician, role=AttendanceRole.CLINICIAN)
        for meeting in Meeting.objects.exclude(attendances__person=world.clinician)
    )


@pytest.mark.parametrize("past", [False, True], ids=["upcoming", "past"])
@pytest.mark.parametrize("actor", ["coordinator", "mdt_chair", "clinician"])
def test_the_list_of_meetings_runs_the_same_queries_for_5_and_100_meetings(grown, actor, past):
    browser = signed_in(grown.people[actor])
    url = reverse("meetings:list") + ("?when=past" if past else "")
    browser.get(url)

    plan_meetings(grown, 5, past=past)
    with_5, page_5 = measured(browser, url)
    plan_meetings(grown, 95, past=past)
    with_100, page_100 = measured(browser, url)

    assert page_100.count('href="/meetings/') > page_5.count('href="/meetings/')
    assert len(with_5) == len(with_100), "\n".join(with_100)


@pytest.mark.parametrize("actor", ["mdt_chair", "clinician", "volunteer"])
def test_the_home_page_runs_the_same_queries_for_5_and_100_agenda_items(grown, actor):
    browser = signed_in(grown.people[actor])
    browser.get("/")

    grow_agenda(grown, grown.mdt, 5)
    with_5, _ = measured(browser, "/")
    grow_agenda(grown, grown.mdt, 100)
    with_100, page_100 = measured(browser, "/")

    assert "Your next meetings" in page_100
    assert len(with_5) == len(with_100), "\n".join(with_100)


def options_of(page: str, form_action: str, name: str) -> list[tuple[str, str]]:
    form = re.search(rf'<form method="post" action="{re.escape(form_action)}".*?</form>', page, re.S)
    select = re.search(rf'<select name="{name}".*?</select>', form.group(0), re.S)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(0))


@pytest.mark.parametrize(("actor", "meeting"), [("mdt_chair", "mdt"), ("coordinator", "formal")])
def test_the_action_form_lists_what_the_page_read_as_the_database_would_list_it(grown, actor, meeting):
    """The page hands the action form the agenda, the people invited and the services it
    has read already; they must be the choices that posting the form is checked against."""
    from meetings.forms import ActionForm

    meeting = getattr(grown, meeting)
    grow_agenda(grown, meeting, 7)
    page = signed_in(grown.people[actor]).get(reverse("meetings:detail", args=[meeting.pk])).text
    checked = ActionForm(meeting=meeting, items=meeting.items.select_related("client", "risk__category"))

    action = reverse("meetings:action_add", args=[meeting.pk])
    for name in ("item", "owner", "service"):
        expected = [(str(value), str(label)) for value, label in checked.fields[name].choices]
        shown = [(value, unescape(label)) for value, label in options_of(page, action, name)]
        assert shown == expected, name
    assert len(options_of(page, action, "item")) == 8
    assert len(options_of(page, action, "owner")) > 3
    assert ("", "Choose a service") in options_of(page, action, "service")
    assert len(options_of(page, action, "service")) >= 2
