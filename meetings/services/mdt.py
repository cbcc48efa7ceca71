"""Multi-Disciplinary Team meetings: the consented agenda, the local protocol and its
checklist, volunteers presenting their clients, and access to the summaries."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from clients.models import Client, Consent, ConsentScope
from livingwell.accounts.models import GPPractice, User
from livingwell.notifications.models import Notification
from livingwell.notifications.services import notify
from livingwell.text import clean_text
from meetings import access
from meetings.models import (
    PROTOCOL_MAX_LENGTH,
    AgendaItem,
    Attendance,
    AttendanceRole,
    LocalProtocol,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from meetings.services.agenda import (
    _next_position,
    agenda_slots,
    volunteer_windows,
)
from meetings.services.base import (
    SLOT_MINUTES,
    _check_may_plan,
    _check_open,
    _check_runs,
    _locked,
    _time,
)
from meetings.services.invitations import (
    _send_invitation,
    _tell_volunteers_their_new_times,
    invitation_file,
)
from risks.models import RiskReport
from volunteers.models import Volunteer

# --- MDT meetings -------------------------------------------------------------------------------


def mdt_candidates(meeting: Meeting):
    """Clients the chair may put on this MDT agenda: the practice's clients with active
    consent to be discussed, who are not on it yet, with their open concerns routed here
    first."""
    consented = Consent.objects.active().filter(scope=ConsentScope.SHARE_WITH_MDT).values("client")
    return (
        Client.objects.filter(gp_practice=meeting.practice, pk__in=consented)
        .exclude(status=Client.Status.CLOSED)
        .exclude(agenda_items__meeting=meeting)
        .order_by("last_name", "first_name", "pk")
    )


def _active_consent(client: Client, scope: str, *, lock: bool = False) -> Consent | None:
    consents = Consent.objects.active().filter(client=client, scope=scope)
    if lock:
        # Serialises with a withdrawal in progress: once it commits, this reads it as withdrawn.
        consents = consents.select_for_update()
    return consents.first()


@transaction.atomic
def mdt_agenda_add(
    *, meeting: Meeting, by: User, client: Client, risk: RiskReport | None = None, minutes: int = 10
) -> AgendaItem:
    """Put a client on an MDT agenda: only with their active consent to be discussed there."""
    meeting = _locked(meeting)
    _check_runs(by, meeting)
    if not meeting.is_mdt:
        raise ValidationError("Clients are put on Multi-Disciplinary Team meeting agendas this way.")
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError("Clients can be added to a planned meeting only.")
    if client.gp_practice_id != meeting.practice_id:
        raise ValidationError(f"{client.full_name} is not a patient of {meeting.practice.name}.")
    if _active_consent(client, ConsentScope.SHARE_WITH_MDT, lock=True) is None:
        raise ValidationError(
            f"{client.full_name} has not agreed to be discussed at this meeting, so they cannot be "
            "added. Their coordinator can record their consent if they give it."
        )
    if meeting.items.filter(client=client).exists():
        raise ValidationError(f"{client.full_name} is already on the agenda.")
    if risk is not None and risk.client_id != client.pk:
        raise ValidationError("That concern is about someone else.")
    low, high = SLOT_MINUTES
    if not low <= minutes <= high:
        raise ValidationError(f"Give each item between {low} and {high} minutes.")
    item = AgendaItem.objects.create(
        meeting=meeting,
        client=client,
        risk=risk,
        minutes=minutes,
        position=_next_position(meeting),
        added_by=by,
    )
    access.summary_access_sync(client)
    return item


@transaction.atomic
def mdt_agenda_remove(*, item: AgendaItem, by: User) -> None:
    meeting = _locked(item.meeting)
    _check_runs(by, meeting)
    _check_open(meeting, "changing the agenda")
    # Read again: who presents it may have changed since the caller loaded it.
    item = AgendaItem.objects.select_related("client", "presenter").get(pk=item.pk)
    item.meeting = meeting
    client = item.client
    before = volunteer_windows(meeting)
    if item.presented_by_volunteer:
        _remove_volunteer(item)
    item.delete()
    _tell_volunteers_their_new_times(meeting, before)
    access.summary_access_sync(client)


@transaction.atomic
def mdt_agenda_publish(*, meeting: Meeting, by: User) -> Meeting:
    """Publish the agenda: the chair and the clinicians invited now see the summaries of the
    clients on it, and are told it is ready."""
    meeting = _locked(meeting)
    _check_runs(by, meeting)
    if not meeting.is_mdt or meeting.status != MeetingStatus.PLANNED:
        raise ValidationError("Only a planned Multi-Disciplinary Team meeting's agenda is published.")
    if not meeting.items.exists():
        raise ValidationError("Put at least one client on the agenda before publishing it.")
    first_time = meeting.agenda_published_at is None
    if first_time:
        meeting.agenda_published_at = timezone.now()
        meeting.save(update_fields=["agenda_published_at"])
    for client in Client.objects.filter(agenda_items__meeting=meeting).distinct():
        access.summary_access_sync(client)
    if not first_time:
        return meeting  # a repeated press tells nobody twice
    for attendance in meeting.attendances.filter(role=AttendanceRole.CLINICIAN).select_related("person"):
        notify(
            recipient=attendance.person,
            kind=Notification.Kind.MEETING,
            title=f"Agenda ready: {meeting.title}"[:200],
            body="The agenda and the summaries of the clients on it are ready to read.",
            link=f"/meetings/{meeting.pk}/",
        )
    return meeting


def on_consent_withdrawn(sender, *, consent: Consent, by: User, **kwargs) -> None:
    """Withdrawn consent ends what depended on it, in the same transaction: without consent
    to be discussed, the client leaves every open MDT agenda; without consent for their
    volunteer to attend, the volunteer stops presenting them."""
    open_items = AgendaItem.objects.filter(
        client=consent.client,
        meeting__kind=MeetingKind.MDT,
        meeting__status__in=[MeetingStatus.PLANNED, MeetingStatus.HELD],
    )
    if consent.scope == ConsentScope.SHARE_WITH_MDT:
        for item in open_items.filter(presented_by_volunteer=True).select_related("meeting", "presenter"):
            _remove_volunteer(item)
        open_items.delete()
        access.summary_access_sync(consent.client)
    elif consent.scope == ConsentScope.VOLUNTEER_AT_MDT:
        for item in open_items.filter(presented_by_volunteer=True):
            _remove_volunteer(item)


def _remove_volunteer(item: AgendaItem) -> None:
    volunteer = item.presenter
    item.presenter, item.presented_by_volunteer = None, False
    item.protocol, item.protocol_confirmed_by, item.protocol_confirmed_at = None, None, None
    item.save(
        update_fields=[
            "presenter",
            "presented_by_volunteer",
            "protocol",
            "protocol_confirmed_by",
            "protocol_confirmed_at",
        ]
    )
    meeting = item.meeting
    if volunteer and not meeting.items.filter(presenter=volunteer, presented_by_volunteer=True).exists():
        attendance = meeting.attendances.filter(person=volunteer, role=AttendanceRole.VOLUNTEER).first()
        if attendance is not None and meeting.status == MeetingStatus.PLANNED:
            # Their calendar holds the invitation: send its cancellation, so that they do not
            # come to a meeting where only other clients are discussed.
            Meeting.objects.filter(pk=meeting.pk).update(invitation_sequence=F("invitation_sequence") + 1)
            meeting.invitation_sequence = Meeting.objects.values_list("invitation_sequence", flat=True).get(
                pk=meeting.pk
            )
            notify(
                recipient=volunteer,
                kind=Notification.Kind.MEETING,
                title=f"You are no longer needed: {meeting.title}"[:200],
                body="Your client's item is no longer presented by you, so you need not come. Thank you.",
                link="/notifications/",
                attachment=invitation_file(meeting, attendance=attendance, cancelled=True),
            )
        if attendance is not None:
            attendance.delete()


# --- The local protocol and its checklist -----------------------------------------------------


def current_protocol(practice: GPPractice) -> LocalProtocol | None:
    return practice.protocols.order_by("-version").first()


@transaction.atomic
def protocol_publish(*, practice: GPPractice, by: User, text: str) -> LocalProtocol:
    """A new version of the practice's local protocol (earlier versions are kept)."""
    _check_may_plan(by, MeetingKind.MDT, practice.area, practice)
    GPPractice.objects.select_for_update().get(pk=practice.pk)
    text = clean_text(
        text,
        max_length=PROTOCOL_MAX_LENGTH,
        multiline=True,
        required=True,
        what="The protocol",
        required_message="Write the protocol.",
    )
    current = current_protocol(practice)
    if current is not None and current.text == text:
        raise ValidationError("This is the same as the current version.")
    return LocalProtocol.objects.create(
        practice=practice, version=(current.version + 1) if current else 1, text=text, published_by=by
    )


