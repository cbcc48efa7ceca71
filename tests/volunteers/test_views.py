"""Volunteer pages: the list and its filters, registering and editing, checks, training and
agreements, and a volunteer's own profile. Who may open each page is in test_access.py."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from clients import access
from clients.models import Allocation
from livingwell.accounts.models import AreaMembership, User
from livingwell.accounts.roles import Role
from tests.factories import (
    ClientFactory,
    ConfidentialityAgreementFactory,
    DBSCheckFactory,
    TrainingModuleFactory,
    TrainingRecordFactory,
    UserFactory,
    VolunteerFactory,
)
from tests.support.forms import once
from tests.support.queries import queries_for
from volunteers.models import ConfidentialityAgreement, DBSCheck, TrainingRecord, Volunteer

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

VOLUNTEERS = reverse("volunteers:list")
CREATE = reverse("volunteers:create")
ME = reverse("volunteers:me")
ONE_DAY = datetime.timedelta(days=1)
TOMORROW = "<tomorrow>"  # in a form below: replaced by tomorrow's date when the test runs


def profile_form_data(areas, **overrides) -> dict:
    data = {
        "first_name": "Jenna",
        "last_name": "Rowe",
        "email": "jenna@example.org",
        "phone": "07700 900123",
        "areas": [area.pk for area in areas],
        "skills": ["driver", "befriender"],
        "address": "1 Fore Street",
        "postcode": "TR18 2AB",
        "languages": "Cornish",
        "background": "",
        "availability": "Weekday mornings",
        "capacity": 3,
        "own_gp_practice": "",
    }
    data.update(overrides)
    return once(data)


# --- The list --------------------------------------------------------------------------------------


def test_the_list_shows_each_volunteers_areas_load_dbs_renewal_and_willingness(
    login, coordinator, vera, west_practice, allocate
):
    DBSCheckFactory(volunteer=vera, renewal_due_on=datetime.date(2027, 5, 1))
    allocate(ClientFactory(gp_practice=west_practice), vera, by=coordinator)
    VolunteerFactory(
        user__first_name="Nell", user__last_name="Angove", areas=[west_practice.area], mdt_opt_in=True
    )
    text = login(coordinator).get(VOLUNTEERS).text
    assert "2 volunteers found." in text
    row = text.split("Vera Pascoe", 1)[1].split("</tr>", 1)[0]
    assert "West Cornwall" in row
    assert "1 of 2" in row
    assert "1 May 2027" in row
    angove = text.split("Nell Angove", 1)[1].split("</tr>", 1)[0]
    assert "No check recorded" in angove
    assert "Willing" in angove


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"skill": "driver"}, "Tregear", "Penhallow"),
        ({"status": "paused"}, "Penhallow", "Tregear"),
        ({"mdt_opt_in": "yes"}, "Tregear", "Penhallow"),
        ({"mdt_opt_in": "no"}, "Penhallow", "Tregear"),
        ({"dbs_renewal_due": "on"}, "Penhallow", "Tregear"),
        ({"q": "penhal"}, "Penhallow", "Tregear"),
    ],
)
def test_the_list_filters(login, coordinator, west, query, shown, hidden, today):
    driver = VolunteerFactory(user__last_name="Tregear", areas=[west], skills=["driver"], mdt_opt_in=True)
    DBSCheckFactory(volunteer=driver, checked_on=today, renewal_due_on=today + 1000 * ONE_DAY)
    VolunteerFactory(user__last_name="Penhallow", areas=[west], status="paused")
    text = login(coordinator).get(VOLUNTEERS, query).text
    assert shown in text
    assert hidden not in text


def test_filtering_by_another_areas_id_shows_none_of_its_volunteers(login, coordinator, vera, east):
    VolunteerFactory(user__last_name="Eastern", areas=[east])
    text = login(coordinator).get(VOLUNTEERS, {"area": east.pk}).text
    assert "Eastern" not in text


def test_an_empty_list_says_so(login, coordinator):
    assert "No volunteers match these filters." in login(coordinator).get(VOLUNTEERS).text


# The filter form as crispy-forms laid it out: the page writes the same HTML by hand (at a
# fraction of the cost), and must keep every label, id and error of it.
CRISPY_FILTER_FORM = """{% load crispy_forms_tags %}
<form method="get" class="row g-2 align-items-end mb-3" role="search" aria-label="Find volunteers">
  <div class="col-12 col-md-4">{{ form.q|as_crispy_field }}</div>
  <div class="col-6 col-md-4">{{ form.area|as_crispy_field }}</div>
  <div class="col-6 col-md-4">{{ form.skill|as_crispy_field }}</div>
  <div class="col-6 col-md-3">{{ form.status|as_crispy_field }}</div>
  <div class="col-6 col-md-4">{{ form.mdt_opt_in|as_crispy_field }}</div>
  <div class="col-12 col-md-5">{{ form.dbs_renewal_due|as_crispy_field }}</div>
  <div class="col-12 col-md-3 mb-3">
    <button type="submit" class="btn btn-outline-primary w-100">Filter</button>
  </div>
