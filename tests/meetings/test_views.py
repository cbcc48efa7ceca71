"""The meeting pages as each person sees them: what a volunteer sees of a meeting (their own
client, when to come and go, and nothing about anybody else), what withdrawn consent does
to the agenda and the summaries at once, the access log of summaries, the home pages of the
people who go to meetings, and forms sent with odd input (each answered with a message
that says what to do, never a server error, and nothing changed).

The meetings are those of tests/meetings/fixtures.py: Alverton Practice's MDT meeting at
10:00 with Elsie Trewin (15 minutes, presented by Vera), Jack Nankervis (10 minutes,
presented by Victor) and Dorothy Angove (10 minutes); West Cornwall's formal meeting with
Vera's concern about Elsie and Victor's about Jack; East Cornwall's coffee morning."""

from __future__ import annotations

import datetime
import html
import re

import icalendar
import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from clients.access import MDT_SUMMARY
from clients.models import Client, ClientUserObjectPermission
from meetings import services
from meetings.models import AgendaItem, Meeting, MeetingStatus
from risks.models import Outcome, OutcomeKind, Status
from tests.meetings.fixtures import ELSIE_SEEN, JACK_SEEN, local, meetings_fixture, state  # noqa: F401
from tests.support.access_table import signed_in
from tests.support.forms import once

pytestmark = pytest.mark.usefixtures("fast_password_hashing")

# Every client of the meetings world but Elsie, by first and last name.
NOT_VERAS = ("Jack", "Nankervis", "Dorothy", "Angove", "Mabel", "Bray", "Morwenna", "Penrose")


def names_in(text: str, names) -> list[str]:
    return [name for name in names if re.search(rf"\b{name}\b", text)]


def page(person, name, *args, **query):
    response = signed_in(person).get(reverse(f"meetings:{name}", args=args), query)
    assert response.status_code == 200
    return response


# --- What a volunteer sees -------------------------------------------------------------------


def test_vera_sees_her_client_and_when_to_come_and_leave_and_nothing_about_other_clients(meetings):
    response = page(meetings.world.volunteer, "detail", meetings.mdt.pk)
    text = response.text

    assert "Elsie Trewin" in text
    assert "Please arrive by 10:00" in text
    assert "You can leave at 10:15" in text
    assert names_in(text, NOT_VERAS) == []
    # Nor how many there are: no count, no other slot, not even that another volunteer comes.
    assert not re.search(r"\b(3|three|2|two)\b\s+(items?|clients?|patients?|others?|more)\b", text, re.I)
    assert "Volunteers leave at" not in text
    assert "10:25" not in text
    assert "10:35" not in text
    assert "Victor" not in text
    assert [item.client for item in response.context["items"]] == [meetings.world.elsie]
    assert [slot.item.client for slot in response.context["slots"]] == [meetings.world.elsie]


def test_victor_who_attends_for_another_client_sees_only_his_own(meetings):
    text = page(meetings.world.other_volunteer, "detail", meetings.mdt.pk).text

    assert "Jack Nankervis" in text
    assert "Please arrive by 10:15" in text
    assert "You can leave at 10:25" in text
    assert names_in(text, ("Elsie", "Trewin", "Dorothy", "Angove", "Vera")) == []


def test_the_chair_sees_the_whole_agenda_with_the_volunteers_first_and_when_they_leave(meetings):
    text = page(meetings.world.mdt_chair, "detail", meetings.mdt.pk).text

    positions = [text.index(name) for name in ("Elsie Trewin", "Jack Nankervis", "Dorothy Angove")]
    assert positions == sorted(positions)
    assert "Volunteers leave at 10:25" in text
    assert "10:25\u201310:35 · Dorothy Angove" in text


