"""Who may open which client page: the authorisation table for every view in clients/urls.py,
and the access that allocations and consent grant and take away.

Each row of the table is one view; each column one person from the `cast` fixture: the
owner (the volunteer who visits Elsie, staff of her area), the same role elsewhere (another
volunteer, staff of East Cornwall) and outsiders (MDT chair and clinician of her practice,
who hold a grant of her meeting summary, a manager, somebody with no role)."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from clients import access, services
from clients.access import (
    ClientPage,
    can_manage_client,
    client_page_for,
    get_allocation_for,
    get_client_for,
    get_consent_for,
)
from clients.models import Allocation, Client, ClientGroupObjectPermission, Consent, ConsentScope
from livingwell.accounts import services as accounts_services
from livingwell.accounts.roles import Role
from tests.factories import ClientFactory, ConsentFactory, VolunteerFactory
from tests.support.access_table import LOGIN, assert_answer, cases, signed_in
from tests.support.forms import once

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

VIEWS = {
    "clients:list": ("get", lambda cast: reverse("clients:list")),
    "clients:create": ("get", lambda cast: reverse("clients:create")),
    "clients:detail": ("get", lambda cast: reverse("clients:detail", args=[cast.elsie.pk])),
    "clients:edit": ("get", lambda cast: reverse("clients:edit", args=[cast.elsie.pk])),
    "clients:consent_new": ("get", lambda cast: reverse("clients:consent_new", args=[cast.elsie.pk])),
    "clients:allocate": ("get", lambda cast: reverse("clients:allocate", args=[cast.elsie.pk])),
    "clients:consent_withdraw": (
        "get",
        lambda cast: reverse("clients:consent_withdraw", args=[cast.consent.pk]),
    ),
    "clients:allocation_end": (
        "post",
        lambda cast: reverse("clients:allocation_end", args=[cast.allocation.pk]),
    ),
}
# fmt: off
TABLE = {
    #                            anon   vol  o_vol coord o_crd  tl   o_tl  chair clin  mgr  none
    "clients:list":             (LOGIN, 200, 200,  200,  200,  200,  200,  403,  403,  403,  403),
    "clients:create":           (LOGIN, 403, 403,  200,  200,  200,  200,  403,  403,  403,  403),
    "clients:detail":           (LOGIN, 200, 404,  200,  404,  200,  404,  404,  404,  404,  404),
    "clients:edit":             (LOGIN, 403, 403,  200,  404,  200,  404,  403,  403,  403,  403),
    "clients:consent_new":      (LOGIN, 403, 403,  200,  404,  200,  404,  403,  403,  403,  403),
    "clients:allocate":         (LOGIN, 403, 403,  200,  404,  200,  404,  403,  403,  403,  403),
    "clients:consent_withdraw": (LOGIN, 403, 403,  200,  404,  200,  404,  403,  403,  403,  403),
    "clients:allocation_end":   (LOGIN, 403, 403,  302,  404,  302,  404,  403,  403,  403,  403),
}
# fmt: on
CASES = cases(TABLE)


def test_the_table_covers_every_client_view():
    from clients.urls import urlpatterns

    assert {f"clients:{pattern.name}" for pattern in urlpatterns} == set(TABLE) == set(VIEWS)


@pytest.mark.parametrize(("view", "actor", "expected"), CASES)
def test_client_views_answer_each_person_as_the_table_says(cast, view, actor, expected):
    method, url = VIEWS[view]
    response = getattr(signed_in(cast.people[actor]), method)(url(cast))
    assert_answer(response, expected)


# --- Refused requests change nothing ------------------------------------------------------

REFUSED = ("anonymous", "volunteer", "other_volunteer", "other_coordinator", "other_team_leader")
REFUSED += ("mdt_chair", "clinician", "manager", "no_role")


def state_of(cast) -> dict:
    elsie = Client.objects.get(pk=cast.elsie.pk)
    return {
        "elsie": (elsie.last_name, elsie.phone, elsie.status),
        "consents": list(Consent.objects.order_by("pk").values_list("pk", "scope", "withdrawn_at")),
        "allocations": list(Allocation.objects.order_by("pk").values_list("pk", "volunteer", "ended_on")),
        "clients": Client.objects.count(),
    }


def valid_posts(cast, other_volunteer) -> dict:
    """For each view that changes something, a POST that Elsie's coordinator may make."""
    elsie = cast.elsie
    return {
        "create": (
            reverse("clients:create"),
            {
                "first_name": "Jack",
                "last_name": "Nance",
                "date_of_birth": "1938-01-02",
                "address": "1 Quay",
                "postcode": "TR18 1AA",
                "gp_practice": elsie.gp_practice_id,
            }
            | once({}),
        ),
        "edit": (
            reverse("clients:edit", args=[elsie.pk]),
            {
                "first_name": "Elsie",
                "last_name": "Changed",
                "date_of_birth": "1941-03-14",
                "address": "Elsewhere",
                "postcode": "TR18 4AJ",
                "phone": "01736 000000",
                "gp_practice": elsie.gp_practice_id,
                "status": "active",
            },
        ),
        "consent_new": (
            reverse("clients:consent_new", args=[elsie.pk]),
            once(
                {"scope": ConsentScope.OUTCOME_TO_VOLUNTEER, "given_on": "2026-01-05", "how_given": "verbal"}
            ),
        ),
        "allocate": (reverse("clients:allocate", args=[elsie.pk]), {"volunteer": other_volunteer.pk}),
        "consent_withdraw": (
            reverse("clients:consent_withdraw", args=[cast.consent.pk]),
            {"withdrawn_on": timezone.localdate().isoformat()},
        ),
        "allocation_end": (reverse("clients:allocation_end", args=[cast.allocation.pk]), {"reason": "x"}),
    }


