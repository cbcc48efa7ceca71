"""clients.services: every change to clients, allocations and consent, with owner (staff of the
client's area), another area's staff and outsiders in each permission test."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from guardian.shortcuts import assign_perm

from clients import services
from clients.models import Allocation, Client, ClientUserObjectPermission, Consent, ConsentScope
from livingwell.accounts.roles import Role
from tests.factories import ClientFactory, ConsentFactory, GPPracticeFactory, UserFactory, VolunteerFactory

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

ONE_DAY = datetime.timedelta(days=1)
VISIT = "clients.view_client_visit_page"
SUMMARY = "clients.view_client_mdt_summary"


def fresh(user):
    """The user as a new request would load them: no cached permissions."""
    return type(user).objects.get(pk=user.pk)


def new_client_fields(practice, **overrides) -> dict:
    fields = {
        "first_name": "Jack",
        "last_name": "Nance",
        "date_of_birth": datetime.date(1938, 1, 2),
        "address": "1 The Quay, Newlyn",
        "postcode": "TR18 5HW",
        "gp_practice": practice,
    }
    fields.update(overrides)
    return fields


# --- client_create ------------------------------------------------------------------------------


def test_coordinator_registers_a_client_in_the_practices_area(coordinator, west_practice):
    jack = services.client_create(by=coordinator, **new_client_fields(west_practice))
    assert jack.pk is not None
    assert jack.area == west_practice.area
    assert jack.created_by == coordinator
    assert LogEntry.objects.get_for_object(jack).filter(action=LogEntry.Action.CREATE).exists()


def test_team_leader_may_register_a_client_too(make_person, west, west_practice):
    team_leader = make_person(Role.TEAM_LEADER, areas=[west])
    assert services.client_create(by=team_leader, **new_client_fields(west_practice)).pk


@pytest.mark.parametrize("who", ["other_coordinator", "volunteer", "manager"])
def test_only_staff_of_the_area_may_register_a_client_there(request, west_practice, who):
    person = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied, match="Only coordinators and team leaders of this client's area"):
        services.client_create(by=person, **new_client_fields(west_practice))
    assert not Client.objects.exists()


def test_a_coordinator_cannot_register_a_client_into_another_area(coordinator, west_practice, east):
    with pytest.raises(PermissionDenied):
        services.client_create(by=coordinator, **new_client_fields(west_practice, area=east))
    assert not Client.objects.exists()


def test_a_client_with_a_wrong_nhs_number_is_not_saved(coordinator, west_practice):
    with pytest.raises(ValidationError) as error:
        services.client_create(by=coordinator, **new_client_fields(west_practice, nhs_number="9434765918"))
    assert "nhs_number" in error.value.message_dict
    assert not Client.objects.exists()


def test_client_create_refuses_fields_it_does_not_know(coordinator, west_practice):
    with pytest.raises(TypeError, match="created_by"):
        services.client_create(by=coordinator, created_by=coordinator, **new_client_fields(west_practice))


# --- client_update ------------------------------------------------------------------------------


def test_coordinator_updates_a_client_and_the_change_is_logged(coordinator, elsie):
    services.client_update(client=elsie, by=coordinator, phone="01736 123456")
    elsie.refresh_from_db()
    assert elsie.phone == "01736 123456"
    change = LogEntry.objects.get_for_object(elsie).get(action=LogEntry.Action.UPDATE)
    assert "phone" in change.changes_dict


@pytest.mark.parametrize("who", ["other_coordinator", "volunteer", "manager"])
def test_only_staff_of_the_clients_area_may_update_it(request, elsie, who):
    with pytest.raises(PermissionDenied):
        services.client_update(client=elsie, by=request.getfixturevalue(who), phone="01736 000000")
    elsie.refresh_from_db()
    assert elsie.phone == ""


def test_a_coordinator_cannot_move_a_client_into_an_area_they_do_not_work_in(
    coordinator, elsie, east_practice
):
    with pytest.raises(PermissionDenied):
        services.client_update(
            client=elsie, by=coordinator, gp_practice=east_practice, area=east_practice.area
        )
    elsie.refresh_from_db()
    assert elsie.area.name == "West Cornwall"


def test_a_coordinator_of_both_areas_may_move_a_client(make_person, west, east, elsie, east_practice):
    both = make_person(Role.COORDINATOR, areas=[west, east])
    services.client_update(client=elsie, by=both, gp_practice=east_practice, area=None)
    elsie.refresh_from_db()
    assert elsie.area == east  # a blank area follows the practice


def test_closing_a_record_without_a_reason_saves_nothing(coordinator, elsie):
    with pytest.raises(ValidationError, match="Say why"):
        services.client_update(
            client=elsie, by=coordinator, status=Client.Status.CLOSED, phone="01736 100001"
        )
    elsie.refresh_from_db()
    assert (elsie.status, elsie.phone) == (Client.Status.ACTIVE, "")


def test_client_update_refuses_fields_it_does_not_know(coordinator, elsie):
    with pytest.raises(TypeError, match="created_at"):
        services.client_update(client=elsie, by=coordinator, created_at=timezone.now())


# --- possible_duplicates ---------------------------------------------------------------------------


def test_possible_duplicates_match_name_and_date_of_birth_in_any_area(elsie, east_practice):
    in_east = ClientFactory(
        first_name="ELSIE", last_name="trewin", date_of_birth=elsie.date_of_birth, gp_practice=east_practice
    )
    ClientFactory(first_name="Elsie", last_name="Trewin", date_of_birth=datetime.date(1950, 1, 1))
    ClientFactory(first_name="Edith", last_name="Trewin", date_of_birth=elsie.date_of_birth)
    found = services.possible_duplicates(
        first_name=" elsie ", last_name="Trewin ", date_of_birth=elsie.date_of_birth
    )
    assert set(found) == {elsie, in_east}


def test_a_client_is_not_their_own_duplicate(elsie):
    found = services.possible_duplicates(
        first_name="Elsie", last_name="Trewin", date_of_birth=elsie.date_of_birth, exclude_pk=elsie.pk
    )
    assert not found.exists()


# --- allocation_start ------------------------------------------------------------------------------


def test_starting_an_allocation_grants_the_visit_page(coordinator, elsie, vera, today):
    allocation = services.allocation_start(client=elsie, volunteer=vera, by=coordinator)
    assert (allocation.started_on, allocation.allocated_by, allocation.ended_on) == (today, coordinator, None)
    assert fresh(vera.user).has_perm(VISIT, elsie)
    assert list(Client.objects.allocated_to(vera.user)) == [elsie]


def test_an_allocation_may_be_recorded_from_an_earlier_date(coordinator, elsie, vera, today):
    last_week = today - 7 * ONE_DAY
    allocation = services.allocation_start(client=elsie, volunteer=vera, by=coordinator, started_on=last_week)
    assert allocation.started_on == last_week
    assert allocation.is_active


def test_an_allocation_cannot_start_in_the_future(coordinator, elsie, vera, today):
    with pytest.raises(ValidationError, match="cannot start in the future"):
        services.allocation_start(client=elsie, volunteer=vera, by=coordinator, started_on=today + ONE_DAY)
    assert not Allocation.objects.exists()
    assert not fresh(vera.user).has_perm(VISIT, elsie)


@pytest.mark.parametrize("who", ["other_coordinator", "volunteer", "manager"])
def test_only_staff_of_the_clients_area_may_allocate(request, elsie, vera, who):
    with pytest.raises(PermissionDenied):
        services.allocation_start(client=elsie, volunteer=vera, by=request.getfixturevalue(who))
    assert not Allocation.objects.exists()


def test_a_volunteer_of_another_area_cannot_be_allocated(coordinator, elsie, east):
    victor = VolunteerFactory(user__first_name="Victor", user__last_name="Hale", areas=[east])
    with pytest.raises(ValidationError, match="Victor Hale does not volunteer in West Cornwall"):
        services.allocation_start(client=elsie, volunteer=victor, by=coordinator)
    assert not Allocation.objects.exists()
    assert not fresh(victor.user).has_perm(VISIT, elsie)


def test_a_volunteer_who_has_left_the_area_cannot_be_allocated(coordinator, elsie, vera, today):
    vera.user.area_memberships.update(ended_on=today)
    with pytest.raises(ValidationError, match="does not volunteer in West Cornwall"):
        services.allocation_start(client=elsie, volunteer=vera, by=coordinator)


@pytest.mark.parametrize(("status", "said"), [("paused", "paused"), ("left", "left")])
def test_only_active_volunteers_can_be_allocated(coordinator, elsie, west, status, said):
    volunteer = VolunteerFactory(areas=[west], status=status)
    with pytest.raises(ValidationError, match=f"is {said}, so cannot be allocated"):
        services.allocation_start(client=elsie, volunteer=volunteer, by=coordinator)
    assert not Allocation.objects.exists()


@pytest.mark.parametrize("status", ["paused", "closed"])
def test_a_client_whose_record_is_not_active_cannot_be_allocated(coordinator, elsie, vera, status):
    Client.objects.filter(pk=elsie.pk).update(status=status, closed_reason="Moved")
    with pytest.raises(ValidationError, match=f"record is {status}: reopen it"):
        services.allocation_start(client=elsie, volunteer=vera, by=coordinator)


def test_a_volunteer_already_visiting_cannot_be_allocated_again(coordinator, elsie, vera):
    services.allocation_start(client=elsie, volunteer=vera, by=coordinator)
    with pytest.raises(ValidationError, match="Vera Pascoe already visits Elsie Trewin"):
        services.allocation_start(client=elsie, volunteer=vera, by=coordinator)
    assert Allocation.objects.count() == 1


def test_a_volunteer_can_be_allocated_again_after_an_earlier_allocation_ended(coordinator, elsie, vera):
    first = services.allocation_start(client=elsie, volunteer=vera, by=coordinator)
    services.allocation_end(allocation=first, by=coordinator)
    assert not fresh(vera.user).has_perm(VISIT, elsie)
    services.allocation_start(client=elsie, volunteer=vera, by=coordinator)
    assert fresh(vera.user).has_perm(VISIT, elsie)
    assert Allocation.objects.count() == 2


# --- allocation_end --------------------------------------------------------------------------------


def test_ending_an_allocation_revokes_the_visit_page(coordinator, elsie, vera, today):
    allocation = services.allocation_start(client=elsie, volunteer=vera, by=coordinator)
    services.allocation_end(allocation=allocation, by=coordinator, reason="  Moved to Devon ")
    allocation.refresh_from_db()
    assert (allocation.ended_on, allocation.ended_by, allocation.end_reason) == (
        today,
        coordinator,
        "Moved to Devon",
    )
    assert not fresh(vera.user).has_perm(VISIT, elsie)
    assert not ClientUserObjectPermission.objects.filter(user=vera.user).exists()


def test_an_allocation_cannot_end_twice(coordinator, elsie, vera):
    allocation = services.allocation_start(client=elsie, volunteer=vera, by=coordinator)
    services.allocation_end(allocation=allocation, by=coordinator, reason="first")
    with pytest.raises(ValidationError, match="already ended"):
        services.allocation_end(allocation=allocation, by=coordinator, reason="second")
    allocation.refresh_from_db()
    assert allocation.end_reason == "first"


@pytest.mark.parametrize("who", ["other_coordinator", "volunteer", "manager"])
def test_only_staff_of_the_clients_area_may_end_an_allocation(request, coordinator, elsie, vera, who):
    allocation = services.allocation_start(client=elsie, volunteer=vera, by=coordinator)
    with pytest.raises(PermissionDenied):
        services.allocation_end(allocation=allocation, by=request.getfixturevalue(who))
    allocation.refresh_from_db()
    assert allocation.ended_on is None
    assert fresh(vera.user).has_perm(VISIT, elsie)


def test_ending_an_allocation_leaves_the_volunteers_other_clients(coordinator, elsie, vera, west_practice):
    kitto = ClientFactory(gp_practice=west_practice)
    first = services.allocation_start(client=elsie, volunteer=vera, by=coordinator)
    services.allocation_start(client=kitto, volunteer=vera, by=coordinator)
    services.allocation_end(allocation=first, by=coordinator)
    assert list(Client.objects.allocated_to(vera.user)) == [kitto]


# --- consent_give ----------------------------------------------------------------------------------


def test_coordinator_records_consent(coordinator, elsie, today):
    consent = services.consent_give(
        client=elsie,
        scope=ConsentScope.SHARE_WITH_MDT,
        given_on=today - ONE_DAY,
        how_given="written",
        by=coordinator,
        note="  Daughter present. ",
    )
    assert (consent.recorded_by, consent.note, consent.is_active) == (coordinator, "Daughter present.", True)
    assert LogEntry.objects.get_for_object(consent).filter(action=LogEntry.Action.CREATE).exists()


@pytest.mark.parametrize("who", ["other_coordinator", "volunteer", "manager"])
def test_only_staff_of_the_clients_area_may_record_consent(request, elsie, who, today):
    with pytest.raises(PermissionDenied):
        services.consent_give(
            client=elsie,
            scope="share_with_mdt",
            given_on=today,
            how_given="verbal",
            by=request.getfixturevalue(who),
        )
    assert not Consent.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"given_on": "tomorrow"}, "cannot be in the future"),
        ({"scope": "sell_to_advertisers"}, "Choose what the client is agreeing to."),
        ({"how_given": "telepathy"}, "is not a valid choice"),
    ],
)
def test_consent_that_cannot_be_right_is_refused(coordinator, elsie, changes, message, today):
    arguments = {"scope": "share_with_mdt", "given_on": "today", "how_given": "verbal"} | changes
    arguments["given_on"] = {"today": today, "tomorrow": today + ONE_DAY}[arguments["given_on"]]
    with pytest.raises(ValidationError, match=message):
        services.consent_give(client=elsie, by=coordinator, **arguments)
    assert not Consent.objects.exists()


def test_the_same_consent_cannot_be_active_twice(coordinator, elsie, today):
    services.consent_give(
        client=elsie, scope="share_with_mdt", given_on=today, how_given="verbal", by=coordinator
    )
    with pytest.raises(ValidationError, match="already recorded"):
        services.consent_give(
            client=elsie, scope="share_with_mdt", given_on=today, how_given="verbal", by=coordinator
        )
    assert Consent.objects.count() == 1


def test_consent_can_be_given_again_after_withdrawal_and_both_are_kept(coordinator, elsie, today):
    first = services.consent_give(
        client=elsie, scope="share_with_mdt", given_on=today, how_given="verbal", by=coordinator
    )
    services.consent_withdraw(consent=first, by=coordinator)
    services.consent_give(
        client=elsie, scope="share_with_mdt", given_on=today, how_given="written", by=coordinator
    )
    assert elsie.consents.count() == 2
    assert elsie.consents.active().get().how_given == "written"


# --- consent_withdraw -----------------------------------------------------------------------------


@pytest.fixture
def mdt_consent(coordinator, elsie, today):
    return ConsentFactory(client=elsie, given_on=today - 10 * ONE_DAY, recorded_by=coordinator)


def test_withdrawing_consent_stamps_who_and_when_and_keeps_the_row(coordinator, mdt_consent, today):
    services.consent_withdraw(consent=mdt_consent, by=coordinator, note=" By phone ")
    mdt_consent.refresh_from_db()
    assert mdt_consent.withdrawn_at is not None
    assert (mdt_consent.withdrawn_on, mdt_consent.withdrawn_by, mdt_consent.withdrawal_note) == (
        today,
        coordinator,
        "By phone",
    )
    assert Consent.objects.count() == 1


def test_withdrawal_may_be_recorded_for_an_earlier_day(coordinator, mdt_consent, today):
    services.consent_withdraw(consent=mdt_consent, by=coordinator, withdrawn_on=today - 2 * ONE_DAY)
    mdt_consent.refresh_from_db()
    assert mdt_consent.withdrawn_on == today - 2 * ONE_DAY


@pytest.mark.parametrize(
    ("withdrawn_in_days", "message"),
    [
        (1, "cannot be in the future"),
        (-11, "before the date it was given"),  # the consent was given 10 days ago
    ],
)
def test_a_withdrawal_date_that_cannot_be_right_is_refused(
    coordinator, mdt_consent, today, withdrawn_in_days, message
):
    withdrawn_on = today + withdrawn_in_days * ONE_DAY
    with pytest.raises(ValidationError, match=message):
        services.consent_withdraw(consent=mdt_consent, by=coordinator, withdrawn_on=withdrawn_on)
    mdt_consent.refresh_from_db()
    assert mdt_consent.is_active


def test_consent_cannot_be_withdrawn_twice(coordinator, mdt_consent):
    services.consent_withdraw(consent=mdt_consent, by=coordinator, note="first")
    with pytest.raises(ValidationError, match="already been withdrawn"):
        services.consent_withdraw(consent=mdt_consent, by=coordinator, note="second")
    mdt_consent.refresh_from_db()
    assert mdt_consent.withdrawal_note == "first"


@pytest.mark.parametrize("who", ["other_coordinator", "volunteer", "manager"])
def test_only_staff_of_the_clients_area_may_withdraw_consent(request, mdt_consent, who):
    with pytest.raises(PermissionDenied):
        services.consent_withdraw(consent=mdt_consent, by=request.getfixturevalue(who))
    mdt_consent.refresh_from_db()
    assert mdt_consent.is_active


def test_withdrawing_mdt_consent_removes_every_summary_grant_for_that_client_only(
    coordinator, elsie, mdt_consent, west_practice, make_person
):
    chair = make_person(Role.MDT_CHAIR, practices=[west_practice])
    clinician = make_person(Role.CLINICIAN, practices=[west_practice])
    meeting = Group.objects.create(name="Alverton MDT attendees")
    kitto = ClientFactory(gp_practice=west_practice)
    for grantee in (chair, clinician, meeting):
        assign_perm(SUMMARY, grantee, elsie)
        assign_perm(SUMMARY, grantee, kitto)
    clinician.groups.add(meeting)

    services.consent_withdraw(consent=mdt_consent, by=coordinator)

    for person in (chair, clinician):
        assert not fresh(person).has_perm(SUMMARY, elsie)
        assert fresh(person).has_perm(SUMMARY, kitto)


def test_withdrawing_mdt_consent_leaves_the_volunteers_visit_page(coordinator, elsie, vera, mdt_consent):
    services.allocation_start(client=elsie, volunteer=vera, by=coordinator)
    services.consent_withdraw(consent=mdt_consent, by=coordinator)
    assert fresh(vera.user).has_perm(VISIT, elsie)


@pytest.mark.parametrize("scope", [ConsentScope.VOLUNTEER_AT_MDT, ConsentScope.OUTCOME_TO_VOLUNTEER])
def test_withdrawing_another_scope_leaves_summary_grants(
    coordinator, elsie, west_practice, make_person, scope
):
    chair = make_person(Role.MDT_CHAIR, practices=[west_practice])
    assign_perm(SUMMARY, chair, elsie)
    consent = ConsentFactory(client=elsie, scope=scope, recorded_by=coordinator)
    services.consent_withdraw(consent=consent, by=coordinator)
    assert fresh(chair).has_perm(SUMMARY, elsie)


# --- client_access_log -----------------------------------------------------------------------------


def test_a_look_at_a_client_is_logged_with_who_and_which_page(elsie):
    viewer = UserFactory()
    entry = services.client_access_log(client=elsie, user=viewer, page="visit")
    entry.refresh_from_db()
    assert entry.action == LogEntry.Action.ACCESS
    assert entry.actor == viewer
    assert entry.additional_data == {"page": "visit"}
    assert entry.object_pk == str(elsie.pk)
    assert entry.object_repr == "Elsie Trewin"


def test_a_second_practice_in_the_same_area_is_the_same_area(coordinator, west):
    """Staff work by area, not by practice: every practice of the area is theirs."""
    other_practice = GPPracticeFactory(area=west)
    assert services.client_create(by=coordinator, **new_client_fields(other_practice)).area == west


def test_closing_a_clients_record_ends_the_visits_and_the_access(db, west_practice, allocate):
    from clients import services as client_services
    from clients.models import Client
    from livingwell.accounts.roles import Role
    from tests.factories import ClientFactory, UserFactory, VolunteerFactory

    coordinator = UserFactory(roles=[Role.COORDINATOR], areas=[west_practice.area])
    client = ClientFactory(gp_practice=west_practice)
    volunteer = VolunteerFactory(areas=[west_practice.area])
    allocate(client, volunteer, by=coordinator)
    assert Client.objects.allocated_to(volunteer.user).exists()

    client_services.client_update(
        client=client, by=coordinator, status="closed", closed_reason="Moved to a care home"
    )

    assert not Client.objects.allocated_to(volunteer.user).exists()
    assert client.allocations.get().end_reason == "The client's record was closed"


def test_moving_a_client_to_another_area_ends_the_visits_of_volunteers_who_do_not_work_there(
    db, west_practice, east_practice, allocate
):
    from clients import services as client_services
    from clients.models import Client
    from livingwell.accounts.roles import Role
    from tests.factories import ClientFactory, UserFactory, VolunteerFactory

    coordinator = UserFactory(roles=[Role.COORDINATOR], areas=[west_practice.area, east_practice.area])
    client = ClientFactory(gp_practice=west_practice)
    west_only = VolunteerFactory(areas=[west_practice.area])
    both = VolunteerFactory(areas=[west_practice.area, east_practice.area])
    allocate(client, west_only, by=coordinator)
    allocate(client, both, by=coordinator)

    client_services.client_update(
        client=client, by=coordinator, gp_practice=east_practice, area=east_practice.area
    )

    assert not Client.objects.allocated_to(west_only.user).exists()
    assert Client.objects.allocated_to(both.user).get() == client


def test_the_duplicate_rule_is_the_services_a_possible_match_needs_a_confirmation(coordinator, west_practice):
    ClientFactory(
        first_name="JACK",
        last_name="nance",
        date_of_birth=datetime.date(1938, 1, 2),
        gp_practice=west_practice,
    )

    with pytest.raises(services.PossibleDuplicate) as refused:
        services.client_create(by=coordinator, **new_client_fields(west_practice))
    assert [match.first_name for match in refused.value.matches] == ["JACK"]
    assert Client.objects.count() == 1

    services.client_create(by=coordinator, confirm_not_duplicate=True, **new_client_fields(west_practice))
    assert Client.objects.count() == 2


# --- Odd input reaching the services without a form ------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"first_name": "\u200b\u200b"}, "first_name"),
        ({"last_name": "\ufeff\u2060\u202e"}, "last_name"),
        ({"address": "\u200b\n\u200c"}, "address"),
        ({"phone": "javascript:alert(1)"}, "phone"),
        ({"next_of_kin_phone": "01736 1"}, "next_of_kin_phone"),
        ({"postcode": "<>!!"}, "postcode"),
        ({"nhs_number": "943476591\u00b2"}, "nhs_number"),
        ({"practical_needs": "x" * 2001}, "practical_needs"),
    ],
)
def test_client_create_refuses_what_the_form_would_refuse(coordinator, west_practice, changes, field):
    with pytest.raises(ValidationError) as refused:
        services.client_create(by=coordinator, **new_client_fields(west_practice, **changes))
    assert field in refused.value.message_dict
    assert not Client.objects.exists()


def test_client_create_stores_names_phones_postcodes_and_nhs_numbers_in_one_format(
    coordinator, west_practice
):
    client = services.client_create(
        by=coordinator,
        **new_client_fields(
            west_practice,
            first_name=" Jack\u200b",
            postcode="tr18 5hw",
            phone="+44 1736 362321",
            next_of_kin_phone="07700900123",
            nhs_number="943-476-5919",
        ),
    )
    client.refresh_from_db()
    assert (
        client.first_name,
        client.postcode,
        client.phone,
        client.next_of_kin_phone,
        client.nhs_number,
    ) == (
        "Jack",
        "TR18 5HW",
        "01736 362321",
        "07700 900123",
        "9434765919",
    )


def test_a_name_with_an_invisible_character_is_a_possible_duplicate(elsie):
    found = services.possible_duplicates(
        first_name="Elsie\u200b", last_name="\ufeffTrewin", date_of_birth=elsie.date_of_birth
    )
    assert list(found) == [elsie]


@pytest.mark.parametrize("given_on", [datetime.date(1, 1, 1), datetime.date(1999, 12, 31)])
def test_consent_given_before_2000_is_refused_by_the_service(coordinator, elsie, given_on):
    with pytest.raises(ValidationError, match="Check the year"):
        services.consent_give(
            client=elsie,
            scope=ConsentScope.SHARE_WITH_MDT,
            given_on=given_on,
            how_given="verbal",
            by=coordinator,
        )
    assert not Consent.objects.exists()


def test_a_two_megabyte_withdrawal_note_is_refused_by_the_service(coordinator, elsie):
    consent = ConsentFactory(client=elsie, given_on=datetime.date(2026, 1, 5), recorded_by=coordinator)
    with pytest.raises(ValidationError, match="The note: This is too long"):
        services.consent_withdraw(consent=consent, by=coordinator, note="x" * (2 * 1024 * 1024))
    consent.refresh_from_db()
    assert consent.is_active
