"""Who may open which risk page: the getter (risks.access.get_risk_for) and the
authorisation table for every view in risks/urls.py and risks/directory_urls.py.

Each row of the table is one view; each column one person: the owner (Vera, who raised
the concern; staff of West Cornwall), the same role elsewhere (Victor, another West
volunteer; staff of East Cornwall) and outsiders (an MDT chair and a clinician of Elsie's
practice, a manager, somebody with no role)."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from clients.services import allocation_end
from livingwell.accounts.models import AreaMembership
from livingwell.notifications.models import Notification
from risks import services
from risks.access import RiskPage, get_risk_for, get_service_for_edit, get_shift_for
from risks.models import OnCallShift, Outcome, Referral, RiskEvent, RiskReport, Service, Status
from tests.risks.factories import OnCallShiftFactory, ServiceFactory
from tests.support.access_table import LOGIN, assert_answer, cases
from tests.support.forms import once


def person(world, actor):
    return None if actor == "anonymous" else getattr(world, actor)


# --- The getter ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "page"),
    [
        ("coordinator", RiskPage.STAFF),
        ("team_leader", RiskPage.STAFF),
        ("volunteer", RiskPage.VOLUNTEER),
    ],
)
def test_the_reporter_and_staff_of_the_area_each_get_their_own_page(world, risk, actor, page):
    found, given = get_risk_for(getattr(world, actor), risk.pk)
    assert (found, given) == (risk, page)


def test_the_volunteer_a_phone_call_was_recorded_for_gets_the_volunteer_page(world):
    risk = services.risk_report(
        by=world.team_leader,
        on_behalf_of=world.volunteer,
        client=world.elsie,
        category=world.falls,
        severity="medium",
        what_was_seen="Rang in: no heating.",
        observed_at=timezone.now(),
    )
    assert get_risk_for(world.volunteer, risk.pk) == (risk, RiskPage.VOLUNTEER)
    assert get_risk_for(world.team_leader, risk.pk) == (risk, RiskPage.STAFF)


@pytest.mark.parametrize(
    "actor",
    [
        "other_volunteer",
        "other_coordinator",
        "other_team_leader",
        "mdt_chair",
        "clinician",
        "manager",
        "no_role",
    ],
)
def test_everybody_else_is_told_there_is_no_such_concern(world, risk, actor):
    with pytest.raises(Http404):
        get_risk_for(getattr(world, actor), risk.pk)


def test_an_anonymous_visitor_is_told_there_is_no_such_concern(world, risk):
    with pytest.raises(Http404):
        get_risk_for(AnonymousUser(), risk.pk)


def test_staff_who_have_left_the_area_no_longer_see_its_concerns(world, risk):
    AreaMembership.objects.filter(user=world.coordinator).update(
        started_on=timezone.localdate() - datetime.timedelta(days=30), ended_on=timezone.localdate()
    )
    with pytest.raises(Http404):
        get_risk_for(world.coordinator, risk.pk)


def test_a_volunteer_still_sees_their_own_concern_after_they_stop_visiting(world, risk):
    allocation_end(allocation=world.elsie.allocations.get(), by=world.coordinator)
    assert get_risk_for(world.volunteer, risk.pk) == (risk, RiskPage.VOLUNTEER)


def test_a_coordinator_of_any_one_of_its_areas_gets_a_service_to_edit(world):
    shared = ServiceFactory(name="Cornwall Dial-a-Ride", areas=[world.west, world.east])
    assert get_service_for_edit(world.coordinator, shared.pk) == shared
    assert get_service_for_edit(world.other_coordinator, shared.pk) == shared


@pytest.mark.parametrize(
    "actor",
    ["other_coordinator", "team_leader", "volunteer", "mdt_chair", "clinician", "manager", "no_role"],
)
def test_nobody_else_gets_a_service_to_edit(world, actor):
    service = ServiceFactory(name="Penwith Community Transport", areas=[world.west])
    with pytest.raises(Http404):
        get_service_for_edit(getattr(world, actor), service.pk)
    with pytest.raises(Http404):
        get_service_for_edit(AnonymousUser(), service.pk)


def test_a_service_that_does_not_exist_and_one_of_another_area_answer_alike(world):
    service = ServiceFactory(name="Bodmin Dial-a-Ride", areas=[world.east])
    for pk in (service.pk, service.pk + 1000):
        with pytest.raises(Http404):
            get_service_for_edit(world.coordinator, pk)


@pytest.mark.parametrize("actor", ["coordinator", "team_leader"])
def test_staff_of_the_area_get_its_shift(world, actor):
    shift = OnCallShiftFactory(area=world.west, team_leader=world.team_leader)
    assert get_shift_for(getattr(world, actor), shift.pk) == shift


@pytest.mark.parametrize(
    "actor",
    [
        "other_coordinator",
        "other_team_leader",
        "volunteer",
        "mdt_chair",
        "clinician",
        "manager",
        "no_role",
    ],
)
def test_nobody_else_gets_a_shift(world, actor):
    shift = OnCallShiftFactory(area=world.west, team_leader=world.team_leader)
    with pytest.raises(Http404):
        get_shift_for(getattr(world, actor), shift.pk)
    with pytest.raises(Http404):
        get_shift_for(AnonymousUser(), shift.pk)


# --- The authorisation table ----------------------------------------------------------------

VIEWS = {
    "risks:new": ("get", lambda objects: reverse("risks:new")),
    "risks:phone": ("get", lambda objects: reverse("risks:phone")),
    "risks:queue": ("get", lambda objects: reverse("risks:queue")),
    "risks:mine": ("get", lambda objects: reverse("risks:mine")),
    "risks:rota": ("get", lambda objects: reverse("risks:rota")),
    "risks:shift_new": ("get", lambda objects: reverse("risks:shift_new")),
    "risks:shift_edit": ("get", lambda objects: reverse("risks:shift_edit", args=[objects.shift.pk])),
    "risks:detail": ("get", lambda objects: reverse("risks:detail", args=[objects.risk.pk])),
    "risks:transition": (
        "post",
        lambda objects: reverse("risks:transition", args=[objects.risk.pk, "triage"]),
    ),
    "risks:send_saved": ("post", lambda objects: reverse("risks:send_saved")),
    "directory:list": ("get", lambda objects: reverse("directory:list")),
    "directory:new": ("get", lambda objects: reverse("directory:new")),
    "directory:edit": ("get", lambda objects: reverse("directory:edit", args=[objects.service.pk])),
}
# fmt: off
TABLE = {
    #                      anon   vol  o_vol coord o_crd  tl   o_tl chair clin  mgr  none
    "risks:new":          (LOGIN, 200, 200,  403,  403,  403,  403, 403,  403,  403, 403),
    "risks:phone":        (LOGIN, 403, 403,  403,  403,  200,  200, 403,  403,  403, 403),
    "risks:queue":        (LOGIN, 403, 403,  200,  200,  200,  200, 403,  403,  403, 403),
    "risks:mine":         (LOGIN, 200, 200,  403,  403,  403,  403, 403,  403,  403, 403),
    "risks:rota":         (LOGIN, 403, 403,  200,  200,  200,  200, 403,  403,  403, 403),
    "risks:shift_new":    (LOGIN, 403, 403,  200,  200,  403,  403, 403,  403,  403, 403),
    "risks:shift_edit":   (LOGIN, 403, 403,  200,  404,  403,  403, 403,  403,  403, 403),
    "risks:detail":       (LOGIN, 200, 404,  200,  404,  200,  404, 404,  404,  404, 404),
    "risks:transition":   (LOGIN, 403, 403,  302,  404,  302,  404, 403,  403,  403, 403),
    # Sent by the phone's JavaScript, answered in JSON: an empty report is refused (400).
    "risks:send_saved":   (401,   400, 400,  403,  403,  403,  403, 403,  403,  403, 403),
    "directory:list":     (LOGIN, 200, 200,  200,  200,  200,  200, 403,  403,  403, 403),
    "directory:new":      (LOGIN, 403, 403,  200,  200,  403,  403, 403,  403,  403, 403),
    # A coordinator edits the services that cover one of their areas.
    "directory:edit":     (LOGIN, 403, 403,  200,  404,  403,  403, 403,  403,  403, 403),
}
# fmt: on
CASES = cases(TABLE)


def test_the_table_covers_every_risk_and_directory_view():
    from risks.directory_urls import urlpatterns as directory_patterns
    from risks.urls import urlpatterns as risk_patterns

    names = {f"risks:{pattern.name}" for pattern in risk_patterns}
    names |= {f"directory:{pattern.name}" for pattern in directory_patterns}
    assert names == set(TABLE) == set(VIEWS)


@pytest.fixture
def objects(world, risk):
    from types import SimpleNamespace

    return SimpleNamespace(
        risk=risk,
        shift=OnCallShiftFactory(area=world.west, team_leader=world.team_leader),
        service=ServiceFactory(name="Penwith Community Transport", areas=[world.west]),
    )


@pytest.mark.parametrize(("view", "actor", "expected"), CASES)
def test_risk_views_answer_each_person_as_the_table_says(world, objects, signed_in, view, actor, expected):
    method, url = VIEWS[view]
    response = getattr(signed_in(person(world, actor)), method)(url(objects))
    assert_answer(response, expected)
    if view == "risks:transition" and expected == 302:
        assert response["Location"] == reverse("risks:detail", args=[objects.risk.pk])


def test_a_transition_needs_a_post(world, risk, signed_in):
    response = signed_in(world.coordinator).get(reverse("risks:transition", args=[risk.pk, "triage"]))
    assert response.status_code == 405
    assert RiskReport.objects.get(pk=risk.pk).status == Status.REPORTED


# --- Refused requests change nothing ------------------------------------------------------

REFUSED = {
    "anonymous": LOGIN,
    "volunteer": 403,
    "other_volunteer": 403,
    "other_coordinator": 404,
    "other_team_leader": 404,
    "mdt_chair": 403,
    "clinician": 403,
    "manager": 403,
    "no_role": 403,
}
POSTS = {
    "triage": (Status.REPORTED, {"note": "Mine now"}),
    "escalate": (Status.REPORTED, once({"key_worker": "Dr Pengelly"})),
    "record_outcome": (
        Status.TRIAGED,
        {"kind": "support_arranged", "staff_summary": "Seen.", "volunteer_message": "All sorted."},
    ),
    "close": (Status.TRIAGED, {"reason": "Resolved"}),
    "reopen": (Status.CLOSED, {"note": "Worse again"}),
}


def state_of(risk) -> dict:
    fresh = RiskReport.objects.get(pk=risk.pk)
    return {
        "risk": {field.attname: getattr(fresh, field.attname) for field in RiskReport._meta.concrete_fields},
        "events": RiskEvent.objects.count(),
        "referrals": Referral.objects.count(),
        "outcomes": Outcome.objects.count(),
        "notifications": Notification.objects.count(),
    }


@pytest.mark.parametrize("actor", REFUSED)
@pytest.mark.parametrize("action", POSTS)
def test_a_transition_posted_by_anyone_but_staff_of_the_area_is_refused_and_changes_nothing(
    world, risk, advance, signed_in, action, actor
):
    state, data = POSTS[action]
    advance(risk, state, world.coordinator)
    before = state_of(risk)

    response = signed_in(person(world, actor)).post(reverse("risks:transition", args=[risk.pk, action]), data)

    if REFUSED[actor] == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == REFUSED[actor]
    assert state_of(risk) == before


@pytest.mark.parametrize("actor", ["coordinator", "team_leader"])
@pytest.mark.parametrize("action", POSTS)
def test_the_same_transitions_succeed_for_staff_of_the_area(world, risk, advance, signed_in, action, actor):
    """The refusals above are refusals, not broken forms."""
    state, data = POSTS[action]
    advance(risk, state, world.coordinator)
    before = state_of(risk)

    response = signed_in(getattr(world, actor)).post(
        reverse("risks:transition", args=[risk.pk, action]), data
    )

    assert response.status_code == 302
    assert state_of(risk) != before
    assert RiskEvent.objects.filter(risk=risk, actor=getattr(world, actor)).exists()


SERVICE_POST = {
    "name": "Hayle Lunch Club",
    "kind": Service.Kind.BEFRIENDING,
    "helps_with": "A hot lunch and company on Wednesdays.",
    "is_active": "on",
}


@pytest.mark.parametrize("actor", ["volunteer", "team_leader", "manager", "mdt_chair"])
def test_only_coordinators_may_add_or_edit_a_service(world, objects, signed_in, actor):
    data = once({**SERVICE_POST, "areas": [world.west.pk]})
    browser = signed_in(getattr(world, actor))

    assert browser.post(reverse("directory:new"), data).status_code == 403
    assert browser.post(reverse("directory:edit", args=[objects.service.pk]), data).status_code == 403

    assert list(Service.objects.values_list("name", flat=True)) == ["Penwith Community Transport"]


def test_a_coordinator_adds_and_edits_a_service(world, objects, signed_in):
    browser = signed_in(world.coordinator)
    data = once({**SERVICE_POST, "areas": [world.west.pk]})

    response = browser.post(reverse("directory:new"), data)
    assert response.status_code == 302
    added = Service.objects.get(name="Hayle Lunch Club")
    assert list(added.areas.all()) == [world.west]

    response = browser.post(reverse("directory:edit", args=[added.pk]), {**data, "phone": "01736 111222"})
    assert response.status_code == 302
    added.refresh_from_db()
    assert added.phone == "01736 111222"


def shift_post(world, **changes):
    now = timezone.localtime()
    return once(
        {
            "area": world.west.pk,
            "team_leader": world.team_leader.pk,
            "starts_at": (now + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now + datetime.timedelta(days=1, hours=8)).strftime("%Y-%m-%dT%H:%M"),
            **changes,
        }
    )


@pytest.mark.parametrize("actor", ["team_leader", "volunteer", "manager"])
def test_only_coordinators_may_change_the_rota(world, objects, signed_in, actor):
    browser = signed_in(getattr(world, actor))
    before = list(OnCallShift.objects.values_list("pk", "team_leader", "starts_at", "ends_at"))

    assert browser.post(reverse("risks:shift_new"), shift_post(world)).status_code == 403
    edit = reverse("risks:shift_edit", args=[objects.shift.pk])
    assert browser.post(edit, shift_post(world)).status_code == 403

    assert list(OnCallShift.objects.values_list("pk", "team_leader", "starts_at", "ends_at")) == before


def test_a_coordinator_cannot_edit_another_areas_rota(world, objects, signed_in):
    before = list(OnCallShift.objects.values_list("pk", "team_leader", "starts_at", "ends_at"))
    edit = reverse("risks:shift_edit", args=[objects.shift.pk])

    response = signed_in(world.other_coordinator).post(edit, shift_post(world))

    assert response.status_code == 404
    assert list(OnCallShift.objects.values_list("pk", "team_leader", "starts_at", "ends_at")) == before


def test_a_coordinator_adds_a_shift_for_a_team_leader_of_their_area(world, signed_in):
    response = signed_in(world.coordinator).post(reverse("risks:shift_new"), shift_post(world))
    assert response.status_code == 302
    [shift] = OnCallShift.objects.all()
    assert (shift.area, shift.team_leader) == (world.west, world.team_leader)


def test_a_coordinator_cannot_put_another_areas_team_leader_on_the_rota(world, signed_in):
    data = shift_post(world, team_leader=world.other_team_leader.pk)
    response = signed_in(world.coordinator).post(reverse("risks:shift_new"), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not OnCallShift.objects.exists()


def test_a_team_leader_who_recorded_a_call_and_left_the_area_no_longer_sees_the_concern(world):
    risk = services.risk_report(
        by=world.team_leader,
        on_behalf_of=world.volunteer,
        client=world.elsie,
        category=world.falls,
        severity="medium",
        what_was_seen="Rang in: no heating.",
        observed_at=timezone.now(),
    )
    AreaMembership.objects.filter(user=world.team_leader).update(ended_on=timezone.localdate())
    with pytest.raises(Http404):
        get_risk_for(world.team_leader, risk.pk)
