"""Who may open which volunteer page: the authorisation table for every view in
volunteers/urls.py. The target is Vera, a West volunteer (the `cast` fixture's "volunteer");
"other_volunteer" is another West volunteer, "other_coordinator" and "other_team_leader" work
in East Cornwall."""

import datetime

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from livingwell.accounts import services as accounts_services
from livingwell.accounts.models import User
from livingwell.accounts.roles import Role
from tests.factories import DBSCheckFactory, TrainingModuleFactory, TrainingRecordFactory, VolunteerFactory
from tests.support.access_table import LOGIN, assert_answer, cases, signed_in
from tests.support.forms import once
from volunteers.access import get_own_volunteer_profile, get_volunteer_for, volunteers_visible_to
from volunteers.models import ConfidentialityAgreement, DBSCheck, TrainingRecord, Volunteer

pytestmark = pytest.mark.usefixtures("fast_password_hashing")


def record_add(kind):
    return lambda cast: reverse("volunteers:record_add", args=[cast.visiting.pk, kind])


VIEWS = {
    "volunteers:list": lambda cast: reverse("volunteers:list"),
    "volunteers:create": lambda cast: reverse("volunteers:create"),
    "volunteers:me": lambda cast: reverse("volunteers:me"),
    "volunteers:detail": lambda cast: reverse("volunteers:detail", args=[cast.visiting.pk]),
    "volunteers:edit": lambda cast: reverse("volunteers:edit", args=[cast.visiting.pk]),
    "volunteers:record_add[dbs]": record_add("dbs"),
    "volunteers:record_add[training]": record_add("training"),
    "volunteers:record_add[agreement]": record_add("agreement"),
}
# fmt: off
TABLE = {
    #                                    anon   vol  o_vol coord o_crd  tl   o_tl  chair clin  mgr  none
    "volunteers:list":                  (LOGIN, 403, 403,  200,  200,  200,  200,  403,  403,  403,  403),
    "volunteers:create":                (LOGIN, 403, 403,  200,  200,  200,  200,  403,  403,  403,  403),
    "volunteers:me":                    (LOGIN, 200, 200,  403,  403,  403,  403,  403,  403,  403,  403),
    "volunteers:detail":                (LOGIN, 403, 403,  200,  404,  200,  404,  403,  403,  403,  403),
    "volunteers:edit":                  (LOGIN, 403, 403,  200,  404,  200,  404,  403,  403,  403,  403),
    "volunteers:record_add[dbs]":       (LOGIN, 403, 403,  200,  404,  200,  404,  403,  403,  403,  403),
    "volunteers:record_add[training]":  (LOGIN, 403, 403,  200,  404,  200,  404,  403,  403,  403,  403),
    "volunteers:record_add[agreement]": (LOGIN, 403, 403,  200,  404,  200,  404,  403,  403,  403,  403),
}
# fmt: on
CASES = cases(TABLE)


def test_the_table_covers_every_volunteer_view():
    from volunteers.urls import urlpatterns

    assert {f"volunteers:{pattern.name}" for pattern in urlpatterns} == {view.split("[")[0] for view in TABLE}
    assert set(TABLE) == set(VIEWS)


@pytest.mark.parametrize(("view", "actor", "expected"), CASES)
def test_volunteer_views_answer_each_person_as_the_table_says(cast, view, actor, expected):
    response = signed_in(cast.people[actor]).get(VIEWS[view](cast))
    assert_answer(response, expected)


def test_an_unknown_record_kind_is_not_a_page(cast):
    response = signed_in(cast.people["coordinator"]).get(f"/volunteers/{cast.visiting.pk}/bank_details/new/")
    assert response.status_code == 404


# --- Refused requests change nothing ------------------------------------------------------------

REFUSED = ("anonymous", "volunteer", "other_volunteer", "other_coordinator", "other_team_leader")
REFUSED += ("mdt_chair", "clinician", "manager", "no_role")


def state_of() -> dict:
    return {
        "volunteers": list(
            Volunteer.objects.order_by("pk").values_list("pk", "status", "capacity", "mdt_opt_in")
        ),
        "users": list(User.objects.order_by("pk").values_list("pk", "first_name", "last_name")),
        "dbs": DBSCheck.objects.count(),
        "training": TrainingRecord.objects.count(),
        "agreements": ConfidentialityAgreement.objects.count(),
    }


def valid_posts(cast) -> dict:
    vera, west = cast.visiting, cast.elsie.area
    today = timezone.localdate().isoformat()
    profile = {
        "first_name": "Vera",
        "last_name": "Changed",
        "email": "",
        "phone": "",
        "areas": [west.pk],
        "address": "",
        "postcode": "",
        "languages": "",
        "background": "",
        "availability": "",
        "capacity": 9,
        "own_gp_practice": "",
    }
    return {
        "create": (
            reverse("volunteers:create"),
            once({**profile, "username": "newbie", "first_name": "New"}),
        ),
        "edit": (reverse("volunteers:edit", args=[vera.pk]), {**profile, "status": "left"}),
        "dbs": (
            reverse("volunteers:record_add", args=[vera.pk, "dbs"]),
            once({"checked_on": today, "reference": "001234567890"}),
        ),
        "training": (
            reverse("volunteers:record_add", args=[vera.pk, "training"]),
            once({"module": TrainingModuleFactory(name="Spotting falls risks").pk, "completed_on": today}),
        ),
        "agreement": (
            reverse("volunteers:record_add", args=[vera.pk, "agreement"]),
            once({"version": "2026.1", "signed_on": today}),
        ),
    }