def test_veras_calendar_file_is_her_own_slot_and_names_nobody(meetings):
    response = signed_in(meetings.world.volunteer).get(reverse("meetings:calendar", args=[meetings.mdt.pk]))
    assert response.status_code == 200
    [event] = icalendar.Calendar.from_ical(response.content).walk("VEVENT")

    day = timezone.localdate(meetings.mdt.starts_at)
    assert event.decoded("DTSTART") == local(day, 10)
    assert event.decoded("DTEND") == local(day, 10, 15)
    assert names_in(response.content.decode(), (*NOT_VERAS, "Elsie", "Trewin")) == []


def test_vera_reads_what_she_raised_about_her_client_and_not_the_clinical_details(meetings):
    elsie = meetings.world.elsie
    Client.objects.filter(pk=elsie.pk).update(nhs_number="9434765919")
    text = page(meetings.world.volunteer, "summary", meetings.mdt.pk, elsie.pk).text

    assert ELSIE_SEEN in html.unescape(text)
    assert "Date of birth" not in text
    assert "943 476 5919" not in text
    assert "9434765919" not in text
    assert "Chapel Street" not in text
    assert names_in(text, NOT_VERAS) == []

    chairs = html.unescape(page(meetings.world.mdt_chair, "summary", meetings.mdt.pk, elsie.pk).text)
    assert "Date of birth" in chairs
    assert "9434765919" in chairs
    assert ELSIE_SEEN in chairs
    # The minimum necessary: never the address.
    assert "Chapel Street" not in chairs


def test_a_volunteer_at_a_formal_meeting_sees_no_concern_about_another_volunteers_client(meetings):
    text = html.unescape(page(meetings.world.volunteer, "detail", meetings.formal.pk).text)

    assert names_in(text, ("Jack", "Nankervis", "Victor")) == []
    assert JACK_SEEN not in text
    # The coordinator who runs it sees both concerns, so the agenda is not simply empty.
    coras = html.unescape(page(meetings.world.coordinator, "detail", meetings.formal.pk).text)
    assert "Jack Nankervis" in coras
    assert "Elsie Trewin" in coras


# --- Withdrawn consent and the access log --------------------------------------------------------


def summary_url(meetings, client=None):
    return reverse("meetings:summary", args=[meetings.mdt.pk, (client or meetings.world.elsie).pk])


def test_withdrawn_consent_takes_the_client_off_the_agenda_and_the_summary_answers_404_at_once(meetings):
    chair = signed_in(meetings.world.mdt_chair)
    assert chair.get(summary_url(meetings)).status_code == 200
    consent = meetings.world.elsie.consents.get(scope="share_with_mdt", withdrawn_at=None)

    withdrawn = signed_in(meetings.world.coordinator).post(
        reverse("clients:consent_withdraw", args=[consent.pk]),
        {"withdrawn_on": timezone.localdate().isoformat(), "note": "Does not want it discussed."},
    )
    assert withdrawn.status_code == 302

    assert chair.get(summary_url(meetings)).status_code == 404
    assert signed_in(meetings.world.clinician).get(summary_url(meetings)).status_code == 404
    assert signed_in(meetings.world.volunteer).get(summary_url(meetings)).status_code == 404
    assert not AgendaItem.objects.filter(meeting=meetings.mdt, client=meetings.world.elsie).exists()
    assert not ClientUserObjectPermission.objects.filter(
        content_object=meetings.world.elsie, permission__codename=MDT_SUMMARY
    ).exists()
    agenda = page(meetings.world.mdt_chair, "detail", meetings.mdt.pk).text
    assert names_in(agenda, ("Elsie", "Trewin")) == []
    assert "Jack Nankervis" in agenda
    # Vera came only to speak for Elsie: she is no longer expected at the meeting.
    assert (
        signed_in(meetings.world.volunteer)
        .get(reverse("meetings:detail", args=[meetings.mdt.pk]))
        .status_code
        == 404
    )
    assert not meetings.mdt.attendances.filter(person=meetings.world.volunteer).exists()