@pytest.mark.parametrize("actor", REFUSED)
@pytest.mark.parametrize(
    "view", ["create", "edit", "consent_new", "allocate", "consent_withdraw", "allocation_end"]
)
def test_a_refused_post_changes_nothing(cast, view, actor):
    url, data = valid_posts(cast, cast.people["other_volunteer"].volunteer)[view]
    before = state_of(cast)
    response = signed_in(cast.people[actor]).post(url, data)
    if view == "create" and actor in ("other_coordinator", "other_team_leader"):
        # East staff may register clients, but not at a West practice.
        assert response.status_code == 200
        assert "Select a valid choice" in response.text
    else:
        assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))
    assert state_of(cast) == before


@pytest.mark.parametrize("view", ["create", "edit", "consent_new", "allocate", "consent_withdraw"])
def test_the_same_posts_succeed_for_the_clients_coordinator(cast, view):
    """The refusals above are refusals, not broken forms."""
    url, data = valid_posts(cast, cast.people["other_volunteer"].volunteer)[view]
    before = state_of(cast)
    response = signed_in(cast.people["coordinator"]).post(url, data)
    assert response.status_code == 302, response.text
    assert state_of(cast) != before


# --- A volunteer never reaches a client they do not visit --------------------------------


@pytest.mark.parametrize("name", ["detail", "edit", "consent_new", "allocate"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_volunteer_cannot_reach_a_client_they_are_not_allocated_to(cast, allocate, name, method):
    """Neither a client of their own area visited by someone else, nor one of another area."""
    someone_else = VolunteerFactory(areas=[cast.elsie.area])
    neighbour = allocate(ClientFactory(last_name="Kitto", gp_practice=cast.elsie.gp_practice), someone_else)
    browser = signed_in(cast.people["volunteer"])
    for stranger in (neighbour.client, cast.east_client):
        response = getattr(browser, method)(reverse(f"clients:{name}", args=[stranger.pk]))
        assert response.status_code in (403, 404)
        assert stranger.last_name not in response.text


def test_my_clients_lists_only_the_volunteers_own_clients(cast, allocate):
    someone_else = VolunteerFactory(areas=[cast.elsie.area])
    neighbour = allocate(ClientFactory(last_name="Kitto", gp_practice=cast.elsie.gp_practice), someone_else)
    response = signed_in(cast.people["volunteer"]).get(reverse("clients:list"))
    assert "Trewin" in response.text
    assert neighbour.client.last_name not in response.text
    assert cast.east_client.last_name not in response.text
    assert "Trewin" not in signed_in(cast.people["other_volunteer"]).get(reverse("clients:list")).text


def test_the_client_list_shows_only_clients_of_the_staff_members_areas(cast):
    west_list = signed_in(cast.people["team_leader"]).get(reverse("clients:list")).text
    east_list = signed_in(cast.people["other_coordinator"]).get(reverse("clients:list")).text
    assert "Trewin, Elsie" in west_list
    assert "Penrose" not in west_list
    assert "Penrose, Morwenna" in east_list
    assert "Trewin" not in east_list


def test_the_visit_page_shows_practical_information_only(cast):
    cast.elsie.nhs_number = "9434765919"
    cast.elsie.save()
    response = signed_in(cast.people["volunteer"]).get(reverse("clients:detail", args=[cast.elsie.pk]))
    assert "Knock loudly; the dog is friendly." in response.text
    assert "943" not in response.text
    assert "Who has looked at this record" not in response.text
    assert "Consent" not in response.text
    assert reverse("clients:edit", args=[cast.elsie.pk]) not in response.text


# --- Access follows area membership and allocations --------------------------------------


def test_coordinator_who_leaves_the_area_loses_its_clients_at_once(cast):
    coordinator = cast.people["coordinator"]
    browser = signed_in(coordinator)
    detail = reverse("clients:detail", args=[cast.elsie.pk])
    assert browser.get(detail).status_code == 200
    accounts_services.area_membership_end(membership=coordinator.area_memberships.get())
    assert browser.get(detail).status_code == 404
    assert "Trewin" not in browser.get(reverse("clients:list")).text


def test_a_coordinator_whose_membership_starts_tomorrow_sees_nothing_yet(cast, make_person):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    newcomer = make_person(Role.COORDINATOR)
    accounts_services.area_membership_start(user=newcomer, area=cast.elsie.area, started_on=tomorrow)
    assert signed_in(newcomer).get(reverse("clients:detail", args=[cast.elsie.pk])).status_code == 404


def test_a_volunteer_in_the_clients_area_sees_nothing_without_an_allocation(cast):
    other = cast.people["other_volunteer"]  # Victor, who visits Jack Nankervis only
    assert client_page_for(other, cast.elsie) is None
    assert [client.last_name for client in Client.objects.visible_to(other)] == ["Nankervis"]


def test_client_page_for_each_person(cast):
    people = cast.people
    assert client_page_for(people["coordinator"], cast.elsie) == ClientPage.RECORD
    assert client_page_for(people["team_leader"], cast.elsie) == ClientPage.RECORD
    assert client_page_for(people["volunteer"], cast.elsie) == ClientPage.VISIT
    for name in ("other_volunteer", "other_coordinator", "other_team_leader", "mdt_chair", "clinician"):
        assert client_page_for(people[name], cast.elsie) is None, name
    assert client_page_for(people["manager"], cast.elsie) is None


def test_can_manage_client_is_for_staff_of_the_clients_area_only(cast):
    assert can_manage_client(cast.people["coordinator"], cast.elsie)
    assert not can_manage_client(cast.people["other_coordinator"], cast.elsie)
    assert not can_manage_client(cast.people["volunteer"], cast.elsie)


def test_get_client_for_hides_whether_a_client_exists(cast):
    from django.http import Http404

    with pytest.raises(Http404):
        get_client_for(cast.people["other_coordinator"], cast.elsie.pk)
    with pytest.raises(Http404):
        get_client_for(cast.people["coordinator"], 987654321)
    assert get_client_for(cast.people["coordinator"], cast.elsie.pk) == (cast.elsie, ClientPage.RECORD)


@pytest.mark.parametrize("actor", ["coordinator", "team_leader"])
def test_staff_of_the_clients_area_get_her_consent_and_allocation(cast, actor):
    person = cast.people[actor]
    assert get_consent_for(person, cast.consent.pk) == cast.consent
    assert get_allocation_for(person, cast.allocation.pk) == cast.allocation


@pytest.mark.parametrize(
    "actor",
    [
        "anonymous",
        "volunteer",  # visits Elsie, but her consent records and allocations are for staff
        "other_volunteer",
        "other_coordinator",
        "other_team_leader",
        "mdt_chair",
        "clinician",
        "manager",
        "no_role",
    ],
)
def test_nobody_else_gets_her_consent_or_allocation(cast, actor):
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404

    person = cast.people[actor] or AnonymousUser()
    with pytest.raises(Http404):
        get_consent_for(person, cast.consent.pk)
    with pytest.raises(Http404):
        get_allocation_for(person, cast.allocation.pk)


def test_the_consent_and_allocation_getters_hide_whether_a_record_exists(cast):
    from django.http import Http404

    east_consent = ConsentFactory(client=cast.east_client, recorded_by=cast.people["other_coordinator"])
    for pk in (east_consent.pk, 987654321):
        with pytest.raises(Http404):
            get_consent_for(cast.people["coordinator"], pk)
    with pytest.raises(Http404):
        get_allocation_for(cast.people["coordinator"], 987654321)


def test_staff_who_are_also_allocated_see_the_full_record(cast, allocate):
    """Someone who both coordinates and volunteers in an area gets the record page."""
    both = VolunteerFactory(user__roles=[Role.VOLUNTEER, Role.COORDINATOR], areas=[cast.elsie.area])
    allocate(cast.elsie, both)
    assert client_page_for(both.user, cast.elsie) == ClientPage.RECORD


# --- (b) Ending an allocation or withdrawing consent takes effect at once ---------------


def test_volunteer_loses_the_visit_page_as_soon_as_the_coordinator_ends_the_allocation(cast):
    visit_page = reverse("clients:detail", args=[cast.elsie.pk])
    volunteer_browser = signed_in(cast.people["volunteer"])
    assert volunteer_browser.get(visit_page).status_code == 200

    response = signed_in(cast.people["coordinator"]).post(
        reverse("clients:allocation_end", args=[cast.allocation.pk]), {"reason": "Moved away"}
    )
    assert response.status_code == 302

    assert volunteer_browser.get(visit_page).status_code == 404
    assert "Trewin" not in volunteer_browser.get(reverse("clients:list")).text
    assert not cast.people["volunteer"].has_perm("clients.view_client_visit_page", cast.elsie)
    cast.allocation.refresh_from_db()
    assert cast.allocation.ended_on == timezone.localdate()
    assert cast.allocation.end_reason == "Moved away"
    assert cast.allocation.ended_by == cast.people["coordinator"]


def test_ending_one_allocation_leaves_the_volunteers_other_clients_alone(cast, allocate):
    second = allocate(ClientFactory(last_name="Kitto", gp_practice=cast.elsie.gp_practice), cast.visiting)
    signed_in(cast.people["coordinator"]).post(reverse("clients:allocation_end", args=[cast.allocation.pk]))
    browser = signed_in(cast.people["volunteer"])
    assert browser.get(reverse("clients:detail", args=[second.client.pk])).status_code == 200
    assert "Kitto" in browser.get(reverse("clients:list")).text


def test_ending_one_volunteers_allocation_leaves_another_volunteer_visiting_the_same_client(cast, allocate):
    second_visitor = VolunteerFactory(areas=[cast.elsie.area])
    allocate(cast.elsie, second_visitor)
    signed_in(cast.people["coordinator"]).post(reverse("clients:allocation_end", args=[cast.allocation.pk]))
    response = signed_in(second_visitor.user).get(reverse("clients:detail", args=[cast.elsie.pk]))
    assert response.status_code == 200


def test_withdrawing_mdt_consent_through_the_page_removes_every_summary_grant(cast):
    chair, clinician = cast.people["mdt_chair"], cast.people["clinician"]
    meeting_group = Group.objects.create(name="Alverton MDT, March")
    assign_perm("clients.view_client_mdt_summary", meeting_group, cast.elsie)
    other_client = ClientFactory(gp_practice=cast.elsie.gp_practice)
    assign_perm("clients.view_client_mdt_summary", clinician, other_client)
    assert chair.has_perm("clients.view_client_mdt_summary", cast.elsie)

    response = signed_in(cast.people["coordinator"]).post(
        reverse("clients:consent_withdraw", args=[cast.consent.pk]),
        {"withdrawn_on": timezone.localdate().isoformat(), "note": "Told her daughter"},
    )
    assert response.status_code == 302

    reloaded = type(chair).objects.get(pk=chair.pk)  # a fresh user: no cached permissions
    assert not reloaded.has_perm("clients.view_client_mdt_summary", cast.elsie)
    assert (
        not type(clinician)
        .objects.get(pk=clinician.pk)
        .has_perm("clients.view_client_mdt_summary", cast.elsie)
    )
    assert not ClientGroupObjectPermission.objects.filter(content_object=cast.elsie).exists()
    # Another client's grant is untouched, and so is Elsie's visit page for her volunteer.
    assert (
        type(clinician).objects.get(pk=clinician.pk).has_perm("clients.view_client_mdt_summary", other_client)
    )
    assert cast.people["volunteer"].has_perm("clients.view_client_visit_page", cast.elsie)


@pytest.mark.parametrize("scope", [ConsentScope.VOLUNTEER_AT_MDT, ConsentScope.OUTCOME_TO_VOLUNTEER])
def test_withdrawing_another_scope_keeps_the_summary_grants(cast, scope):
    other = ConsentFactory(client=cast.elsie, scope=scope, recorded_by=cast.people["coordinator"])
    response = signed_in(cast.people["coordinator"]).post(
        reverse("clients:consent_withdraw", args=[other.pk]),
        {"withdrawn_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    assert cast.people["mdt_chair"].has_perm("clients.view_client_mdt_summary", cast.elsie)


def test_withdrawal_and_the_loss_of_access_happen_together_or_not_at_all(cast, monkeypatch):
    """If revoking the grants fails, the withdrawal is not recorded either (one transaction)."""

    def fail(client):
        raise RuntimeError("database went away")

    monkeypatch.setattr(access, "mdt_consent_withdrawn", fail)
    with pytest.raises(RuntimeError):
        services.consent_withdraw(consent=cast.consent, by=cast.people["coordinator"])
    cast.consent.refresh_from_db()
    assert cast.consent.withdrawn_at is None


def test_ending_an_allocation_and_losing_access_happen_together_or_not_at_all(cast, monkeypatch):
    def fail(allocation):
        raise RuntimeError("database went away")

    monkeypatch.setattr(access, "allocation_ended", fail)
    with pytest.raises(RuntimeError):
        services.allocation_end(allocation=cast.allocation, by=cast.people["coordinator"])
    cast.allocation.refresh_from_db()
    assert cast.allocation.ended_on is None


def test_starting_an_allocation_and_gaining_access_happen_together_or_not_at_all(cast, monkeypatch):
    def fail(allocation):
        raise RuntimeError("database went away")

    monkeypatch.setattr(access, "allocation_started", fail)
    other = cast.people["other_volunteer"].volunteer
    with pytest.raises(RuntimeError):
        services.allocation_start(client=cast.elsie, volunteer=other, by=cast.people["coordinator"])
    assert not Allocation.objects.filter(client=cast.elsie, volunteer=other).exists()


# --- (c) Every look at a client is logged --------------------------------------------------


def test_opening_a_visit_page_writes_an_access_log_row_that_the_coordinator_sees(cast):
    volunteer = cast.people["volunteer"]
    signed_in(volunteer).get(reverse("clients:detail", args=[cast.elsie.pk]))

    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS, actor=volunteer)
    assert entry.object_pk == str(cast.elsie.pk)
    assert entry.additional_data == {"page": "visit"}

    page = signed_in(cast.people["coordinator"]).get(reverse("clients:detail", args=[cast.elsie.pk]))
    who = page.text.split("Who has looked at this record", 1)[1]
    assert "Vera Pascoe, " in who
    assert "(visit page)" in who
    assert "(full record)" in who  # the coordinator's own look, logged before the page is drawn


def test_opening_the_full_record_logs_the_record_page(cast):
    team_leader = cast.people["team_leader"]
    signed_in(team_leader).get(reverse("clients:detail", args=[cast.elsie.pk]))
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS, actor=team_leader)
    assert entry.additional_data == {"page": "record"}
    assert entry.content_type.model_class() is Client


@pytest.mark.parametrize(
    "actor", ["anonymous", "other_volunteer", "other_coordinator", "mdt_chair", "manager"]
)
def test_a_refused_look_is_not_logged_as_a_look(cast, actor):
    signed_in(cast.people[actor]).get(reverse("clients:detail", args=[cast.elsie.pk]))
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_the_edit_form_counts_as_a_look_at_the_record_and_the_list_does_not(cast):
    browser = signed_in(cast.people["coordinator"])
    browser.get(reverse("clients:list"))
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()
    browser.get(reverse("clients:edit", args=[cast.elsie.pk]))
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert (entry.actor, entry.additional_data) == (cast.people["coordinator"], {"page": "edit"})


def test_the_coordinator_of_another_area_cannot_see_who_looked(cast):
    signed_in(cast.people["volunteer"]).get(reverse("clients:detail", args=[cast.elsie.pk]))
    response = signed_in(cast.people["other_coordinator"]).get(
        reverse("clients:detail", args=[cast.elsie.pk])
    )
    assert response.status_code == 404
    assert "Vera" not in response.text


@pytest.mark.parametrize("actor", ["manager", "volunteer", "mdt_chair", "other_coordinator"])
def test_only_staff_of_the_clients_area_may_allocate_even_with_a_membership_there(cast, actor):
    with pytest.raises(PermissionDenied, match="Only coordinators and team leaders"):
        services.allocation_start(
            client=cast.elsie, volunteer=cast.people["other_volunteer"].volunteer, by=cast.people[actor]
        )
    victor = cast.people["other_volunteer"].volunteer
    assert not Allocation.objects.filter(client=cast.elsie, volunteer=victor).exists()
