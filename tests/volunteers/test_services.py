"""volunteers.services: registration, profile, preferences, checks, training and agreements,
with owner (staff of the volunteer's area), another area's staff and outsiders in each
permission test."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from livingwell.accounts.models import AreaMembership, User
from livingwell.accounts.roles import Role
from tests.factories import (
    ConfidentialityAgreementFactory,
    OrganisationFactory,
    TrainingModuleFactory,
    VolunteerFactory,
)
from volunteers import services
from volunteers.models import ConfidentialityAgreement, DBSCheck, TrainingRecord, Volunteer

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

ONE_DAY = datetime.timedelta(days=1)


def current_areas(volunteer) -> set[str]:
    return {m.area.name for m in AreaMembership.objects.current().filter(user=volunteer.user)}


# --- volunteer_register -------------------------------------------------------------------------


def test_coordinator_registers_a_volunteer_in_their_area(make_person, west):
    organisation = OrganisationFactory(name="Volunteer Cornwall")
    coordinator = make_person(Role.COORDINATOR, areas=[west], organisation=organisation)
    volunteer = services.volunteer_register(
        by=coordinator,
        username="jenna",
        first_name="Jenna",
        last_name="Rowe",
        email="jenna@example.org",
        areas=[west],
        phone="07700 900123",
        skills=["driver"],
        capacity=3,
        mdt_opt_in=True,
    )
    user = volunteer.user
    assert (user.username, user.get_full_name(), user.phone, user.organisation) == (
        "jenna",
        "Jenna Rowe",
        "07700 900123",
        organisation,
    )
    assert not user.has_usable_password()  # they set it themselves by email
    assert user.has_role(Role.VOLUNTEER)
    assert current_areas(volunteer) == {"West Cornwall"}
    assert (volunteer.skills, volunteer.capacity, volunteer.mdt_opt_in) == (["driver"], 3, True)
    assert volunteer.mdt_opt_in_changed_at is not None
    assert LogEntry.objects.get_for_object(volunteer).filter(action=LogEntry.Action.CREATE).exists()


@pytest.mark.parametrize("who", ["other_coordinator", "volunteer", "manager"])
def test_only_staff_of_the_area_may_register_volunteers_there(request, west, who):
    with pytest.raises(PermissionDenied, match="only manage volunteers in the areas where you work"):
        services.volunteer_register(
            by=request.getfixturevalue(who), username="jenna", first_name="J", last_name="R", areas=[west]
        )
    assert not User.objects.filter(username="jenna").exists()


def test_a_volunteer_needs_an_area(coordinator):
    with pytest.raises(PermissionDenied):
        services.volunteer_register(by=coordinator, username="jenna", first_name="J", last_name="R", areas=[])
    assert not User.objects.filter(username="jenna").exists()


def test_a_coordinator_cannot_add_a_volunteer_to_an_area_they_do_not_work_in(coordinator, west, east):
    with pytest.raises(PermissionDenied):
        services.volunteer_register(
            by=coordinator, username="jenna", first_name="J", last_name="R", areas=[west, east]
        )
    assert not User.objects.filter(username="jenna").exists()


def test_a_taken_username_is_refused_whatever_its_case(coordinator, west, vera):
    with pytest.raises(ValidationError) as error:
        services.volunteer_register(
            by=coordinator, username="VERA", first_name="V", last_name="P", areas=[west]
        )
    assert error.value.message_dict == {
        "username": ["That username is taken. Try adding a number or an initial."]
    }
    assert User.objects.filter(username__iexact="vera").count() == 1


def test_a_registration_that_fails_half_way_leaves_no_account_behind(coordinator, west):
    """The user row is saved before the profile is checked: the transaction must undo it."""
    with pytest.raises(ValidationError):
        services.volunteer_register(
            by=coordinator, username="jenna", first_name="J", last_name="R", areas=[west], skills=["juggling"]
        )
    assert not User.objects.filter(username="jenna").exists()
    assert not AreaMembership.objects.filter(user__username="jenna").exists()


def test_register_refuses_fields_it_does_not_know(coordinator, west):
    with pytest.raises(TypeError, match="is_superuser"):
        services.volunteer_register(
            by=coordinator, username="jenna", first_name="J", last_name="R", areas=[west], is_superuser=True
        )
    assert not User.objects.filter(username="jenna").exists()


# --- volunteer_update --------------------------------------------------------------------------------


def test_coordinator_updates_a_volunteers_profile_and_name(coordinator, vera):
    services.volunteer_update(
        volunteer=vera,
        by=coordinator,
        last_name="Pascoe-Rowe",
        phone="01736 100001",
        capacity=4,
        status="paused",
    )
    vera.refresh_from_db()
    vera.user.refresh_from_db()
    assert (vera.user.last_name, vera.user.phone, vera.capacity, vera.status) == (
        "Pascoe-Rowe",
        "01736 100001",
        4,
        "paused",
    )


def test_changing_mdt_willingness_is_timestamped_and_leaving_it_alone_is_not(coordinator, vera):
    services.volunteer_update(volunteer=vera, by=coordinator, mdt_opt_in=False, capacity=3)
    vera.refresh_from_db()
    assert vera.mdt_opt_in_changed_at is None
    services.volunteer_update(volunteer=vera, by=coordinator, mdt_opt_in=True)
    vera.refresh_from_db()
    assert vera.mdt_opt_in_changed_at is not None


@pytest.mark.parametrize("who", ["other_coordinator", "volunteer", "manager"])
def test_only_staff_of_the_volunteers_area_may_update_them(request, vera, who):
    with pytest.raises(PermissionDenied):
        services.volunteer_update(volunteer=vera, by=request.getfixturevalue(who), capacity=9, first_name="X")
    vera.refresh_from_db()
    vera.user.refresh_from_db()
    assert (vera.capacity, vera.user.first_name) == (2, "Vera")


def test_a_volunteer_cannot_update_their_own_record_as_staff(vera):
    with pytest.raises(PermissionDenied):
        services.volunteer_update(volunteer=vera, by=vera.user, capacity=9)


def test_an_update_that_fails_changes_nothing(coordinator, vera):
    with pytest.raises(ValidationError):
        services.volunteer_update(volunteer=vera, by=coordinator, first_name="Veronica", skills=["juggling"])
    vera.user.refresh_from_db()
    assert vera.user.first_name == "Vera"


def test_updating_areas_touches_only_the_areas_the_coordinator_manages(coordinator, west, east, today):
    both = VolunteerFactory(areas=[west, east])
    services.volunteer_update(volunteer=both, by=coordinator, areas=[west])
    assert current_areas(both) == {"West Cornwall", "East Cornwall"}
    services.volunteer_update(volunteer=both, by=coordinator, areas=[])
    assert current_areas(both) == {"East Cornwall"}
    assert AreaMembership.objects.get(user=both.user, area=west).ended_on == today


def test_a_volunteer_keeps_at_least_one_area(coordinator, vera):
    with pytest.raises(ValidationError, match="A volunteer needs at least one area"):
        services.volunteer_update(volunteer=vera, by=coordinator, areas=[])
    assert current_areas(vera) == {"West Cornwall"}


def test_a_coordinator_cannot_move_a_volunteer_into_an_area_they_do_not_manage(coordinator, vera, east):
    with pytest.raises(PermissionDenied):
        services.volunteer_update(volunteer=vera, by=coordinator, areas=[east])
    assert current_areas(vera) == {"West Cornwall"}


def test_a_coordinator_of_both_areas_may_move_a_volunteer(make_person, vera, west, east):
    both = make_person(Role.TEAM_LEADER, areas=[west, east])
    services.volunteer_update(volunteer=vera, by=both, areas=[east])
    assert current_areas(vera) == {"East Cornwall"}


# --- volunteer_update_preferences -------------------------------------------------------------------


def test_a_volunteer_changes_their_own_preferences(vera):
    services.volunteer_update_preferences(
        volunteer=vera,
        by=vera.user,
        skills=["digital"],
        availability="Evenings",
        phone="07700 900124",
        mdt_opt_in=True,
    )
    vera.refresh_from_db()
    vera.user.refresh_from_db()
    assert (vera.skills, vera.availability, vera.user.phone, vera.mdt_opt_in) == (
        ["digital"],
        "Evenings",
        "07700 900124",
        True,
    )
    assert vera.mdt_opt_in_changed_at is not None


@pytest.mark.parametrize("who", ["coordinator", "another_volunteer"])
def test_nobody_else_may_change_a_volunteers_preferences(request, vera, west, who):
    person = (
        VolunteerFactory(areas=[west]).user if who == "another_volunteer" else request.getfixturevalue(who)
    )
    with pytest.raises(PermissionDenied, match="Only the volunteer"):
        services.volunteer_update_preferences(volunteer=vera, by=person, mdt_opt_in=True)
    vera.refresh_from_db()
    assert not vera.mdt_opt_in


@pytest.mark.parametrize("field", ["capacity", "status", "own_gp_practice", "address"])
def test_a_volunteer_cannot_change_what_only_staff_set(vera, field):
    with pytest.raises(TypeError, match="Not a preference"):
        services.volunteer_update_preferences(volunteer=vera, by=vera.user, **{field: None})


# --- DBS checks, training and agreements ------------------------------------------------------------


@pytest.mark.parametrize(
    ("checked_on", "due"),
    [
        (datetime.date(2026, 1, 15), datetime.date(2029, 1, 15)),
        (datetime.date(2024, 2, 29), datetime.date(2027, 2, 28)),
    ],
)
def test_dbs_checks_are_renewed_three_years_on(checked_on, due):
    assert services.three_years_after(checked_on) == due


def test_recording_a_dbs_check_sets_its_renewal_three_years_on(coordinator, vera):
    check = services.dbs_check_record(
        volunteer=vera, by=coordinator, checked_on=datetime.date(2026, 1, 15), reference=" 001234 "
    )
    assert (check.reference, check.renewal_due_on) == ("001234", datetime.date(2029, 1, 15))


def test_a_dbs_renewal_date_may_be_given(coordinator, vera):
    check = services.dbs_check_record(
        volunteer=vera,
        by=coordinator,
        checked_on=datetime.date(2026, 1, 15),
        reference="1",
        renewal_due_on=datetime.date(2027, 1, 15),
    )
    assert check.renewal_due_on == datetime.date(2027, 1, 15)


@pytest.mark.parametrize(
    ("checked_in_days", "renewal_due_in_days", "message"),
    [
        (1, None, "The date of the check cannot be in the future."),
        (0, 0, "The renewal date must be after the date of the check."),
        (0, -1, "The renewal date must be after the date of the check."),
    ],
)
def test_dbs_dates_that_cannot_be_right_are_refused(
    coordinator, vera, today, checked_in_days, renewal_due_in_days, message
):
    with pytest.raises(ValidationError, match=message):
        services.dbs_check_record(
            volunteer=vera,
            by=coordinator,
            checked_on=today + checked_in_days * ONE_DAY,
            reference="1",
            renewal_due_on=None if renewal_due_in_days is None else today + renewal_due_in_days * ONE_DAY,
        )
    assert not DBSCheck.objects.exists()


@pytest.mark.parametrize("who", ["other_coordinator", "volunteer", "manager"])
def test_only_staff_of_the_volunteers_area_may_record_checks_training_and_agreements(
    request, vera, who, today
):
    person = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.dbs_check_record(volunteer=vera, by=person, checked_on=today, reference="1")
    with pytest.raises(PermissionDenied):
        services.training_record_add(
            volunteer=vera, by=person, module=TrainingModuleFactory(), completed_on=today
        )
    with pytest.raises(PermissionDenied):
        services.agreement_sign(volunteer=vera, by=person, signed_on=today, version="2026.1")
    assert not DBSCheck.objects.exists()
    assert not TrainingRecord.objects.exists()
    assert not ConfidentialityAgreement.objects.exists()


def test_recording_training(coordinator, vera, today):
    module = TrainingModuleFactory(name="Spotting falls risks")
    record = services.training_record_add(volunteer=vera, by=coordinator, module=module, completed_on=today)
    assert list(vera.training.all()) == [record]
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.training_record_add(
            volunteer=vera, by=coordinator, module=module, completed_on=today + ONE_DAY
        )
    assert vera.training.count() == 1


def test_signing_the_confidentiality_agreement_once_per_version(coordinator, vera, today):
    services.agreement_sign(volunteer=vera, by=coordinator, signed_on=today, version="2026.1")
    with pytest.raises(
        ValidationError, match=r"Version 2026\.1 of the agreement is already recorded as signed"
    ):
        services.agreement_sign(volunteer=vera, by=coordinator, signed_on=today, version="2026.1")
    services.agreement_sign(volunteer=vera, by=coordinator, signed_on=today, version="2027.1")
    assert sorted(vera.agreements.values_list("version", flat=True)) == ["2026.1", "2027.1"]
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.agreement_sign(volunteer=vera, by=coordinator, signed_on=today + ONE_DAY, version="2028.1")


def test_signing_a_version_again_with_stray_spaces_gets_the_same_clear_message(coordinator, vera, today):
    ConfidentialityAgreementFactory(volunteer=vera, version="2026.1")
    with pytest.raises(ValidationError, match="already recorded as signed"):
        services.agreement_sign(volunteer=vera, by=coordinator, signed_on=today, version=" 2026.1 ")


def test_a_volunteer_who_leaves_loses_access_to_every_client_at_once(
    coordinator, vera, west_practice, allocate
):
    from clients.models import Client
    from tests.factories import ClientFactory

    clients = [ClientFactory(gp_practice=west_practice) for _ in range(2)]
    for client in clients:
        allocate(client, vera, by=coordinator)
    assert Client.objects.allocated_to(vera.user).count() == 2

    services.volunteer_update(volunteer=vera, by=coordinator, status="left")

    assert not Client.objects.allocated_to(vera.user).exists()
    assert set(vera.allocations.values_list("end_reason", flat=True)) == {"The volunteer has left"}


def test_a_paused_volunteer_keeps_their_clients(coordinator, vera, west_practice, allocate):
    from clients.models import Client
    from tests.factories import ClientFactory

    allocate(ClientFactory(gp_practice=west_practice), vera, by=coordinator)
    services.volunteer_update(volunteer=vera, by=coordinator, status="paused")
    assert Client.objects.allocated_to(vera.user).count() == 1


def test_taking_a_volunteer_out_of_an_area_ends_their_visits_there_only(
    make_person, west, east, west_practice, east_practice, allocate
):
    from clients.models import Client
    from tests.factories import ClientFactory

    coordinator = make_person(Role.COORDINATOR, areas=[west, east])
    volunteer = VolunteerFactory(areas=[west, east])
    west_client = ClientFactory(gp_practice=west_practice)
    east_client = ClientFactory(gp_practice=east_practice)
    allocate(west_client, volunteer, by=coordinator)
    allocate(east_client, volunteer, by=coordinator)

    services.volunteer_update(volunteer=volunteer, by=coordinator, areas=[east])

    assert list(Client.objects.allocated_to(volunteer.user)) == [east_client]


def test_the_capacity_limit_is_the_services_rule_not_only_the_forms(west, make_person):
    from volunteers.services import MAX_CAPACITY

    coordinator = make_person(Role.COORDINATOR, areas=[west])
    vera = VolunteerFactory(areas=[west], capacity=2)

    with pytest.raises(ValidationError, match=f"enter {MAX_CAPACITY} or fewer"):
        services.volunteer_update(volunteer=vera, by=coordinator, capacity=MAX_CAPACITY + 1)
    with pytest.raises(ValidationError, match=f"enter {MAX_CAPACITY} or fewer"):
        services.volunteer_register(
            by=coordinator, username="jenna", first_name="Jenna", last_name="Rowe", areas=[west], capacity=40
        )
    vera.refresh_from_db()
    assert vera.capacity == 2
    assert not Volunteer.objects.filter(user__username="jenna").exists()


def test_the_dbs_filter_says_the_window_the_selector_uses(monkeypatch, west, make_person):
    from volunteers import selectors
    from volunteers.forms import VolunteerFilterForm

    monkeypatch.setattr(selectors, "DBS_RENEWAL_WARNING_DAYS", 30)

    form = VolunteerFilterForm(user=make_person(Role.COORDINATOR, areas=[west]))

    assert "in the next 30 days" in form.fields["dbs_renewal_due"].label


# --- Odd input reaching the services without a form ------------------------------------------------


@pytest.mark.parametrize(
    ("checked_on", "renewal_due_on", "message"),
    [
        (datetime.date(1, 1, 1), None, "cannot be before 2000"),
        (datetime.date(1999, 12, 31), None, "cannot be before 2000"),
        (datetime.date(2024, 5, 1), datetime.date(9999, 12, 31), "within 10 years of the check"),
        (datetime.date(2024, 5, 1), datetime.date(2034, 5, 2), "within 10 years of the check"),
    ],
)
def test_dbs_dates_outside_their_window_are_refused_by_the_service(
    coordinator, vera, checked_on, renewal_due_on, message
):
    with pytest.raises(ValidationError, match=message):
        services.dbs_check_record(
            volunteer=vera,
            by=coordinator,
            checked_on=checked_on,
            reference="001",
            renewal_due_on=renewal_due_on,
        )
    assert not DBSCheck.objects.exists()


def test_a_renewal_exactly_ten_years_on_is_accepted(coordinator, vera):
    check = services.dbs_check_record(
        volunteer=vera,
        by=coordinator,
        checked_on=datetime.date(2024, 5, 1),
        reference=" 001\u200b ",
        renewal_due_on=datetime.date(2034, 5, 1),
    )
    assert check.reference == "001"


@pytest.mark.parametrize(
    "call",
    [
        lambda volunteer, by: services.training_record_add(
            volunteer=volunteer, by=by, module=TrainingModuleFactory(), completed_on=datetime.date(1, 1, 1)
        ),
        lambda volunteer, by: services.agreement_sign(
            volunteer=volunteer, by=by, signed_on=datetime.date(1, 1, 1), version="2026.1"
        ),
    ],
)
def test_training_and_agreements_in_year_1_are_refused_by_the_service(coordinator, vera, call):
    with pytest.raises(ValidationError, match="cannot be before 2000"):
        call(vera, coordinator)
    assert not TrainingRecord.objects.exists()
    assert not ConfidentialityAgreement.objects.exists()


def test_an_agreement_version_of_invisible_characters_is_refused(coordinator, vera, today):
    with pytest.raises(ValidationError, match="Agreement version"):
        services.agreement_sign(volunteer=vera, by=coordinator, signed_on=today, version="\u200b")
    assert not ConfidentialityAgreement.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"first_name": "\u200b"}, "First name: This has no letters or numbers that can be seen."),
        ({"phone": "javascript:alert(1)"}, "Enter a UK phone number"),
        ({"postcode": "<>!!"}, "Enter a UK postcode"),
        ({"background": "x" * 1001}, "it has 1,001 characters, and the most it can have is 1,000"),
    ],
)
def test_volunteer_update_refuses_what_the_form_would_refuse(coordinator, vera, changes, message):
    with pytest.raises(ValidationError) as refused:
        services.volunteer_update(volunteer=vera, by=coordinator, **changes)
    assert any(message in said for said in refused.value.messages)
    vera.refresh_from_db()
    vera.user.refresh_from_db()
    assert (vera.user.first_name, vera.user.phone, vera.postcode, vera.background) == (
        "Vera",
        "",
        "TR18 4AB",
        "",
    )


def test_volunteer_update_stores_the_postcode_and_phone_in_one_format(coordinator, vera):
    services.volunteer_update(volunteer=vera, by=coordinator, postcode="tr184ab", phone="+44 1736 362321")
    vera.refresh_from_db()
    vera.user.refresh_from_db()
    assert (vera.postcode, vera.user.phone) == ("TR18 4AB", "01736 362321")