def test_a_chair_taking_a_volunteers_client_off_the_agenda_no_longer_expects_the_volunteer(meetings):
    response = signed_in(meetings.world.mdt_chair).post(
        reverse("meetings:item_remove", args=[meetings.mdt.pk, meetings.jack_item.pk])
    )
    assert response.status_code == 302
    assert not meetings.mdt.attendances.filter(person=meetings.world.other_volunteer).exists()
    assert (
        signed_in(meetings.world.other_volunteer)
        .get(reverse("meetings:detail", args=[meetings.mdt.pk]))
        .status_code
        == 404
    )


def access_log_of(client):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Client),
        object_pk=str(client.pk),
        action=LogEntry.Action.ACCESS,
    ).order_by("timestamp", "pk")


def test_each_summary_opening_is_logged_and_shown_on_who_has_looked_at_the_record(meetings):
    elsie = meetings.world.elsie
    for person in (meetings.world.mdt_chair, meetings.world.mdt_chair, meetings.world.clinician):
        assert signed_in(person).get(summary_url(meetings)).status_code == 200
    assert signed_in(meetings.world.volunteer).get(summary_url(meetings)).status_code == 200
    # A refused opening is not an opening.
    assert signed_in(meetings.people["absent_clinician"]).get(summary_url(meetings)).status_code == 404

    logged = [(entry.actor, entry.additional_data["page"]) for entry in access_log_of(elsie)]
    assert logged == [
        (meetings.world.mdt_chair, "mdt_summary"),
        (meetings.world.mdt_chair, "mdt_summary"),
        (meetings.world.clinician, "mdt_summary"),
        (meetings.world.volunteer, "volunteer_mdt_summary"),
    ]

    record = signed_in(meetings.world.coordinator).get(reverse("clients:detail", args=[elsie.pk]))
    section = record.text.split("Who has looked at this record", 1)[1]
    assert section.count("Wei Chen") == 2
    assert "Wei Chen, " in section
    assert "Multi-Disciplinary Team meeting summary" in section
    assert "Nerys Hocking" in section


# --- Home pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["mdt_chair", "clinician"])
def test_the_chair_and_the_clinician_see_their_next_mdt_meeting_and_what_is_on_it(meetings, actor):
    response = signed_in(meetings.people[actor]).get("/")
    assert response.status_code == 200
    text = response.text

    assert "Your next meetings" in text
    assert f'href="{reverse("meetings:detail", args=[meetings.mdt.pk])}"' in text
    assert "3 items on the agenda" in text


def test_a_volunteers_home_shows_their_meetings_but_not_how_many_items_they_have(meetings):
    text = signed_in(meetings.world.volunteer).get("/").text

    assert "Your next meetings" in text
    for meeting in (meetings.mdt, meetings.formal):
        assert f'href="{reverse("meetings:detail", args=[meeting.pk])}"' in text
    assert "on the agenda" not in text
    assert not re.search(r"\b\d+ items?\b", text)
    assert names_in(text, NOT_VERAS) == []


# --- The outcome of a concern, recorded at the meeting -----------------------------------------


