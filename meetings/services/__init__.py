"""Planning and running meetings. Every change checks who is asking and the meeting's
state, writes in one transaction, and sends its invitations through the outbox; what a
meeting decides about a concern goes through the risk services, so the concern's timeline
says where it was decided.

The services are grouped by what they are about: `planning` (plan, invite, move, cancel,
attendance, notes, the agenda's order, finalise), `formal` (the formal meeting route),
`coffee` (coffee mornings), `mdt` (MDT meetings, the local protocol, summaries), `actions`
(actions and outcomes), with `invitations`, `agenda` (slots) and `base` (shared checks)
beneath them. Callers use `from meetings import services` and the names below."""

from meetings.services.actions import (
    action_add,
    action_complete,
    agenda_item_record_outcome,
)
from meetings.services.agenda import (
    Slot,
    agenda_slots,
    volunteer_windows,
    volunteers_leave_at,
)
from meetings.services.base import (
    EARLIEST_START,
    LONGEST,
    SLOT_MINUTES,
    check_times,
)
from meetings.services.coffee import (
    RaisedConcern,
    coffee_concern_raise,
    coffee_mornings_chase_unfinalised,
)
from meetings.services.formal import (
    Conclusion,
    agenda_item_conclude,
    formal_agenda_add,
    formal_agenda_gather,
    next_formal_meeting,
    on_risk_reported,
)
from meetings.services.invitations import (
    invitation_file,
    works_in,
)
from meetings.services.mdt import (
    Condition,
    current_protocol,
    mdt_access_expire,
    mdt_agenda_add,
    mdt_agenda_publish,
    mdt_agenda_remove,
    mdt_candidates,
    mdt_volunteer_confirm,
    mdt_volunteer_remove,
    on_consent_withdrawn,
    protocol_checklist,
    protocol_publish,
)
from meetings.services.planning import (
    ClientNamesFound,
    MeetingDetails,
    agenda_item_move,
    agenda_item_set_minutes,
    attendance_record,
    client_names_in,
    items_without_owner,
    meeting_cancel,
    meeting_finalise,
    meeting_invite,
    meeting_mark_held,
    meeting_notes_save,
    meeting_plan,
    meeting_reschedule,
)

__all__ = [
    "EARLIEST_START",
    "LONGEST",
    "SLOT_MINUTES",
    "ClientNamesFound",
    "Conclusion",
    "Condition",
    "MeetingDetails",
    "RaisedConcern",
    "Slot",
    "action_add",
    "action_complete",
    "agenda_item_conclude",
    "agenda_item_move",
    "agenda_item_record_outcome",
    "agenda_item_set_minutes",
    "agenda_slots",
    "attendance_record",
    "check_times",
    "client_names_in",
    "coffee_concern_raise",
    "coffee_mornings_chase_unfinalised",
    "current_protocol",
    "formal_agenda_add",
    "formal_agenda_gather",
    "invitation_file",
    "items_without_owner",
    "mdt_access_expire",
    "mdt_agenda_add",
    "mdt_agenda_publish",
    "mdt_agenda_remove",
    "mdt_candidates",
    "mdt_volunteer_confirm",
    "mdt_volunteer_remove",
    "meeting_cancel",
    "meeting_finalise",
    "meeting_invite",
    "meeting_mark_held",
    "meeting_notes_save",
    "meeting_plan",
    "meeting_reschedule",
    "next_formal_meeting",
    "on_consent_withdrawn",
    "on_risk_reported",
    "protocol_checklist",
    "protocol_publish",
    "volunteer_windows",
    "volunteers_leave_at",
    "works_in",
]
