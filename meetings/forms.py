from __future__ import annotations

import copy
import datetime

from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from clients.models import Client
from livingwell.accounts.models import Area, GPPractice, PracticeMembership, User
from livingwell.accounts.roles import Role
from livingwell.accounts.selectors import people_with_role_in, practices_of, staff_areas_of
from livingwell.dates import a_year_ahead
from livingwell.form_fields import (
    DateWindowField,
    ListedModelChoiceField,
    ListedModelMultipleChoiceField,
    LocalDateTimeField,
    TextField,
)
from livingwell.submissions.forms import OneTimeSubmissionForm
from meetings.models import (
    NOTE_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    PROTOCOL_MAX_LENGTH,
    AgendaItemResult,
    AttendanceResponse,
    AttendanceRole,
    Meeting,
    MeetingKind,
)
from meetings.services import SLOT_MINUTES
from risks.forms import CLOSE_REASONS, ReportConcernForm
from risks.models import OutcomeKind, RiskReport, Service
from volunteers.models import Volunteer

LOW, HIGH = SLOT_MINUTES
MINUTES_MESSAGES = {
    "required": f"Give the minutes for this item, from {LOW} to {HIGH}.",
    "invalid": f"Give the minutes as a whole number, from {LOW} to {HIGH}.",
    "min_value": f"Give each item at least {LOW} minutes.",
    "max_value": f"Give each item at most {HIGH} minutes.",
}


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def _person(user: User) -> str:
    return user.get_full_name() or user.username


def clinicians_for(*, practices=None, areas=None):
    """Clinicians who may be invited: those working today at one of `practices`, or at a
    practice in one of `areas` (each a queryset, list or single object). Conditions, not
    joins: each person is one row with no DISTINCT, so this combines with `|` with other
    lists of people (`people_with_role_in`)."""
    memberships = PracticeMembership.objects.current().filter(user=OuterRef("pk"))
    if practices is not None:
        memberships = memberships.filter(practice__in=_many(practices))
    if areas is not None:
        memberships = memberships.filter(practice__area__in=_many(areas))
    return User.objects.filter(
        Exists(User.groups.through.objects.filter(user=OuterRef("pk"), group__name=Role.CLINICIAN)),
        Exists(memberships),
        is_active=True,
    ).order_by("first_name", "last_name")


def _many(value):
    return [value] if isinstance(value, (Area, GPPractice)) else value


class WhenAndWhereForm(forms.Form):
    starts_at = LocalDateTimeField(
        label="Date and start time",
        error_messages={"required": "Give the date and time it starts."},
    )
    ends_at_time = forms.TimeField(
        widget=TimeInput(), label="End time", error_messages={"required": "Give the time it ends."}
    )
    place = TextField(
        max_length=PLACE_MAX_LENGTH,
        what="Where",
        label="Where",
        help_text="The address or room, or a video link.",
        error_messages={"required": "Say where the meeting is."},
    )

    def clean(self):
        cleaned = super().clean()
        starts_at, end = cleaned.get("starts_at"), cleaned.get("ends_at_time")
        if starts_at and end:
            local = timezone.localtime(starts_at)
            ends_at = timezone.make_aware(datetime.datetime.combine(local.date(), end))
            if ends_at <= starts_at:
                self.add_error("ends_at_time", "The meeting must end after it starts, on the same day.")
            cleaned["ends_at"] = ends_at
        return cleaned

    def times(self) -> dict:
        return {
            "starts_at": self.cleaned_data["starts_at"],
            "ends_at": self.cleaned_data["ends_at"],
            "place": self.cleaned_data["place"],
        }


