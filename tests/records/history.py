"""A client's whole history, made the way the application makes it: consent given and
withdrawn, a volunteer's visits, a concern from report to outcome (its timeline, referral
and good news), a meeting that discussed it with an action, a success story, and looks at
the record in the access log."""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from clients.models import ConsentScope
from clients.services import client_access_log, consent_give, consent_withdraw
from meetings.models import Action, AgendaItem, Meeting, MeetingKind
from risks import services as risk_services
from stories.models import SuccessStory
from tests.risks.factories import RiskReportFactory


def full_history(*, client, volunteer_user, coordinator, today) -> SimpleNamespace:
    mdt = consent_give(
        client=client, scope=ConsentScope.SHARE_WITH_MDT, given_on=today, how_given="verbal", by=coordinator
    )
    consent_withdraw(consent=mdt, by=coordinator, note="Changed her mind.")
    consent_give(
        client=client,
        scope=ConsentScope.OUTCOME_TO_VOLUNTEER,
        given_on=today,
        how_given="written",
        by=coordinator,
    )
    concern = RiskReportFactory(client=client, reported_by=volunteer_user)
    risk_services.risk_triage(risk=concern, by=coordinator)
    risk_services.risk_escalate(risk=concern, by=coordinator, key_worker="Jan at the surgery")
    outcome = risk_services.risk_record_outcome(
        risk=concern,
        by=coordinator,
        kind="support_arranged",
        staff_summary=f"Grab rail fitted for {client.first_name}.",
        volunteer_message=f"{client.first_name} has a new grab rail thanks to you.",
    )
    starts = timezone.now() - datetime.timedelta(days=1)
    meeting = Meeting.objects.create(
        kind=MeetingKind.FORMAL,
        area=client.area,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        place="Penzance library",
        chair=coordinator,
        created_by=coordinator,
    )
    item = AgendaItem.objects.create(
        meeting=meeting,
        risk=concern,
        client=client,
        added_by=coordinator,
        discussion_note="Discussed the rail.",
    )
    # An item about the client with no concern of its own.
    AgendaItem.objects.create(
        meeting=meeting,
        client=client,
        position=1,
        added_by=coordinator,
        discussion_note="How she is settling in.",
    )
    action = Action.objects.create(
        meeting=meeting,
        item=item,
        what="Check the rail is used",
        owner=coordinator,
        due_on=today,
        created_by=coordinator,
    )
    story = SuccessStory.objects.create(
        outcome=outcome,
        area=client.area,
        title="A rail in time",
        body="A volunteer noticed.",
        written_by=coordinator,
    )
    client_access_log(client=client, user=coordinator, page="record")
    return SimpleNamespace(
        concern=concern, outcome=outcome, meeting=meeting, item=item, action=action, story=story
    )
