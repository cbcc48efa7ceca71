"""What the risks app adds to the home page: for coordinators and team leaders, counts of
what waits for them linking to the filtered queue; for a team leader on call, until when,
and the urgent alerts they have not read; for volunteers, who is on call."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from livingwell.accounts.home import home_panels_for, registered_home_panels
from livingwell.notifications.models import Notification
from risks import selectors, services
from risks.models import RiskReport, Severity, Status
from tests.risks.factories import OnCallShiftFactory

HOME = reverse("home")
QUEUE = reverse("risks:queue")


def make_overdue(risk):
    RiskReport.objects.filter(pk=risk.pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))


@pytest.fixture
def waiting(world, new_concern):
    """In West: two new concerns (one urgent), one taken and overdue, one passed on and
    past its old target time (not overdue: it waits for the service now); one new in East."""
    new_concern("Able")
    new_concern("Bray", severity=Severity.URGENT)
    taken = new_concern("Carne")
    services.risk_triage(risk=taken, by=world.coordinator)
    make_overdue(taken)
    passed_on = new_concern("Dunn")
    services.risk_escalate(risk=passed_on, by=world.coordinator, key_worker="Dr Pengelly")
    make_overdue(passed_on)
    new_concern("Eddy", area="east")


def test_the_home_page_registers_the_risks_panels():
    names = [panel.name for panel in registered_home_panels()]
    assert {"risks.on_call", "risks.urgent_alerts", "risks.waiting", "risks.need_to_talk"} <= set(names)


def test_what_waits_is_counted_in_one_query_for_the_persons_own_areas(
    world, waiting, django_assert_num_queries
):
    world.coordinator.areas_today  # noqa: B018 - the home page has read them already
    with django_assert_num_queries(1):
        counts = selectors.waiting_counts_for(world.coordinator)
    assert counts == {"new": 2, "urgent": 1, "overdue": 1}
    assert selectors.waiting_counts_for(world.other_coordinator) == {"new": 1, "urgent": 0, "overdue": 0}


def test_a_count_over_a_thousand_says_more_than_1000_and_the_others_stay_exact(world, waiting, signed_in):
    from tests.risks.factories import bulk_copies

    new = RiskReport.objects.filter(area=world.west, status=Status.REPORTED).first()
    bulk_copies(new, selectors.WAITING_COUNT_CAP - 2, severity=Severity.MEDIUM)  # 1,000 new in all
    assert selectors.waiting_counts_for(world.coordinator) == {"new": 1000, "urgent": 1, "overdue": 1}

    bulk_copies(new, 5, severity=Severity.MEDIUM)
    counts = selectors.waiting_counts_for(world.coordinator)
    assert counts == {"new": selectors.WAITING_COUNT_CAP + 1, "urgent": 1, "overdue": 1}
    text = signed_in(world.coordinator).get(HOME).text
    assert re.search(r"<strong>more than 1,000</strong>\s+new concerns that nobody has taken yet", text)
    assert re.search(r"<strong>1</strong>\s+urgent concern still open", text)


@pytest.mark.parametrize("person", ["coordinator", "team_leader"])
def test_each_count_links_to_the_queue_filtered_to_exactly_those_concerns(world, waiting, person, signed_in):
    client = signed_in(getattr(world, person))
    page = client.get(HOME).text
    counts = selectors.waiting_counts_for(world.coordinator)
    links = dict(re.findall(r'<a href="(/risks/queue/\?[^"]+)"><strong>(\d+)</strong>', page))
    assert links == {
        f"{QUEUE}?status=reported": str(counts["new"]),
        f"{QUEUE}?severity=urgent": str(counts["urgent"]),
        f"{QUEUE}?overdue=1": str(counts["overdue"]),
    }
    for url, count in links.items():
        response = client.get(url)
        assert response.status_code == 200
        assert len(response.context["page_obj"].object_list) == int(count), url


def test_the_overdue_filter_keeps_only_concerns_past_their_target_that_wait_for_us(world, waiting):
    overdue = selectors.triage_queue(world.coordinator, overdue=True)
    assert [risk.client.last_name for risk in overdue] == ["Carne"]


@pytest.mark.parametrize("person", ["volunteer", "mdt_chair", "manager", "no_role"])
def test_people_who_do_not_act_on_concerns_see_no_counts(world, waiting, login, person):
    page = login(getattr(world, person)).get(HOME).text
    assert "Waiting for you" not in page
    assert QUEUE not in page


def test_with_nothing_waiting_the_home_page_says_so(world, login):
    page = login(world.coordinator).get(HOME).text
    assert "No concern in your areas is new, urgent or overdue." in page


def test_a_team_leader_on_call_is_told_until_when_at_the_top(world, login):
    shift = OnCallShiftFactory(area=world.west, team_leader=world.team_leader)
    page = login(world.team_leader).get(HOME).text
    until = timezone.localtime(shift.ends_at)
    assert f"You are on call until {until:%A} {until.day} {until:%B}, {until:%H:%M}" in page
    # At the top: before the description of the role.
    assert page.index("You are on call until") < page.index("You are signed in as a team leader")


def test_a_team_leader_not_on_call_now_is_not_told_they_are(world, login):
    OnCallShiftFactory(area=world.west, team_leader=world.other_team_leader)
    OnCallShiftFactory(
        area=world.west,
        team_leader=world.team_leader,
        starts_at=timezone.now() + datetime.timedelta(days=1),
        ends_at=timezone.now() + datetime.timedelta(days=1, hours=8),
    )
    assert "You are on call" not in login(world.team_leader).get(HOME).text


def test_unread_urgent_alerts_are_at_the_top_as_links_to_the_concern(world, new_concern, login):
    OnCallShiftFactory(area=world.west, team_leader=world.team_leader)
    urgent = new_concern("Bray", severity=Severity.URGENT)
    [alert] = Notification.objects.filter(recipient=world.team_leader, kind=Notification.Kind.URGENT_CONCERN)

    page = login(world.team_leader).get(HOME).text

    link = f'<a href="/risks/{urgent.pk}/">{alert.title}</a>'
    assert link in page
    assert page.index(link) < page.index("You are signed in as a team leader")
    # Once read, it leaves the top of the page.
    alert.read_at = timezone.now()
    alert.save(update_fields=["read_at"])
    assert "Urgent concerns you have been alerted to" not in login(world.team_leader).get(HOME).text


def test_another_team_leaders_alerts_are_not_shown(world, new_concern, login):
    OnCallShiftFactory(area=world.west, team_leader=world.team_leader)
    new_concern("Bray", severity=Severity.URGENT)
    assert "Urgent concerns you have been alerted to" not in login(world.other_team_leader).get(HOME).text
    assert "Urgent concerns you have been alerted to" not in login(world.coordinator).get(HOME).text


def test_a_volunteer_sees_who_is_on_call_in_their_area(world, login):
    OnCallShiftFactory(area=world.west, team_leader=world.team_leader)
    page = login(world.volunteer).get(HOME).text
    assert "Need to talk to someone now?" in page
    assert "Tom Hosking is the team leader on call for West Cornwall" in page
    assert "Need to talk to someone now?" not in login(world.east_volunteer).get(HOME).text


def test_the_home_panels_cost_a_few_queries_whatever_waits(world, waiting, django_assert_max_num_queries):
    OnCallShiftFactory(area=world.west, team_leader=world.team_leader)
    with django_assert_max_num_queries(6):
        home_panels_for(world.team_leader)


def test_the_status_filter_for_new_concerns_is_offered_by_the_queue_form(world, login):
    page = login(world.coordinator).get(QUEUE, {"status": Status.REPORTED, "overdue": "1"})
    assert page.status_code == 200
    assert 'name="overdue"' in page.text


def test_what_waits_is_counted_from_the_queue_indexes_reading_only_the_concerns_counted(world, waiting):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.risks.factories import bulk_copies

    # Mostly closed concerns, as in a programme's third year, and a few thousand open ones.
    risk = RiskReport.objects.filter(area=world.west).first()
    bulk_copies(risk, 20000, status=lambda i: Status.CLOSED if i % 10 else Status.TRIAGED)
    bulk_copies(
        risk, 2000, severity=Severity.URGENT, status=lambda i: Status.CLOSED if i % 10 else Status.ESCALATED
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE risks_riskreport")
    world.coordinator.areas_today  # noqa: B018 - the home page has read them already
    with CaptureQueriesContext(connection) as captured:
        selectors.waiting_counts_for(world.coordinator)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + captured[0]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())

    # New and overdue by status (and target time), urgent by band: each a range of an index.
    assert "Index Cond: ((area_id = " in plan, plan
    assert plan.count("risk_queue_idx") == 2, plan
    assert plan.count("risk_open_queue_idx") == 1, plan
    assert "Seq Scan on risks_riskreport" not in plan, plan