class MeetingPlanForm(OneTimeSubmissionForm, WhenAndWhereForm):
    """Plan a meeting of one kind: an area's formal meeting or coffee morning (its
    coordinators), or a practice's MDT meeting (its chair)."""

    area = ListedModelChoiceField(
        queryset=Area.objects.none(),
        required=False,
        label="Area",
        error_messages={
            "required": "Choose the area.",
            "invalid_choice": "Choose one of your areas from the list.",
        },
    )
    practice = ListedModelChoiceField(
        queryset=GPPractice.objects.none(),
        required=False,
        label="GP practice",
        error_messages={
            "required": "Choose the GP practice.",
            "invalid_choice": "Choose one of your practices from the list.",
        },
    )
    volunteers = ListedModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Invite volunteers",
    )
    staff = ListedModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Invite coordinators and team leaders",
    )
    clinicians = ListedModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Invite clinicians",
        help_text="Medical staff are welcome at volunteer meetings too: their attendance is counted.",
    )
    field_order = ["area", "practice", "starts_at", "ends_at_time", "place"]

    def __init__(self, *args, user: User, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == MeetingKind.MDT:
            del self.fields["area"], self.fields["volunteers"], self.fields["staff"]
            practices = practices_of(user)
            self.fields["practice"].queryset = practices
            self.fields["practice"].required = True
            self.fields["practice"].empty_label = None
            self.fields["clinicians"].queryset = clinicians_for(practices=practices).exclude(pk=user.pk)
            self.fields[
                "clinicians"
            ].help_text = (
                "Clinicians of the practice who attend. Volunteers are added from their client's item."
            )
        else:
            del self.fields["practice"]
            areas = Area.objects.filter(pk__in=staff_areas_of(user, roles={Role.COORDINATOR}))
            self.fields["area"].queryset = areas
            self.fields["area"].required = True
            self.fields["area"].empty_label = None
            self.fields["volunteers"].queryset = people_with_role_in(Role.VOLUNTEER, areas).order_by(
                "first_name", "last_name"
            )
            self.fields["staff"].queryset = (
                (people_with_role_in(Role.COORDINATOR, areas) | people_with_role_in(Role.TEAM_LEADER, areas))
                .distinct()
                .exclude(pk=user.pk)
                .order_by("first_name", "last_name")
            )
            self.fields["clinicians"].queryset = clinicians_for(areas=areas)
        for name in ("volunteers", "staff", "clinicians"):
            if name in self.fields:
                self.fields[name].label_from_instance = _person

    def invitees(self) -> list[tuple[User, str]]:
        found: list[tuple[User, str]] = []
        for person in self.cleaned_data.get("volunteers") or []:
            found.append((person, AttendanceRole.VOLUNTEER))
        for person in self.cleaned_data.get("staff") or []:
            role = (
                AttendanceRole.COORDINATOR
                if person.has_role(Role.COORDINATOR)
                else AttendanceRole.TEAM_LEADER
            )
            found.append((person, role))
        for person in self.cleaned_data.get("clinicians") or []:
            found.append((person, AttendanceRole.CLINICIAN))
        return found

    def plan(self) -> dict:
        return {
            "kind": self.kind,
            "area": self.cleaned_data.get("area"),
            "practice": self.cleaned_data.get("practice"),
            "invitees": self.invitees(),
            **self.times(),
        }


class RescheduleForm(WhenAndWhereForm):
    pass


class CancelForm(forms.Form):
    reason = TextField(
        max_length=200,
        what="Why",
        label="Why is it cancelled?",
        error_messages={"required": "Say why the meeting is cancelled."},
    )


class InviteForm(forms.Form):
    person = ListedModelChoiceField(
        queryset=User.objects.none(),
        label="Who",
        error_messages={
            "required": "Choose who to invite.",
            "invalid_choice": "Choose someone from the list.",
        },
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        invited = meeting.attendances.values("person")
        if meeting.is_mdt:
            people = clinicians_for(practices=meeting.practice)
        else:
            areas = [meeting.area_id]
            people = (
                people_with_role_in(Role.VOLUNTEER, areas)
                | people_with_role_in(Role.COORDINATOR, areas)
                | people_with_role_in(Role.TEAM_LEADER, areas)
                | clinicians_for(areas=[meeting.area_id])
            )
        self.fields["person"].queryset = people.exclude(pk__in=invited).order_by("first_name", "last_name")
        self.fields["person"].label_from_instance = lambda person: (
            f"{_person(person)} ({', '.join(person.role_labels)})"
        )

    def role(self) -> str:
        person = self.cleaned_data["person"]
        if person.has_role(Role.CLINICIAN):
            return AttendanceRole.CLINICIAN
        if person.has_role(Role.COORDINATOR):
            return AttendanceRole.COORDINATOR
        if person.has_role(Role.TEAM_LEADER):
            return AttendanceRole.TEAM_LEADER
        return AttendanceRole.VOLUNTEER


class AttendanceForm(forms.Form):
    """One choice per person invited: did they come?"""

    def __init__(self, *args, attendances, **kwargs):
        super().__init__(*args, **kwargs)
        self.attendances = list(attendances)
        for attendance in self.attendances:
            self.fields[f"a{attendance.pk}"] = forms.ChoiceField(
                choices=AttendanceResponse.choices,
                initial=attendance.response,
                label=f"{_person(attendance.person)} ({attendance.get_role_display()})",
                widget=forms.Select,
                error_messages={
                    "required": f"Say whether {_person(attendance.person)} came.",
                    "invalid_choice": f"For {_person(attendance.person)}, choose invited, attended "
                    "or sent apologies.",
                },
            )

    def responses(self) -> dict[int, str]:
        return {attendance.pk: self.cleaned_data[f"a{attendance.pk}"] for attendance in self.attendances}


class NotesForm(forms.Form):
    notes = TextField(
        max_length=NOTE_MAX_LENGTH,
        multiline=True,
        rows=5,
        required=False,
        what="The notes",
        label="Themes discussed",
        help_text="What came up, in general terms. Do not name clients: "
        "concerns about a client are raised below.",
    )
    names_checked = forms.BooleanField(
        required=False, label="I have checked: the notes do not identify a client"
    )


def services_to_refer_to(area) -> QuerySet[Service]:
    """The directory's services that a meeting of `area` may refer to or give an action."""
    return Service.objects.filter(is_active=True, areas=area).order_by("name")


class ConcludeForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (AgendaItemResult.TAKEN, "I take it on"),
            (AgendaItemResult.REFERRED, "Refer it or pass it on"),
            (AgendaItemResult.CLOSED, "Close it"),
        ],
        widget=forms.RadioSelect,
        label="What did the meeting decide?",
        error_messages={"required": "Choose what the meeting decided."},
    )
    service = ListedModelChoiceField(
        queryset=Service.objects.none(),
        required=False,
        label="Refer to a service",
        empty_label="Choose a service",
    )
    key_worker = TextField(required=False, max_length=200, what="Key worker", label="Or name the key worker")
    reason = forms.ChoiceField(
        choices=[("", "Choose a reason"), *CLOSE_REASONS], required=False, label="Why close it?"
    )
    note = TextField(
        max_length=1000, multiline=True, rows=2, required=False, what="The note", label="Note (optional)"
    )

    def __init__(self, *args, area: Area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services_to_refer_to(area)
        if not self.is_bound:
            # The meeting page shows this form under every undecided item: read the services
            # once, not once per item (nor again for the action form: `service_choices`).
            self.fields["service"].choices = list(self.fields["service"].choices)

    def service_choices(self) -> list:
        return self.fields["service"].choices

    def for_item(self, item_pk: int) -> ConcludeForm:
        """This empty form with ids of the item's own: it is shown under every undecided
        item, and each item's boxes need distinct ids for their labels. A copy, not a new
        form, so that the services are read once for the page."""
        form = copy.copy(self)
        form.auto_id = f"id_item{item_pk}_decide_%s"
        form._bound_fields_cache = {}
        return form

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if (
            decision == AgendaItemResult.REFERRED
            and not cleaned.get("service")
            and not cleaned.get("key_worker")
        ):
            raise forms.ValidationError("Choose a service from the directory or name the key worker.")
        if decision == AgendaItemResult.CLOSED:
            reason = cleaned.get("reason")
            if not reason:
                raise forms.ValidationError("Choose why the concern is closed.")
            if reason == "Other":
                if not cleaned.get("note"):
                    raise forms.ValidationError("Say why the concern is closed, in the note.")
                cleaned["reason"] = cleaned["note"][:150]
        return cleaned

    def details(self) -> dict:
        data = self.cleaned_data
        return {
            "decision": data["decision"],
            "note": data.get("note", ""),
            "service": data.get("service"),
            "key_worker": data.get("key_worker", ""),
            "reason": data.get("reason", ""),
        }


class RaiseConcernForm(ReportConcernForm):
    """A concern a volunteer raises at a coffee morning, recorded by the coordinator."""

    volunteer = ListedModelChoiceField(
        queryset=User.objects.none(),
        label="Which volunteer raised it?",
        error_messages={
            "required": "Choose the volunteer who raised it.",
            "invalid_choice": "Choose a volunteer of this area from the list.",
        },
    )
    field_order = ["volunteer", "client"]

    def __init__(self, *args, user: User, meeting: Meeting, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["volunteer"].queryset = people_with_role_in(Role.VOLUNTEER, [meeting.area_id]).order_by(
            "first_name", "last_name"
        )
        self.fields["volunteer"].label_from_instance = _person
        self.fields["client"].queryset = Client.objects.filter(area=meeting.area, status=Client.Status.ACTIVE)
        self.fields["client"].label_from_instance = lambda client: f"{client.full_name} ({client.postcode})"
        self.fields["client"].error_messages["invalid_choice"] = "Choose a client of this area from the list."
        self.fields["observed_at"].error_messages["required"] = "Say when the volunteer saw it."


class ActionForm(OneTimeSubmissionForm):
    item = ListedModelChoiceField(
        queryset=None, required=False, label="About", empty_label="The meeting in general"
    )
    what = TextField(
        max_length=500,
        what="The action",
        label="What is to be done",
        error_messages={"required": "Say what is to be done."},
    )
    owner = ListedModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Key worker (a person at the meeting)",
        empty_label="Choose a person",
    )
    service = ListedModelChoiceField(
        queryset=Service.objects.none(), required=False, label="Or a service", empty_label="Choose a service"
    )
    due_on = DateWindowField(
        earliest=timezone.localdate,
        latest=a_year_ahead,
        too_early_message="The due date cannot be in the past.",
        too_late_message="The due date must be within a year from today. Check the year.",
        label="Due",
        error_messages={"required": "Give the date it is due."},
    )

    def __init__(
        self, *args, meeting: Meeting, items, items_read=None, attendances=None, services=None, **kwargs
    ):
        """The agenda items (`items_read`), `attendances` and `services`, when the page has
        read them already, are listed as they are rather than read again. Only an empty form
        is shown that way: a posted one is checked against the database."""
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["item"].label_from_instance = lambda item: (
            f"{item.client.full_name}" + (f": {item.risk.category.name}" if item.risk_id else "")
        )
        self.fields["owner"].queryset = User.objects.filter(attendances__meeting=meeting).order_by(
            "first_name", "last_name"
        )
        self.fields["owner"].label_from_instance = _person
        self.fields["service"].queryset = services_to_refer_to(meeting.area_id)
        if self.is_bound:
            return
        if items_read is not None:
            self.fields["item"].choices = [("", self.fields["item"].empty_label)] + [
                (item.pk, self.fields["item"].label_from_instance(item)) for item in items_read
            ]
        if attendances is not None:
            people = sorted(
                (attendance.person for attendance in attendances),
                key=lambda person: (person.first_name, person.last_name, person.pk),
            )
            self.fields["owner"].choices = [("", self.fields["owner"].empty_label)] + [
                (person.pk, _person(person)) for person in people
            ]
        if services is not None:
            # The same services, under this form's own words for choosing none.
            self.fields["service"].choices = [("", self.fields["service"].empty_label), *services[1:]]

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("owner")) == bool(cleaned.get("service")):
            raise forms.ValidationError(
                "Choose who owns the action: a person at the meeting or a service (one, not both)."
            )
        return cleaned


class OutcomeAtMeetingForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of outcome",
        choices=[("", "Choose one"), *OutcomeKind.choices],
        error_messages={
            "required": "Choose what kind of outcome it was.",
            "invalid_choice": "Choose what kind of outcome it was from the list.",
        },
        help_text="For the programme's reports: what difference the concern made.",
    )
    staff_summary = TextField(
        max_length=2000,
        multiline=True,
        rows=2,
        what="What happened (for staff)",
        label="What happened (for staff)",
        error_messages={"required": "Say what happened, for staff."},
    )
    volunteer_message = TextField(
        max_length=2000,
        multiline=True,
        rows=2,
        what="Message for the volunteer",
        label="Message for the volunteer",
        help_text="They see it only if the client agreed they may be told what happened.",
        error_messages={"required": "Write the message for the volunteer who raised it."},
    )


class AddClientForm(forms.Form):
    client = ListedModelChoiceField(
        queryset=Client.objects.none(),
        label="Client",
        empty_label="Choose a client",
        error_messages={
            "required": "Choose the client to add.",
            "invalid_choice": "Choose a client from the list: "
            "only clients who agreed to be discussed can be added.",
        },
    )
    risk = ListedModelChoiceField(
        queryset=RiskReport.objects.none(), required=False, label="About a concern (optional)"
    )
    minutes = forms.IntegerField(
        min_value=SLOT_MINUTES[0],
        max_value=SLOT_MINUTES[1],
        initial=10,
        label="Minutes for this client",
        error_messages=MINUTES_MESSAGES,
    )

    def __init__(self, *args, candidates, practice: GPPractice, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = candidates
        self.fields["client"].label_from_instance = lambda client: (
            f"{client.full_name} (born {client.date_of_birth:%-d %b %Y})"
        )
        self.fields["risk"].queryset = (
            RiskReport.objects.open()
            .filter(client__in=candidates)
            .select_related("client", "category")
            .order_by("-reported_at")
        )
        self.fields["risk"].label_from_instance = lambda risk: (
            f"{risk.client.full_name}: {risk.category.name} "
            f"({risk.get_severity_display().lower()}), {risk.get_route_display().lower()}"
        )

    def clean(self):
        cleaned = super().clean()
        risk, client = cleaned.get("risk"), cleaned.get("client")
        if risk and client and risk.client_id != client.pk:
            self.add_error("risk", "Choose a concern about this client, or none.")
        return cleaned


class MinutesForm(forms.Form):
    minutes = forms.IntegerField(
        min_value=SLOT_MINUTES[0], max_value=SLOT_MINUTES[1], label="Minutes", error_messages=MINUTES_MESSAGES
    )


class VolunteerChoiceForm(forms.Form):
    volunteer = ListedModelChoiceField(
        queryset=Volunteer.objects.none(),
        label="Volunteer",
        empty_label="Choose the volunteer",
        error_messages={
            "required": "Choose the volunteer.",
            "invalid_choice": "Choose a volunteer who visits this client, from the list.",
        },
    )
    conflict_reason = TextField(
        max_length=300,
        required=False,
        what="Why it is acceptable",
        label="If the volunteer is a patient of this practice: why is that acceptable?",
    )
    confirm = forms.BooleanField(required=False, label="I have checked every condition of the protocol")

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = (
            Volunteer.objects.filter(allocations__in=item.client.allocations.active())
            .select_related("user")
            .distinct()
        )
        self.fields["volunteer"].label_from_instance = lambda volunteer: volunteer.name


class ProtocolForm(forms.Form):
    text = TextField(
        max_length=PROTOCOL_MAX_LENGTH,
        multiline=True,
        rows=12,
        what="The protocol",
        label="The local protocol",
        help_text="What volunteers at this practice's meeting agree to, "
        "and how the meeting protects other patients.",
        error_messages={"required": "Write the protocol."},
    )