@pytest.fixture
def actions_done(meetings):
    """Both concerns on the MDT agenda (Elsie's and Jack's) have had their actions done, so
    the chair can record each one's outcome."""
    world = meetings.world
    jack_action = services.action_add(
        meeting=meetings.mdt,
        by=world.mdt_chair,
        item=meetings.jack_item,
        what="Ring his daughter.",
        owner=world.clinician,
        due_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    for action in (meetings.action, jack_action):
        services.action_complete(action=action, by=world.clinician)
    return meetings


def test_each_outcome_form_asks_its_kind_with_boxes_of_its_own(actions_done):
    text = page(actions_done.world.mdt_chair, "detail", actions_done.mdt.pk).text

    for item in (actions_done.elsie_item, actions_done.jack_item):
        kind = f"id_item{item.pk}_outcome_kind"
        assert re.search(rf'<label\s+for="{kind}"[^>]*>\s*What kind of outcome', text)
        assert text.count(f'id="{kind}"') == 1
    assert text.count('<option value="" selected>Choose one</option>') == 2
    ids = re.findall(r'\bid="(id_item\d+_outcome_[a-z_]+)"', text)
    # Two forms of three boxes, two with help text: each id once.
    assert len(ids) == 10
    assert len(set(ids)) == 10


ELSIES_OUTCOME = {"staff_summary": "Falls assessment done.", "volunteer_message": "Elsie has been assessed."}


def record_elsies_outcome(actions_done, **data):
    """The chair posts the outcome form of Elsie's item (the summary and message given)."""
    return _run(
        actions_done, "mdt_chair", "item_outcome", "mdt", "elsie_item", data={**ELSIES_OUTCOME, **data}
    )


def test_an_outcome_at_the_meeting_without_its_kind_is_refused_and_with_it_is_saved(actions_done):
    before = state()

    refused = record_elsies_outcome(actions_done)

    assert "Nothing was changed. Choose what kind of outcome it was." in html.unescape(refused.text)
    assert state() == before
    assert not Outcome.objects.exists()

    done = record_elsies_outcome(actions_done, kind="home_made_safer")

    assert "Outcome recorded. The volunteer who raised it has been sent the news." in done.text
    saved = Outcome.objects.get()
    assert (saved.risk, saved.kind) == (actions_done.elsie_risk, OutcomeKind.HOME_MADE_SAFER)
    saved.risk.refresh_from_db()
    assert saved.risk.status == Status.OUTCOME_RECORDED


def test_the_outcome_can_still_be_recorded_once_the_minutes_are_finalised(actions_done):
    # Actions agreed at a meeting are often done after it; the outcome is recorded then.
    Meeting.objects.filter(pk=actions_done.mdt.pk).update(
        status=MeetingStatus.FINALISED, held_at=timezone.now(), finalised_at=timezone.now()
    )
    kind = f"id_item{actions_done.elsie_item.pk}_outcome_kind"

    text = page(actions_done.world.mdt_chair, "detail", actions_done.mdt.pk).text

    assert re.search(rf'<label\s+for="{kind}"[^>]*>\s*What kind of outcome', text)
    assert len(re.findall(rf'<select name="kind"[^>]*id="{kind}"', text)) == 1
    done = record_elsies_outcome(actions_done, kind="home_made_safer")
    assert "Outcome recorded. The volunteer who raised it has been sent the news." in done.text
    assert Outcome.objects.get().risk == actions_done.elsie_risk


def test_each_undecided_item_of_a_formal_meeting_has_decision_boxes_of_its_own(meetings):
    text = page(meetings.world.coordinator, "detail", meetings.formal.pk).text

    items = list(meetings.formal.items.all())
    assert len(items) == 2
    for item in items:
        decision = f"id_item{item.pk}_decide_decision_0"
        assert text.count(f'id="{decision}"') == 1
        assert re.search(rf'<label[^>]*for="{decision}"[^>]*>\s*I take it on', text)
    ids = re.findall(r'\bid="(id_[a-z0-9_]+)"', text)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


# --- Odd input ---------------------------------------------------------------------------------------

LONG = ("word " * 20_000)[:-1] + "."  # 100 000 characters, with nothing to trim


def _run(meetings, actor, name, *objects, data, follow=True):
    """POST `data` to a meetings view as `actor`; returns the response (redirects followed)."""
    args = [
        getattr(meetings, attribute).pk if hasattr(meetings, attribute) else attribute
        for attribute in objects
    ]
    return signed_in(meetings.people[actor]).post(reverse(f"meetings:{name}", args=args), data, follow=follow)


# view -> (who runs it, URL objects, what an empty POST is told)
FORMS = {
    "new formal": (
        "coordinator",
        "new",
        (),
        [
            "Choose the area.",
            "Give the date and time it starts.",
            "Give the time it ends.",
            "Say where the meeting is.",
        ],
    ),
    "new mdt": ("mdt_chair", "new", (), ["Choose the GP practice.", "Give the date and time it starts."]),
    "edit": (
        "mdt_chair",
        "edit",
        ("mdt",),
        ["Give the date and time it starts.", "Say where the meeting is."],
    ),
    "cancel": ("mdt_chair", "cancel", ("mdt",), ["Say why the meeting is cancelled."]),
    "invite": ("mdt_chair", "invite", ("mdt",), ["Choose who to invite."]),
    "attendance": ("mdt_chair", "attendance", ("mdt",), ["Say whether Nerys Hocking came."]),
    "raise": (
        "other_coordinator",
        "raise",
        ("east",),
        ["Choose the volunteer who raised it.", "Choose who the concern is about."],
    ),
    "action_add": (
        "mdt_chair",
        "action_add",
        ("mdt",),
        ["Say what is to be done.", "Give the date it is due."],
    ),
    "agenda_add": (
        "mdt_chair",
        "agenda_add",
        ("mdt",),
        ["Choose the client to add.", "Give the minutes for this item, from 5 to 60."],
    ),
    "item_minutes": (
        "mdt_chair",
        "item_minutes",
        ("mdt", "dorothy_item"),
        ["Give the minutes for this item, from 5 to 60."],
    ),
    "item_conclude": (
        "coordinator",
        "item_conclude",
        ("formal", "formal_item"),
        ["Choose what the meeting decided."],
    ),
    "item_outcome": (
        "mdt_chair",
        "item_outcome",
        ("mdt", "elsie_item"),
        [
            "Choose what kind of outcome it was.",
            "Say what happened, for staff.",
            "Write the message for the volunteer who raised it.",
        ],
    ),
    "item_volunteer": ("mdt_chair", "item_volunteer", ("mdt", "dorothy_item"), ["Choose the volunteer."]),
    "protocol": ("mdt_chair", "protocol", ("practice",), ["Write the protocol."]),
}


@pytest.fixture
def odd(meetings):
    meetings.formal_item = meetings.formal.items.get(client=meetings.world.jack)
    return meetings


@pytest.mark.parametrize("view", list(FORMS))
def test_an_empty_form_says_what_is_missing_and_changes_nothing(odd, view):
    actor, name, objects, expected = FORMS[view]
    before = state()

    response = _run(odd, actor, name, *objects, data={})

    assert response.status_code == 200
    text = html.unescape(response.text)
    for message in expected:
        assert message in text
    assert "This field is required" not in text
    assert state() == before


def test_empty_notes_are_saved_as_no_notes(odd):
    response = _run(odd, "coordinator", "notes", "formal", data={})
    assert "Notes saved." in response.text
    assert Meeting.objects.get(pk=odd.formal.pk).notes == ""


def plan(meetings, **changes):
    day = timezone.localdate() + datetime.timedelta(days=10)
    return once(
        {
            "area": meetings.world.west.pk,
            "starts_at": f"{day:%Y-%m-%d}T14:00",
            "ends_at_time": "16:00",
            "place": "Penzance Library",
            **changes,
        }
    )


TOO_LONG = "This is too long: it has 100,000 characters"


@pytest.mark.parametrize(
    ("actor", "name", "objects", "data"),
    [
        ("coordinator", "new", (), lambda m: plan(m, place=LONG)),
        ("mdt_chair", "edit", ("mdt",), lambda m: {**plan(m), "place": LONG}),
        ("mdt_chair", "cancel", ("mdt",), lambda m: {"reason": LONG}),
        ("coordinator", "notes", ("formal",), lambda m: {"notes": LONG}),
        ("mdt_chair", "protocol", ("practice",), lambda m: {"text": LONG}),
        (
            "mdt_chair",
            "action_add",
            ("mdt",),
            lambda m: once(
                {"what": LONG, "owner": m.world.clinician.pk, "due_on": timezone.localdate().isoformat()}
            ),
        ),
        (
            "mdt_chair",
            "item_outcome",
            ("mdt", "elsie_item"),
            lambda m: {"kind": "support_arranged", "staff_summary": LONG, "volunteer_message": "Sorted."},
        ),
        (
            "coordinator",
            "item_conclude",
            ("formal", "formal_item"),
            lambda m: {"decision": "taken", "note": LONG},
        ),
        (
            "mdt_chair",
            "item_volunteer",
            ("mdt", "elsie_item"),
            lambda m: {"volunteer": m.world.volunteer.volunteer.pk, "conflict_reason": LONG, "confirm": "on"},
        ),
        (
            "other_coordinator",
            "raise",
            ("east",),
            lambda m: once(
                {
                    "volunteer": m.world.east_volunteer.pk,
                    "client": m.world.morwenna.pk,
                    "category": m.world.falls.pk,
                    "severity": "low",
                    "what_was_seen": LONG,
                    "observed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                }
            ),
        ),
    ],
    ids=[
        "new",
        "edit",
        "cancel",
        "notes",
        "protocol",
        "action_add",
        "item_outcome",
        "item_conclude",
        "item_volunteer",
        "raise",
    ],
)
def test_a_hundred_thousand_characters_are_refused_with_how_long_they_may_be(odd, actor, name, objects, data):
    before = state()

    response = _run(odd, actor, name, *objects, data=data(odd))

    assert response.status_code == 200
    assert TOO_LONG in html.unescape(response.text)
    assert state() == before


def test_a_place_of_only_invisible_characters_is_refused(odd):
    before = state()
    response = _run(odd, "coordinator", "new", data=plan(odd, place="\u200b\u200d\ufeff\u2060"))
    assert "Where: This has no letters or numbers that can be seen." in html.unescape(response.text)
    assert state() == before


def test_invisible_characters_inside_a_place_are_taken_out(odd):
    response = _run(odd, "coordinator", "new", data=plan(odd, place="Penzance\u200b Library\u200d"))
    meeting = Meeting.objects.order_by("-pk").first()
    assert response.redirect_chain[-1][0] == reverse("meetings:detail", args=[meeting.pk])
    assert meeting.place == "Penzance Library"


def test_a_client_name_hidden_with_an_invisible_character_is_still_found_in_the_notes(odd):
    response = _run(odd, "coordinator", "notes", "formal", data={"notes": "Mrs Tre\u200bwin is lonely."})
    assert "These notes seem to name a client: Trewin." in html.unescape(response.text)
    assert Meeting.objects.get(pk=odd.formal.pk).notes == ""


@pytest.mark.parametrize(
    ("starts_at", "message"),
    [
        ("0001-01-01T10:00", "A meeting cannot start more than 30 days ago. Check the date and year."),
        ("0001-01-01T00:00", "A meeting cannot start more than 30 days ago. Check the date and year."),
        ("9999-12-31T10:00", "A meeting must be within a year from today. Check the date and year."),
        ("9999-12-31T22:00", "A meeting must be within a year from today. Check the date and year."),
    ],
)
@pytest.mark.parametrize("view", ["new", "edit"])
def test_a_meeting_in_year_1_or_9999_is_refused_with_a_plain_message(odd, view, starts_at, message):
    before = state()
    if view == "new":
        response = _run(odd, "coordinator", "new", data=plan(odd, starts_at=starts_at, ends_at_time="23:00"))
    else:
        data = {"starts_at": starts_at, "ends_at_time": "23:00", "place": "Room 3"}
        response = _run(odd, "mdt_chair", "edit", "mdt", data=data)
    assert response.status_code == 200
    assert message in html.unescape(response.text)
    assert state() == before


@pytest.mark.parametrize(
    ("due_on", "message"),
    [
        ("0001-01-01", "The due date cannot be in the past."),
        ("9999-12-31", "The due date must be within a year from today. Check the year."),
    ],
)
def test_an_action_due_in_year_1_or_9999_is_refused_with_a_plain_message(odd, due_on, message):
    before = state()
    data = once({"what": "Ring the daughter.", "owner": odd.world.clinician.pk, "due_on": due_on})
    response = _run(odd, "mdt_chair", "action_add", "mdt", data=data)
    assert message in html.unescape(response.text)
    assert state() == before


@pytest.mark.parametrize("observed_at", ["0001-01-01T10:00", "9999-12-31T10:00"])
def test_a_concern_raised_at_a_coffee_morning_seen_in_year_1_or_9999_is_refused(odd, observed_at):
    before = state()
    data = once(
        {
            "volunteer": odd.world.east_volunteer.pk,
            "client": odd.world.morwenna.pk,
            "category": odd.world.falls.pk,
            "severity": "low",
            "what_was_seen": "Cold house.",
            "observed_at": observed_at,
        }
    )
    response = _run(odd, "other_coordinator", "raise", "east", data=data)
    assert response.status_code == 200
    assert "When you saw it" in html.unescape(response.text)
    assert state() == before


def test_minutes_in_arabic_indic_digits_are_read_as_the_number(odd):
    _run(
        odd, "mdt_chair", "item_minutes", "mdt", "dorothy_item", data={"minutes": "\u0662\u0660"}
    )  # Arabic-Indic 20
    assert AgendaItem.objects.get(pk=odd.dorothy_item.pk).minutes == 20

    _run(
        odd, "mdt_chair", "agenda_add", "mdt", data={"client": odd.mabel.pk, "minutes": "\u06f1\u06f5"}
    )  # Extended Arabic-Indic (Persian) 15
    assert AgendaItem.objects.get(meeting=odd.mdt, client=odd.mabel).minutes == 15


def test_minutes_out_of_range_in_arabic_indic_digits_say_the_range(odd):
    before = state()
    response = _run(odd, "mdt_chair", "item_minutes", "mdt", "dorothy_item", data={"minutes": "\u0669\u0669"})
    assert "Give each item at most 60 minutes." in html.unescape(response.text)
    response = _run(odd, "mdt_chair", "item_minutes", "mdt", "dorothy_item", data={"minutes": "twenty"})
    assert "Give the minutes as a whole number, from 5 to 60." in html.unescape(response.text)
    assert state() == before


def test_the_plan_form_sent_twice_with_one_key_makes_one_meeting(odd):
    data = plan(odd)
    first = _run(odd, "coordinator", "new", data=data, follow=False)
    again = _run(odd, "coordinator", "new", data=data, follow=True)

    made = Meeting.objects.filter(
        area=odd.world.west, starts_at__date=timezone.localdate() + datetime.timedelta(days=10)
    )
    [meeting] = made
    assert first["Location"] == reverse("meetings:detail", args=[meeting.pk])
    assert again.redirect_chain[-1][0] == reverse("meetings:detail", args=[meeting.pk])
    assert "Already sent" in again.text


@pytest.mark.parametrize("direction", ["up", "down"])
def test_moving_an_item_that_is_not_on_the_agenda_is_not_found(odd, direction):
    before = state()
    browser = signed_in(odd.world.mdt_chair)
    missing = AgendaItem.objects.order_by("-pk").first().pk + 1000
    for item_pk in (missing, odd.formal_item.pk):
        response = browser.post(reverse("meetings:item_move", args=[odd.mdt.pk, item_pk, direction]))
        assert response.status_code == 404
    assert state() == before


def test_moving_an_item_up_puts_it_before_the_one_above(odd):
    _run(odd, "mdt_chair", "item_move", "mdt", "jack_item", "up", data={})
    agenda = [item.client for item in odd.mdt.items.order_by("-presented_by_volunteer", "position", "pk")]
    assert agenda == [odd.world.jack, odd.world.elsie, odd.dorothy]
