"""The scene the authorisation matrix asks about: one client of West Cornwall, Elsie Trewin,
and everything around her, made through the services as the application makes it, with one
person of every kind the matrix has a column for (`KINDS` in tests/security/matrix.py).

- Vera visits Elsie and raised the concern about her; Victor visits another West client
  (Jack) and not Elsie; Lena visited Elsie until her allocation ended.
- Cora and Tom are the coordinator and team leader of West Cornwall, Cory and Tess those
  of East Cornwall; Carl and Tilly worked in West Cornwall until their membership ended.
- Dr Chen chairs Alverton Practice's MDT meeting with Elsie on its agenda, and its nurse is
  invited (both were granted Elsie's MDT summary by the agenda); Dr Hall and a second nurse
  work at Alverton but are not part of that meeting; Dr Page and a nurse work at another
  practice.
- Mona manages West Cornwall's organisation; Ada is the superuser who runs the admin site.

Objects: Elsie's concern (on the MDT meeting's agenda), one nobody has triaged yet, one with
an outcome and a published story about it, a draft story, one outcome with no story yet,
West's formal meeting and coffee morning, the MDT meeting with an action, a notification of
Vera's, a directory service, an on-call shift, a trial, and a row of every model that only
the admin site shows."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_static.models import StaticDevice
from guardian.shortcuts import assign_perm

from clients.models import Allocation, ConsentScope
from clients.services import allocation_end
from livingwell.accounts.models import AreaMembership, PasswordResetRequest, SecondFactorLock
from livingwell.accounts.roles import Role
from livingwell.accounts.services import area_membership_end
from livingwell.notifications.models import Notification
from livingwell.records import services as record_services
from livingwell.reports import services as report_services
from livingwell.reports.models import MonthlySummary, ReportExport, TrialModel
from meetings import services as meeting_services
from meetings.models import AttendanceRole, MeetingKind
from stories.models import StoryDigest, StoryStatus
from stories.services import story_publish, story_submit, story_write
from tests.factories import (
    AreaFactory,
    ClientFactory,
    DBSCheckFactory,
    GPPracticeFactory,
    TrainingRecordFactory,
    UserFactory,
    VolunteerFactory,
)
from tests.meetings.fixtures import consent, local, ready_for_mdt
from tests.risks.factories import (
    OnCallShiftFactory,
    RiskReportFactory,
    ServiceFactory,
    category,
    ensure_visits,
)
from tests.stories.factories import CLEAN_BODY, CLEAN_TITLE, outcome_for


def build_scene() -> SimpleNamespace:
    today = timezone.localdate()
    west = AreaFactory(name="West Cornwall")
    east = AreaFactory(name="East Cornwall")
    practice = GPPracticeFactory(name="Alverton Practice", area=west, mdt_welcomes_volunteers=True)
    east_practice = GPPracticeFactory(name="Liskeard Practice", area=east)
    other_practice = GPPracticeFactory(name="Morrab Surgery", area=west)

    def staff(username, role, area):
        return UserFactory(username=username, roles=[role], areas=[area])

    def volunteer(username, first, last, area):
        return VolunteerFactory(
            user__username=username, user__first_name=first, user__last_name=last, areas=[area]
        )

    cora = staff("cora", Role.COORDINATOR, west)
    tom = staff("tom", Role.TEAM_LEADER, west)
    vera = volunteer("vera", "Vera", "Pascoe", west)
    victor = volunteer("victor", "Victor", "Opie", west)
    lena = volunteer("lena", "Lena", "Kemp", west)
    chair = UserFactory(
        username="drchen", first_name="Wei", last_name="Chen", roles=[Role.MDT_CHAIR], practices=[practice]
    )
    nurse = UserFactory(
        username="nurse",
        first_name="Nerys",
        last_name="Hocking",
        roles=[Role.CLINICIAN],
        practices=[practice],
    )
    people = {
        "anonymous": None,
        "volunteer": vera.user,
        "volunteer_unallocated": victor.user,
        "volunteer_left": lena.user,
        "coordinator": cora,
        "coordinator_other_area": staff("cory", Role.COORDINATOR, east),
        "coordinator_left": staff("carl", Role.COORDINATOR, west),
        "team_leader": tom,
        "team_leader_other_area": staff("tess", Role.TEAM_LEADER, east),
        "team_leader_left": staff("tilly", Role.TEAM_LEADER, west),
        "mdt_chair": chair,
        "clinician": nurse,
        "mdt_chair_not_attending": UserFactory(
            username="drhall", roles=[Role.MDT_CHAIR], practices=[practice]
        ),
        "clinician_not_attending": UserFactory(
            username="nurse2", roles=[Role.CLINICIAN], practices=[practice]
        ),
        "mdt_chair_other_practice": UserFactory(
            username="drpage", roles=[Role.MDT_CHAIR], practices=[other_practice]
        ),
        "clinician_other_practice": UserFactory(
            username="nurse3", roles=[Role.CLINICIAN], practices=[other_practice]
        ),
        "manager": UserFactory(username="mona", roles=[Role.MANAGER], areas=[west]),
        "superuser": UserFactory(username="ada", is_staff=True, is_superuser=True),
    }

    elsie = ClientFactory(first_name="Elsie", last_name="Trewin", gp_practice=practice)
    jack = ClientFactory(first_name="Jack", last_name="Nankervis", gp_practice=practice)
    ensure_visits(elsie, vera.user)
    ensure_visits(jack, victor.user)
    ensure_visits(elsie, lena.user)
    allocation_end(allocation=Allocation.objects.get(client=elsie, volunteer=lena), by=cora)
    for scope in (
        ConsentScope.SHARE_WITH_MDT,
        ConsentScope.VOLUNTEER_AT_MDT,
        ConsentScope.OUTCOME_TO_VOLUNTEER,
    ):
        consent(elsie, scope, cora)
    ready_for_mdt(vera)

    formal = meeting_services.meeting_plan(
        by=cora,
        kind=MeetingKind.FORMAL,
        area=west,
        starts_at=local(today + datetime.timedelta(days=3), 14),
        ends_at=local(today + datetime.timedelta(days=3), 16),
        place="Penzance Library",
        invitees=[(tom, AttendanceRole.TEAM_LEADER), (vera.user, AttendanceRole.VOLUNTEER)],
    )
    falls = category("falls-mobility")
    risk = RiskReportFactory(
        client=elsie,
        reported_by=vera.user,
        category=falls,
        what_was_seen="Elsie had a fall on the stairs and could not get up for an hour.",
    )
    resolved = RiskReportFactory(
        client=elsie,
        reported_by=vera.user,
        category=category("heating-cold"),
        what_was_seen="The heating was off.",
    )
    outcome = outcome_for(resolved, cora)
    published = story_write(by=cora, outcome=outcome, title=CLEAN_TITLE, body=CLEAN_BODY)
    story_submit(story=published, by=cora)
    story_publish(story=published, by=people["manager"])
    draft_outcome = outcome_for(
        RiskReportFactory(client=elsie, reported_by=vera.user, category=falls, what_was_seen="No food in."),
        cora,
    )
    draft = story_write(by=cora, outcome=draft_outcome, title=CLEAN_TITLE, body=CLEAN_BODY)
    assert draft.status == StoryStatus.DRAFT

    meeting_services.protocol_publish(
        practice=practice, by=chair, text="Volunteers come for their own client only and leave after."
    )
    mdt = meeting_services.meeting_plan(
        by=chair,
        kind=MeetingKind.MDT,
        practice=practice,
        starts_at=local(today + datetime.timedelta(days=6), 10),
        ends_at=local(today + datetime.timedelta(days=6), 11, 30),
        place="Alverton Practice, meeting room 2",
        invitees=[(nurse, AttendanceRole.CLINICIAN)],
    )
    elsie_item = meeting_services.mdt_agenda_add(meeting=mdt, by=chair, client=elsie, risk=risk, minutes=15)
    meeting_services.mdt_volunteer_confirm(item=elsie_item, by=chair, volunteer=vera)
    meeting_services.mdt_agenda_publish(meeting=mdt, by=chair)
    action = meeting_services.action_add(
        meeting=mdt,
        by=chair,
        item=elsie_item,
        what="Book a falls assessment.",
        owner=nurse,
        due_on=today + datetime.timedelta(days=14),
    )
    elsie_item.refresh_from_db()

    # Staff who left West Cornwall, after the things they could once see were made.
    for kind in ("coordinator_left", "team_leader_left"):
        area_membership_end(membership=AreaMembership.objects.get(user=people[kind], area=west), by=cora)

    trial = report_services.trial_create(
        by=people["manager"],
        title="Volunteers at Alverton's meeting",
        model=TrialModel.VOLUNTEERS_AT_MDT,
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today - datetime.timedelta(days=1),
        practice=practice,
    )
    coffee = meeting_services.meeting_plan(
        by=cora,
        kind=MeetingKind.COFFEE_MORNING,
        area=west,
        starts_at=local(today + datetime.timedelta(days=4), 10, 30),
        ends_at=local(today + datetime.timedelta(days=4), 12),
        place="St John's Hall, Penzance",
        invitees=[(vera.user, AttendanceRole.VOLUNTEER)],
    )
    fresh_outcome = outcome_for(
        RiskReportFactory(
            client=elsie, reported_by=vera.user, category=falls, what_was_seen="Lost her keys."
        ),
        cora,
    )
    # A concern nobody has triaged yet, for the transitions.
    untriaged = RiskReportFactory(
        client=elsie, reported_by=vera.user, category=falls, what_was_seen="Dizzy since her tablets changed."
    )
    _one_of_everything_else(people, elsie, trial, vera)
    # Two requests for a copy of Elsie's record, both asked by West's coordinator: one
    # waiting for a decision, and one that West's team leader approved, with its file.
    export_requested = record_services.export_request_client(
        client=elsie, by=cora, reason="Elsie asked for everything we hold about her."
    )
    export_approved = record_services.export_approve(
        export=record_services.export_request_client(
            client=elsie, by=cora, reason="Her daughter holds lasting power of attorney and asked."
        ),
        by=tom,
    )
    notification = (
        Notification.objects.filter(recipient=vera.user)
        .exclude(attachment_filename="")
        .order_by("pk")
        .first()
        or Notification.objects.filter(recipient=vera.user).order_by("pk").first()
    )
    return SimpleNamespace(
        people=people,
        today=today,
        west=west,
        east=east,
        practice=practice,
        east_practice=east_practice,
        other_practice=other_practice,
        elsie=elsie,
        jack=jack,
        vera=vera,
        allocation=Allocation.objects.get(client=elsie, volunteer=vera),
        consent=elsie.consents.filter(scope=ConsentScope.SHARE_WITH_MDT).get(),
        risk=risk,
        untriaged=untriaged,
        outcome=outcome,
        published_story=published,
        draft_story=draft,
        formal=formal,
        coffee=coffee,
        fresh_outcome=fresh_outcome,
        mdt=mdt,
        elsie_item=elsie_item,
        action=action,
        notification=notification,
        service=ServiceFactory(name="Penwith Community Transport", areas=[west]),
        shift=OnCallShiftFactory(area=west, team_leader=tom),
        trial=trial,
        falls=falls,
        export_requested=export_requested,
        export_approved=export_approved,
    )


def password_reset_kwargs(scene) -> dict:
    """Vera's password-reset link, made when it is used: signing in changes what it is
    made from."""
    user = scene.vera.user
    user.refresh_from_db()
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


def _one_of_everything_else(people, elsie, trial, vera) -> None:
    """A row of each model that only the admin site shows, so that each of its object pages
    is asked about a real object. Owned by people who are not columns of the matrix, so that
    nothing here changes what a column may see or do."""
    bystander = UserFactory(username="bystander")
    DBSCheckFactory(volunteer=vera)
    TrainingRecordFactory(volunteer=vera)
    PasswordResetRequest.objects.create(address="203.0.113.9", email_digest="0" * 64)
    SecondFactorLock.objects.create(user=bystander)
    StaticDevice.objects.create(user=bystander, name="Backup codes")
    assign_perm("clients.view_client", Group.objects.create(name="Nobody is in this group"), elsie)
    StoryDigest.objects.create(volunteer=bystander, week_starting=timezone.localdate())
    report_services.card_write(
        trial=trial,
        by=people["manager"],
        opportunities="More time.",
        limitations="Less room.",
        board_member=True,
    )
    ReportExport.objects.create(kind=ReportExport.Kind.values[0], taken_by=people["manager"])
    MonthlySummary.objects.create(manager=people["manager"], month=timezone.localdate().replace(day=1))
    AccessAttempt.objects.create(
        username="intruder",
        ip_address="203.0.113.9",
        user_agent="curl",
        attempt_time=timezone.now(),
        failures_since_start=1,
    )
    AccessFailureLog.objects.create(
        username="intruder", ip_address="203.0.113.9", user_agent="curl", attempt_time=timezone.now()
    )