</form>"""


@pytest.mark.parametrize(
    "query",
    [
        "",
        "status=paused",
        "q=Pascoe&area={west}&skill=driver&status=active&mdt_opt_in=no&dbs_renewal_due=on",
        "q=&area=&skill=&status=&mdt_opt_in=",
        "q=%3Cb%3E%22Tre%27gear%22%20%26",  # <b>"Tre'gear" & : escaped in the box as crispy did
        # Every box wrong at once: each shows its error, tied to its box.
        "q=" + "x" * 101 + "&area=0&skill=bogus&status=closed&mdt_opt_in=maybe&dbs_renewal_due=maybe",
    ],
)
def test_the_volunteer_filter_form_is_the_html_crispy_forms_would_write(
    login, make_person, west, east, vera, query
):
    from django.http import QueryDict
    from django.template import engines
    from django.test.html import parse_html

    from volunteers.forms import VolunteerFilterForm

    coordinator = make_person(Role.COORDINATOR, areas=[west, east])
    query = query.format(west=west.pk)
    page = login(coordinator).get(f"{VOLUNTEERS}?{query}").text
    form = VolunteerFilterForm(QueryDict(query) or None, user=coordinator)
    expected = engines["django"].from_string(CRISPY_FILTER_FORM).render({"form": form})

    shown = re.search(r'<form method="get" class="row.*?</form>', page, re.S).group(0)
    assert parse_html(shown) == parse_html(expected)
    if "bogus" in query:
        assert page.count('aria-invalid="true"') == 5


def bulk_volunteers(count, area) -> list[Volunteer]:
    """Volunteers made the way registration makes them, in a handful of queries."""
    users = User.objects.bulk_create(UserFactory.build_batch(count))
    group = Group.objects.get(name=Role.VOLUNTEER)
    User.groups.through.objects.bulk_create([User.groups.through(user=user, group=group) for user in users])
    AreaMembership.objects.bulk_create([AreaMembership(user=user, area=area) for user in users])
    volunteers = Volunteer.objects.bulk_create(
        [Volunteer(user=user, skills=["driver"], capacity=3) for user in users]
    )
    DBSCheck.objects.bulk_create([DBSCheckFactory.build(volunteer=each) for each in volunteers])
    return volunteers


def test_the_volunteer_list_runs_the_same_queries_for_10_and_200_volunteers(
    login, coordinator, west, west_practice
):
    browser = login(coordinator)
    first = bulk_volunteers(10, west)
    elsie = ClientFactory(gp_practice=west_practice)
    for allocation in Allocation.objects.bulk_create(
        [Allocation(client=elsie, volunteer=each, allocated_by=coordinator) for each in first[:5]]
    ):
        access.allocation_started(allocation)
    browser.get(VOLUNTEERS)  # the first request of a session writes it; measure the ones after

    with_10 = queries_for(lambda: browser.get(VOLUNTEERS))
    bulk_volunteers(190, west)
    with_200 = queries_for(lambda: browser.get(VOLUNTEERS))

    assert "200 volunteers found." in browser.get(VOLUNTEERS).text
    assert len(with_10) == len(with_200), with_200


@pytest.mark.parametrize(
    "filters",
    [
        {"area": "west", "skill": "driver", "status": "active", "mdt_opt_in": "no"},
        {"q": "person"},  # every bulk volunteer's username
        {"dbs_renewal_due": "on"},
    ],
    ids=["area-skill-status-mdt", "search", "dbs-due"],
)
def test_a_filtered_volunteer_list_runs_the_same_queries_for_10_and_200_volunteers(
    login, coordinator, west, filters
):
    browser = login(coordinator)
    query = {name: west.pk if value == "west" else value for name, value in filters.items()}
    first = bulk_volunteers(10, west)
    if "dbs_renewal_due" in query:
        DBSCheck.objects.filter(volunteer__in=first).update(renewal_due_on=timezone.localdate())
    browser.get(VOLUNTEERS, query)

    with_10 = queries_for(lambda: browser.get(VOLUNTEERS, query))
    more = bulk_volunteers(190, west)
    if "dbs_renewal_due" in query:
        DBSCheck.objects.filter(volunteer__in=more).update(renewal_due_on=timezone.localdate())
    with_200 = queries_for(lambda: browser.get(VOLUNTEERS, query))

    assert "200 volunteers found." in browser.get(VOLUNTEERS, query).text
    assert len(with_10) == len(with_200), with_200


def test_the_volunteer_list_counts_clients_for_the_rows_shown_without_grouping_the_area(
    login, coordinator, west, west_practice
):
    """Each row's count of clients is a correlated subquery, which PostgreSQL computes after
    the LIMIT; a join with GROUP BY (or DISTINCT) would count the clients of every volunteer
    of the area before taking the page."""
    browser = login(coordinator)
    volunteers = bulk_volunteers(30, west)
    elsie = ClientFactory(gp_practice=west_practice)
    for allocation in Allocation.objects.bulk_create(
        [Allocation(client=elsie, volunteer=each, allocated_by=coordinator) for each in volunteers[:3]]
    ):
        access.allocation_started(allocation)

    queries = queries_for(lambda: browser.get(VOLUNTEERS))
    response = browser.get(VOLUNTEERS)

    listing = [sql for sql in queries if 'FROM "volunteers_volunteer"' in sql]
    assert listing
    assert not [sql for sql in listing if "GROUP BY" in sql or "DISTINCT" in sql], listing
    visiting = {volunteer.pk for volunteer in volunteers[:3]}
    for volunteer in response.context["page_obj"]:
        assert volunteer.active_clients == (1 if volunteer.pk in visiting else 0)


# --- Registering and editing ----------------------------------------------------------------------


def test_coordinator_registers_a_volunteer(login, coordinator, west):
    response = login(coordinator).post(CREATE, profile_form_data([west], username="jenna"), follow=True)
    volunteer = Volunteer.objects.get(user__username="jenna")
    assert response.redirect_chain[-1][0] == reverse("volunteers:detail", args=[volunteer.pk])
    assert "Jenna Rowe is registered." in response.text
    assert "Forgotten your password?" in response.text
    assert volunteer.skills == ["driver", "befriender"]
    assert volunteer.user.phone == "07700 900123"
    assert volunteer.user.has_role(Role.VOLUNTEER)


def test_a_taken_username_gets_a_clear_message_and_nothing_is_saved(login, coordinator, west, vera):
    people = User.objects.count()
    response = login(coordinator).post(CREATE, profile_form_data([west], username="Vera"))
    assert response.status_code == 200
    assert "That username is taken. Try adding a number or an initial." in response.text
    assert Volunteer.objects.count() == 1
    assert User.objects.count() == people


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"capacity": 13}, "That is a lot of clients for one volunteer: enter 12 or fewer."),
        ({"capacity": -1}, "Ensure this value is greater than or equal to 0."),
        ({"areas": []}, "This field is required."),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"skills": ["juggling"]}, "Select a valid choice."),
    ],
)
def test_bad_registration_details_get_a_message_and_nothing_is_saved(
    login, coordinator, west, changes, message
):
    response = login(coordinator).post(CREATE, {**profile_form_data([west], username="jenna"), **changes})
    assert response.status_code == 200
    assert message in response.text
    assert not User.objects.filter(username="jenna").exists()


def test_a_coordinator_cannot_register_a_volunteer_into_another_area(login, coordinator, east):
    response = login(coordinator).post(CREATE, profile_form_data([east], username="jenna"))
    assert "Select a valid choice" in response.text
    assert not User.objects.filter(username="jenna").exists()


def test_coordinator_edits_a_volunteer_and_their_other_areas_are_kept(login, coordinator, west, east):
    both = VolunteerFactory(user__first_name="Vera", areas=[west, east])
    url = reverse("volunteers:edit", args=[both.pk])
    browser = login(coordinator)
    form = browser.get(url).text
    assert 'name="status"' in form
    assert 'name="username"' not in form
    response = browser.post(url, profile_form_data([west], first_name="Vera", status="paused", capacity=4))
    assert response.status_code == 302
    both.refresh_from_db()
    assert (both.status, both.capacity) == ("paused", 4)
    assert set(
        AreaMembership.objects.current().filter(user=both.user).values_list("area__name", flat=True)
    ) == {
        "West Cornwall",
        "East Cornwall",
    }


def test_a_coordinator_cannot_move_a_volunteer_into_another_area_by_editing_the_form(
    login, coordinator, vera, east
):
    response = login(coordinator).post(
        reverse("volunteers:edit", args=[vera.pk]),
        profile_form_data([east], first_name="Vera", last_name="Pascoe", status="active"),
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert set(
        AreaMembership.objects.current().filter(user=vera.user).values_list("area__name", flat=True)
    ) == {"West Cornwall"}


def test_editing_a_volunteer_with_bad_details_saves_nothing(login, coordinator, vera, west):
    response = login(coordinator).post(
        reverse("volunteers:edit", args=[vera.pk]),
        profile_form_data([west], first_name="Veronica", capacity=40, status="active"),
    )
    assert "enter 12 or fewer" in response.text
    vera.user.refresh_from_db()
    vera.refresh_from_db()
    assert (vera.user.first_name, vera.capacity) == ("Vera", 2)


# --- The volunteer's page and their file ------------------------------------------------------------


def test_the_volunteers_page_shows_checks_training_agreement_and_clients_of_the_viewers_area(
    login, coordinator, west, east, east_practice, west_practice, allocate
):
    vera = VolunteerFactory(user__first_name="Vera", areas=[west, east], capacity=3)
    DBSCheckFactory(volunteer=vera, reference="001234567890")
    TrainingRecordFactory(volunteer=vera, module__name="Spotting falls risks")
    ConfidentialityAgreementFactory(volunteer=vera, version="2026.1")
    allocate(ClientFactory(first_name="Elsie", last_name="Trewin", gp_practice=west_practice), vera)
    allocate(ClientFactory(first_name="Morwenna", last_name="Penrose", gp_practice=east_practice), vera)
    text = login(coordinator).get(reverse("volunteers:detail", args=[vera.pk])).text
    assert "certificate 001234567890" in text
    assert "Spotting falls risks" in text
    assert "Version 2026.1" in text
    assert "Elsie Trewin" in text
    assert "Penrose" not in text  # a client of East Cornwall: not this coordinator's to see
    assert "2 of 3" in text


def test_recording_a_dbs_check_without_a_renewal_date_uses_three_years(login, coordinator, vera):
    response = login(coordinator).post(
        reverse("volunteers:record_add", args=[vera.pk, "dbs"]),
        once({"checked_on": "2026-01-15", "reference": "001234567890", "renewal_due_on": ""}),
        follow=True,
    )
    assert "DBS check recorded." in response.text
    assert vera.dbs_checks.get().renewal_due_on == datetime.date(2029, 1, 15)
    assert "renewal due 15 Jan 2029" in response.text


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        (
            "dbs",
            {"checked_on": TOMORROW, "reference": "1"},
            "The date of the check cannot be in the future.",
        ),
        (
            "dbs",
            {"checked_on": "2026-01-15", "reference": "1", "renewal_due_on": "2026-01-01"},
            "The renewal date must be after the date of the check.",
        ),
        ("dbs", {"checked_on": "yesterday", "reference": "1"}, "Enter a valid date."),
        ("training", {"completed_on": TOMORROW}, "The date cannot be in the future."),
        ("training", {"module": "abc", "completed_on": "2026-01-15"}, "Select a valid choice."),
        (
            "agreement",
            {"version": "2026.1", "signed_on": TOMORROW},
            "cannot be in the future",
        ),
    ],
)
def test_bad_file_entries_get_a_clear_message_and_nothing_is_saved(
    login, coordinator, vera, today, kind, data, message
):
    tomorrow = (today + ONE_DAY).isoformat()
    data = {name: tomorrow if value == TOMORROW else value for name, value in data.items()}
    if kind == "training" and "module" not in data:
        data = {**data, "module": TrainingModuleFactory().pk}
    response = login(coordinator).post(reverse("volunteers:record_add", args=[vera.pk, kind]), once(data))
    assert response.status_code == 200
    assert message in response.text
    assert not DBSCheck.objects.exists()
    assert not TrainingRecord.objects.exists()
    assert not ConfidentialityAgreement.objects.exists()


def test_recording_the_same_agreement_version_twice_says_so(login, coordinator, vera, today):
    ConfidentialityAgreementFactory(volunteer=vera, version="2026.1")
    response = login(coordinator).post(
        reverse("volunteers:record_add", args=[vera.pk, "agreement"]),
        once({"version": "2026.1", "signed_on": today.isoformat()}),
    )
    assert response.status_code == 200
    assert "Version 2026.1 of the agreement is already recorded as signed." in response.text
    assert vera.agreements.count() == 1


def test_recording_training(login, coordinator, vera):
    module = TrainingModuleFactory(name="Spotting falls risks")
    response = login(coordinator).post(
        reverse("volunteers:record_add", args=[vera.pk, "training"]),
        once({"module": module.pk, "completed_on": "2026-01-15"}),
        follow=True,
    )
    assert "Training recorded." in response.text
    assert vera.training.get().module == module


# --- My profile ----------------------------------------------------------------------------------------


def test_a_volunteer_sees_their_preferences_the_mdt_explanation_and_what_is_on_file(login, vera):
    DBSCheckFactory(volunteer=vera, renewal_due_on=datetime.date(2028, 4, 30))
    TrainingRecordFactory(volunteer=vera, module__name="Spotting falls risks")
    ConfidentialityAgreementFactory(volunteer=vera, version="2026.1", signed_on=datetime.date(2026, 1, 15))
    text = login(vera.user).get(ME).text
    assert "It is entirely up to you" in text
    assert "I would be willing to attend Multi-Disciplinary Team meetings" in text
    on_file = text.split("What we have on file", 1)[1]
    assert "West Cornwall" in on_file
    assert "Renewal due 30 April 2028" in on_file
    assert "Spotting falls risks" in on_file
    assert "Signed 15 January 2026 (version 2026.1)" in on_file


def test_a_volunteer_with_nothing_on_file_is_told_so(login, vera):
    on_file = login(vera.user).get(ME).text.split("What we have on file", 1)[1]
    assert "Not recorded yet" in on_file
    assert "None recorded yet" in on_file
    assert "Not signed" in on_file


def test_a_volunteer_saves_their_preferences(login, vera):
    response = login(vera.user).post(
        ME,
        {
            "skills": ["digital"],
            "languages": "Polish",
            "availability": "Evenings",
            "mdt_opt_in": "on",
            "phone": "+44 7700 900124",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == ME
    assert "Your preferences are saved." in response.text
    vera.refresh_from_db()
    vera.user.refresh_from_db()
    assert (vera.skills, vera.languages, vera.availability, vera.mdt_opt_in, vera.user.phone) == (
        ["digital"],
        "Polish",
        "Evenings",
        True,
        "07700 900124",
    )
    assert vera.mdt_opt_in_changed_at is not None


def test_a_volunteer_may_opt_out_of_mdt_meetings_again(login, west):
    willing = VolunteerFactory(areas=[west], mdt_opt_in=True)
    login(willing.user).post(ME, {"availability": "Evenings"})
    willing.refresh_from_db()
    assert willing.mdt_opt_in is False
    assert willing.mdt_opt_in_changed_at is not None


def test_bad_preferences_get_a_message_and_nothing_is_saved(login, vera):
    response = login(vera.user).post(ME, {"skills": ["juggling"], "availability": "Evenings"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.text
    vera.refresh_from_db()
    assert vera.availability == "Weekday mornings"


# --- Input that is invisible, absurd or foreign -----------------------------------------------------


def record_url(volunteer, kind: str) -> str:
    return reverse("volunteers:record_add", args=[volunteer.pk, kind])


def test_a_coordinator_registers_a_volunteer_with_tidied_phone_postcode_and_name(login, coordinator, west):
    response = login(coordinator).post(
        CREATE,
        profile_form_data(
            [west],
            username="jenna",
            first_name="\u200bJenna ",
            phone="+44 7700 900123",
            postcode="tr18 4ab",
            background="Ex-nurse\r\n",
        ),
    )
    assert response.status_code == 302
    volunteer = Volunteer.objects.get(user__username="jenna")
    assert (volunteer.user.first_name, volunteer.user.phone, volunteer.postcode, volunteer.background) == (
        "Jenna",
        "07700 900123",
        "TR18 4AB",
        "Ex-nurse",
    )


@pytest.mark.parametrize("field", ["first_name", "last_name", "username"])
@pytest.mark.parametrize("typed", ["\u200b", "\u200b\u200c\u200d\u2060", "\ufeff", "\u202e"])
def test_a_volunteer_name_made_only_of_invisible_characters_is_refused(
    login, coordinator, west, field, typed
):
    response = login(coordinator).post(CREATE, {**profile_form_data([west], username="jenna"), field: typed})
    assert response.status_code == 200
    assert "This has no letters or numbers that can be seen. Type the words themselves." in response.text
    assert not User.objects.filter(username="jenna").exists()
    assert not Volunteer.objects.exists()


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("phone", "javascript:alert(1)", "Enter a UK phone number"),
        ("phone", "07700 1", "Enter a UK phone number"),
        ("postcode", "<>!!", "Enter a UK postcode, such as TR18 4AB."),
        ("background", "x" * 1001, "it has 1,001 characters, and the most it can have is 1,000"),
        ("availability", "x" * 201, "it has 201 characters, and the most it can have is 200"),
    ],
)
def test_odd_volunteer_details_are_refused_with_a_plain_message(
    login, coordinator, west, field, typed, message
):
    response = login(coordinator).post(CREATE, {**profile_form_data([west], username="jenna"), field: typed})
    assert response.status_code == 200
    assert message in response.text
    assert not Volunteer.objects.exists()


def test_a_volunteer_cannot_save_a_script_link_as_their_own_phone(login, vera):
    response = login(vera.user).post(
        reverse("volunteers:me"),
        {"phone": "javascript:alert(1)", "languages": "", "availability": "", "skills": []},
    )
    assert response.status_code == 200
    assert "Enter a UK phone number" in response.text
    vera.user.refresh_from_db()
    assert vera.user.phone == ""


@pytest.mark.parametrize(
    ("checked_on", "renewal_due_on", "message"),
    [
        ("0001-01-01", "", "Check the year: the check must be from 2000 or later."),
        ("9999-12-31", "", "The date of the check cannot be in the future."),
        ("2024-05-01", "9999-12-31", "The renewal date must be within 10 years of the check."),
        ("2024-05-01", "0001-01-01", "The date cannot be before 1 January 2000."),
        ("2024-05-01", "2024-04-30", "The renewal date must be after the date of the check."),
    ],
)
def test_dbs_check_dates_outside_their_window_get_a_plain_message(
    login, coordinator, vera, checked_on, renewal_due_on, message
):
    response = login(coordinator).post(
        record_url(vera, "dbs"),
        once({"checked_on": checked_on, "reference": "001234567890", "renewal_due_on": renewal_due_on}),
    )
    assert response.status_code == 200
    assert message in response.text
    assert not DBSCheck.objects.exists()


def test_a_dbs_certificate_number_of_invisible_characters_is_refused(login, coordinator, vera):
    response = login(coordinator).post(
        record_url(vera, "dbs"),
        once({"checked_on": "2024-05-01", "reference": "\u200b\u200b", "renewal_due_on": ""}),
    )
    assert response.status_code == 200
    assert "no letters or numbers that can be seen" in response.text
    assert not DBSCheck.objects.exists()


@pytest.mark.parametrize("completed_on", ["0001-01-01", "1999-12-31", "9999-12-31"])
def test_training_dated_in_an_impossible_year_is_refused(login, coordinator, vera, completed_on):
    module = TrainingModuleFactory()
    response = login(coordinator).post(
        record_url(vera, "training"), once({"module": module.pk, "completed_on": completed_on})
    )
    assert response.status_code == 200
    assert "Check the year" in response.text or "cannot be in the future" in response.text
    assert not TrainingRecord.objects.exists()


@pytest.mark.parametrize("signed_on", ["0001-01-01", "9999-12-31"])
def test_an_agreement_signed_in_an_impossible_year_is_refused(login, coordinator, vera, signed_on):
    response = login(coordinator).post(
        record_url(vera, "agreement"), once({"version": "2026.1", "signed_on": signed_on})
    )
    assert response.status_code == 200
    assert "Check the year" in response.text or "cannot be in the future" in response.text
    assert not ConfidentialityAgreement.objects.exists()


def test_a_dbs_check_from_today_is_recorded_with_renewal_three_years_on(login, coordinator, vera, today):
    response = login(coordinator).post(
        record_url(vera, "dbs"),
        once({"checked_on": today.isoformat(), "reference": " 0012\u200b34 ", "renewal_due_on": ""}),
    )
    assert response.status_code == 302
    check = DBSCheck.objects.get()
    assert check.reference == "001234"
    assert check.renewal_due_on > today + datetime.timedelta(days=365 * 3 - 2)


def test_the_volunteer_form_shows_limits_for_the_counter(login, coordinator):
    text = login(coordinator).get(CREATE).text
    assert 'data-counter="1000"' in text  # background
    assert 'data-counter="150"' in text  # names
    assert 'type="tel"' in text