@pytest.mark.parametrize("actor", REFUSED)
@pytest.mark.parametrize("view", ["create", "edit", "dbs", "training", "agreement"])
def test_a_refused_post_changes_nothing(cast, view, actor):
    url, data = valid_posts(cast)[view]
    before = state_of()
    response = signed_in(cast.people[actor]).post(url, data)
    if view == "create" and actor in ("other_coordinator", "other_team_leader"):
        # East staff may register volunteers, but not into West Cornwall.
        assert response.status_code == 200
        assert "Select a valid choice" in response.text
    else:
        assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
    assert state_of() == before


@pytest.mark.parametrize("view", ["create", "edit", "dbs", "training", "agreement"])
def test_the_same_posts_succeed_for_the_volunteers_coordinator(cast, view):
    url, data = valid_posts(cast)[view]
    before = state_of()
    response = signed_in(cast.people["coordinator"]).post(url, data)
    assert response.status_code == 302, response.text
    assert state_of() != before


def test_a_volunteer_cannot_change_their_status_or_capacity_through_their_own_profile(cast):
    vera = cast.visiting
    response = signed_in(vera.user).post(
        reverse("volunteers:me"),
        {
            "status": "left",
            "capacity": 12,
            "skills": ["driver"],
            "availability": "Evenings",
            "mdt_opt_in": "on",
        },
    )
    assert response.status_code == 302
    vera.refresh_from_db()
    assert (vera.status, vera.capacity) == ("active", 2)
    assert (vera.skills, vera.availability, vera.mdt_opt_in) == (["driver"], "Evenings", True)


def test_my_profile_is_always_my_own(cast):
    DBSCheckFactory(volunteer=cast.visiting, renewal_due_on=datetime.date(2028, 4, 30))
    TrainingRecordFactory(volunteer=cast.visiting, module__name="Vera's own module")
    other = cast.people["other_volunteer"]
    response = signed_in(other).get(reverse("volunteers:me"))
    assert response.context["volunteer"] == other.volunteer
    assert "30 April 2028" not in response.text
    assert "own module" not in response.text
    assert "30 April 2028" in signed_in(cast.visiting.user).get(reverse("volunteers:me")).text


def test_my_profile_lists_no_clients_even_when_i_visit_some(cast):
    """The profile page is about the volunteer; their clients are on "My clients"."""
    response = signed_in(cast.visiting.user).get(reverse("volunteers:me"))
    assert cast.elsie.last_name not in response.text


# --- Lists and getters ---------------------------------------------------------------------------


def test_the_volunteer_list_shows_only_volunteers_of_the_staff_members_areas(cast, east):
    eastern = VolunteerFactory(user__first_name="Morwenna", user__last_name="Eastern", areas=[east])
    west_list = signed_in(cast.people["coordinator"]).get(reverse("volunteers:list")).text
    east_list = signed_in(cast.people["other_team_leader"]).get(reverse("volunteers:list")).text
    assert cast.visiting.name in west_list
    assert eastern.name not in west_list
    assert eastern.name in east_list
    assert cast.visiting.name not in east_list


def test_a_coordinator_who_leaves_the_area_loses_its_volunteers_at_once(cast):
    coordinator = cast.people["coordinator"]
    browser = signed_in(coordinator)
    url = reverse("volunteers:detail", args=[cast.visiting.pk])
    assert browser.get(url).status_code == 200
    accounts_services.area_membership_end(membership=coordinator.area_memberships.get())
    assert browser.get(url).status_code == 404


def test_a_volunteer_who_leaves_the_area_is_no_longer_shown_to_its_staff(cast):
    accounts_services.area_membership_end(membership=cast.visiting.user.area_memberships.get())
    assert not volunteers_visible_to(cast.people["coordinator"]).filter(pk=cast.visiting.pk).exists()


def test_get_volunteer_for_is_404_for_other_areas_and_outsiders(cast):
    assert get_volunteer_for(cast.people["team_leader"], cast.visiting.pk) == cast.visiting
    for name in ("other_coordinator", "other_volunteer", "manager", "mdt_chair"):
        with pytest.raises(Http404):
            get_volunteer_for(cast.people[name], cast.visiting.pk)


def test_only_volunteers_have_their_own_profile(cast):
    assert get_own_volunteer_profile(cast.visiting.user) == cast.visiting
    with pytest.raises(Http404):
        get_own_volunteer_profile(cast.people["coordinator"])


def test_a_volunteer_without_a_profile_row_gets_404_not_an_error(cast, make_person):
    response = signed_in(make_person(Role.VOLUNTEER)).get(reverse("volunteers:me"))
    assert response.status_code == 404