@dataclass(frozen=True)
class Condition:
    name: str
    met: bool
    detail: str


def protocol_checklist(
    *, item: AgendaItem, volunteer: Volunteer, conflict_reason: str = ""
) -> list[Condition]:
    """Every condition of the local protocol for `volunteer` to present `item`, met or
    not, each with the reason in plain words."""
    meeting, client = item.meeting, item.client
    practice = meeting.practice
    name = volunteer.name
    version = settings.CONFIDENTIALITY_AGREEMENT_VERSION
    visits = client.allocations.active().filter(volunteer=volunteer).exists()
    consents = _active_consent(client, ConsentScope.VOLUNTEER_AT_MDT) is not None
    opted_in = volunteer.mdt_opt_in and volunteer.status == Volunteer.Status.ACTIVE
    signed = volunteer.agreements.filter(version=version).exists()
    welcomes = practice.mdt_welcomes_volunteers
    patient_here = volunteer.own_gp_practice_id == practice.pk
    protocol = current_protocol(practice)
    return [
        Condition(
            "visits",
            visits,
            f"{name} visits {client.full_name}." if visits else f"{name} does not visit {client.full_name}.",
        ),
        Condition(
            "client_consent",
            consents,
            f"{client.full_name} agreed that their volunteer may attend and speak for them."
            if consents
            else f"{client.full_name} has not agreed that their volunteer may attend this meeting.",
        ),
        Condition(
            "opted_in",
            opted_in,
            f"{name} has chosen to attend Multi-Disciplinary Team meetings."
            if opted_in
            else f"{name} has not chosen to attend Multi-Disciplinary Team meetings.",
        ),
        Condition(
            "agreement",
            signed,
            f"{name} signed version {version} of the confidentiality agreement."
            if signed
            else f"{name} has not signed the current confidentiality agreement (version {version}).",
        ),
        Condition(
            "practice_welcomes",
            welcomes,
            f"{practice.name} welcomes volunteers at this meeting."
            if welcomes
            else f"{practice.name} does not take part in the trial of volunteers at this meeting.",
        ),
        Condition(
            "not_a_patient",
            not patient_here or bool(conflict_reason.strip()),
            f"{name} is not a patient of {practice.name}."
            if not patient_here
            else (
                f"{name} is a patient of {practice.name}; you recorded why that is acceptable."
                if conflict_reason.strip()
                else f"{name} is a patient of {practice.name}: "
                "record why that is acceptable, or choose another volunteer."
            ),
        ),
        Condition(
            "protocol",
            protocol is not None,
            f"The practice's local protocol, version {protocol.version}, applies."
            if protocol
            else f"{practice.name} has no local protocol for volunteers yet: publish one first.",
        ),
    ]


@transaction.atomic
def mdt_volunteer_confirm(
    *, item: AgendaItem, by: User, volunteer: Volunteer, conflict_reason: str = ""
) -> AgendaItem:
    """The chair confirms, after the checklist, that `volunteer` presents `item`. Every
    condition is checked again here; the confirmation records who, when and the protocol
    version. The volunteer's items come first, and they are invited to their slots only."""
    meeting = _locked(item.meeting)
    _check_runs(by, meeting)
    if not meeting.is_mdt or meeting.status != MeetingStatus.PLANNED:
        raise ValidationError("A volunteer can be added to a planned Multi-Disciplinary Team meeting only.")
    item = (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("client", "meeting__practice")
        .get(pk=item.pk)
    )
    item.meeting = meeting
    conflict_reason = clean_text(conflict_reason, max_length=300, what="Why it is acceptable")
    _active_consent(item.client, ConsentScope.VOLUNTEER_AT_MDT, lock=True)
    unmet = [
        condition
        for condition in protocol_checklist(item=item, volunteer=volunteer, conflict_reason=conflict_reason)
        if not condition.met
    ]
    if unmet:
        raise ValidationError([condition.detail for condition in unmet], code="protocol")
    if item.presented_by_volunteer and item.presenter_id and item.presenter_id != volunteer.user_id:
        raise ValidationError("Another volunteer presents this item.")
    before = volunteer_windows(meeting)
    item.presenter, item.presented_by_volunteer = volunteer.user, True
    item.protocol = current_protocol(meeting.practice)
    item.protocol_confirmed_by, item.protocol_confirmed_at = by, timezone.now()
    item.conflict_reason = conflict_reason if volunteer.own_gp_practice_id == meeting.practice_id else ""
    item.save()
    attendance = Attendance.objects.filter(meeting=meeting, person=volunteer.user).first()
    if attendance is None:
        attendance = Attendance.objects.create(
            meeting=meeting, person=volunteer.user, role=AttendanceRole.VOLUNTEER
        )
    attendance.meeting = meeting
    slots = [slot for slot in agenda_slots(meeting) if slot.item.presenter_id == volunteer.user_id]
    _send_invitation(
        attendance,
        heading="You are invited to speak for your client",
        detail=(
            f"Please arrive by {_time(slots[0].starts_at)}; you can leave at {_time(slots[-1].ends_at)}, "
            "before other patients are discussed."
        ),
    )
    _tell_volunteers_their_new_times(meeting, before, except_person=volunteer.user_id)
    return item


@transaction.atomic
def mdt_volunteer_remove(*, item: AgendaItem, by: User) -> AgendaItem:
    meeting = _locked(item.meeting)
    _check_runs(by, meeting)
    _check_open(meeting, "changing the agenda")
    item = AgendaItem.objects.select_related("meeting", "presenter").get(pk=item.pk)
    if item.presented_by_volunteer:
        before = volunteer_windows(meeting)
        item.meeting = meeting
        _remove_volunteer(item)
        _tell_volunteers_their_new_times(meeting, before)
    return item


def mdt_access_expire(*, now=None) -> int:
    """End summary access that has passed its time (the getter already refuses it; this
    removes the grant). Returns how many clients were checked."""
    from clients.access import MDT_SUMMARY
    from clients.models import ClientUserObjectPermission

    client_ids = ClientUserObjectPermission.objects.filter(permission__codename=MDT_SUMMARY).values(
        "content_object"
    )
    clients = Client.objects.filter(pk__in=client_ids)
    count = 0
    for client in clients.iterator():
        with transaction.atomic():
            access.summary_access_sync(client, now)
        count += 1
    return count
