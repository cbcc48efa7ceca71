"""A small fixed data set for checking the reports' figures by hand: February 2025 (Greenwich
time, so local time and UTC agree and every hour below is an hour on the clock).

Concerns are written directly with exact times, each with the chain of `RiskEvent`s the
services would have written, and the outcomes and referrals that go with them. The table
in `tests/reports/test_figures.py` lists every concern and works out each figure from it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace

from clients.models import Client
from livingwell.accounts.models import AreaMembership, Route
from livingwell.accounts.roles import Role
from livingwell.reports.periods import ReportPeriod
from meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    AttendanceResponse,
    AttendanceRole,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from risks.models import (
    Outcome,
    OutcomeKind,
    Referral,
    RiskEvent,
    RiskReport,
    Service,
    Severity,
    Status,
    target_for,
)
from tests.factories import AreaFactory, ClientFactory, GPPracticeFactory, OrganisationFactory, UserFactory
from tests.risks.factories import ServiceFactory, category
from volunteers.models import Volunteer

UTC = datetime.UTC


def at(day: int, hour: int = 0, minute: int = 0, *, month: int = 2) -> datetime.datetime:
    """A moment in 2025 (February unless told), in UTC (= local time in winter)."""
    return datetime.datetime(2025, month, day, hour, minute, tzinfo=UTC)


FEBRUARY = ReportPeriod(datetime.date(2025, 2, 1), datetime.date(2025, 2, 28))
# "Now", well after the period: what is overdue is judged at this moment.
NOW = at(1, 12, month=6)


@dataclass
class Step:
    """A step `hours` after the concern was reported, to `status`."""

    hours: float
    status: str
    extra: dict = field(default_factory=dict)


def triaged(hours: float) -> Step:
    return Step(hours, Status.TRIAGED)


def escalated(hours: float, *, service: Service | None = None, key_worker: str = "") -> Step:
    return Step(hours, Status.ESCALATED, {"service": service, "key_worker": key_worker})


def outcome(hours: float, kind: str, *, detail: bool) -> Step:
    return Step(hours, Status.OUTCOME_RECORDED, {"kind": kind, "detail": detail})


def closed(hours: float) -> Step:
    return Step(hours, Status.CLOSED)


def reopened(hours: float) -> Step:
    return Step(hours, Status.TRIAGED, {"reopen": True})


def make_concern(
    *,
    client: Client,
    route: str,
    severity: str,
    slug: str,
    reported_by,
    staff,
    observed: datetime.datetime,
    reported: datetime.datetime,
    steps: tuple[Step, ...] = (),
    on_behalf_of=None,
) -> RiskReport:
    """A concern with the events, referrals and outcomes the services would have written,
    at exact times. Its `status` and `due_at` are what they would be today (a reopening
    makes it due again from then, as `risk_reopen` does)."""
    due = reported + target_for(severity)
    status = Status.REPORTED
    for step in steps:
        status = step.status
        if step.extra.get("reopen"):
            due = reported + datetime.timedelta(hours=step.hours) + target_for(severity)
    risk = RiskReport.objects.create(
        client=client,
        area=client.area,
        category=category(slug),
        severity=severity,
        route=route,
        status=status,
        what_was_seen="Something the volunteer noticed.",
        observed_at=observed,
        reported_by=reported_by,
        on_behalf_of=on_behalf_of,
        owner=staff if steps else None,
        reported_at=reported,
        due_at=due,
    )
    RiskEvent.objects.create(
        risk=risk, actor=reported_by, at=reported, from_status="", to_status=Status.REPORTED
    )
    previous = Status.REPORTED
    for step in steps:
        moment = reported + datetime.timedelta(hours=step.hours)
        RiskEvent.objects.create(
            risk=risk, actor=staff, at=moment, from_status=previous, to_status=step.status
        )
        if step.status == Status.ESCALATED:
            Referral.objects.create(
                risk=risk,
                service=step.extra["service"],
                key_worker=step.extra["key_worker"],
                made_by=staff,
                made_at=moment,
            )
        if step.status == Status.OUTCOME_RECORDED:
            Outcome.objects.create(
                risk=risk,
                kind=step.extra["kind"],
                volunteer_told_detail=step.extra["detail"],
                staff_summary="What happened.",
                volunteer_message="Thank you.",
                recorded_by=staff,
                recorded_at=moment,
            )
        previous = step.status
    return risk


def member(user, area, started_on: datetime.date, ended_on: datetime.date | None = None) -> None:
    AreaMembership.objects.create(user=user, area=area, started_on=started_on, ended_on=ended_on)


def volunteer(name: str, *, status: str = Volunteer.Status.ACTIVE, mdt_opt_in: bool = False):
    user = UserFactory(username=name, roles=[Role.VOLUNTEER])
    Volunteer.objects.create(user=user, status=status, mdt_opt_in=mdt_opt_in, postcode="TR18 4AB")
    return user


def meeting(kind, area, starts_at, *, status, chair, practice=None) -> Meeting:
    return Meeting.objects.create(
        kind=kind,
        area=area,
        practice=practice,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        place="The church hall",
        chair=chair,
        status=status,
        created_by=chair,
    )


def came(meeting_, person, role, response=AttendanceResponse.ATTENDED) -> None:
    Attendance.objects.create(meeting=meeting_, person=person, role=role, response=response)


def item(meeting_, *, client, risk=None, added_by, presenter=None) -> AgendaItem:
    return AgendaItem.objects.create(
        meeting=meeting_,
        client=client,
        risk=risk,
        added_by=added_by,
        presenter=presenter,
        presented_by_volunteer=presenter is not None and meeting_.kind == MeetingKind.MDT,
    )


def action(item_: AgendaItem, *, owner, created_at: datetime.datetime) -> Action:
    return Action.objects.create(
        meeting=item_.meeting,
        item=item_,
        what="Ring the client's daughter.",
        owner=owner,
        due_on=created_at.date() + datetime.timedelta(days=7),
        created_by=owner,
        created_at=created_at,
    )


def build_february() -> SimpleNamespace:
    """The data set. See the table at the top of tests/reports/test_figures.py."""
    cornwall = OrganisationFactory(name="Age UK Cornwall")
    devon = OrganisationFactory(name="Age UK Devon")
    west = AreaFactory(name="West Cornwall", organisation=cornwall)
    east = AreaFactory(name="East Cornwall", organisation=cornwall)
    plymouth = AreaFactory(name="Plymouth", organisation=devon)
    alverton = GPPracticeFactory(name="Alverton Practice", area=west)
    penzance = GPPracticeFactory(name="Penzance Health Centre", area=west)
    liskeard = GPPracticeFactory(name="Liskeard Practice", area=east)
    plymouth_practice = GPPracticeFactory(name="Plymouth Practice", area=plymouth)

    cora = UserFactory(username="fig-cora", roles=[Role.COORDINATOR], areas=[west])
    cory = UserFactory(username="fig-cory", roles=[Role.COORDINATOR], areas=[east])
    tom = UserFactory(username="fig-tom", roles=[Role.TEAM_LEADER], areas=[west])
    tess = UserFactory(username="fig-tess", roles=[Role.TEAM_LEADER], areas=[east])
    devon_coordinator = UserFactory(username="fig-devon", roles=[Role.COORDINATOR], areas=[plymouth])
    chair = UserFactory(username="fig-chen", roles=[Role.MDT_CHAIR], practices=[alverton])
    nurse = UserFactory(username="fig-nurse", roles=[Role.CLINICIAN], practices=[alverton])
    penzance_nurse = UserFactory(username="fig-gp", roles=[Role.CLINICIAN], practices=[penzance])
    manager = UserFactory(username="fig-mona", roles=[Role.MANAGER], organisation=cornwall)

    # Volunteers. Active in the period: an active volunteer with a membership of West or
    # East that is in effect on at least one day of February.
    start = datetime.date(2024, 1, 1)
    anna = volunteer("fig-anna", mdt_opt_in=True)  # West; active
    member(anna, west, start)
    ben = volunteer("fig-ben")  # West and East: counted once
    member(ben, west, start)
    member(ben, east, start)
    cat = volunteer("fig-cat")  # East; active
    member(cat, east, start)
    dora = volunteer("fig-dora", status=Volunteer.Status.PAUSED)  # East; paused: not active
    member(dora, east, start)
    eve = volunteer("fig-eve")  # West until 1 Feb (not in effect on 1 Feb): not active
    member(eve, west, start, datetime.date(2025, 2, 1))
    fay = volunteer("fig-fay")  # West until 2 Feb (in effect on 1 Feb): active
    member(fay, west, start, datetime.date(2025, 2, 2))
    gil = volunteer("fig-gil", mdt_opt_in=True)  # West from 1 March: not active
    member(gil, west, datetime.date(2025, 3, 1))
    hal = volunteer("fig-hal", mdt_opt_in=True)  # West from 28 Feb: active
    member(hal, west, datetime.date(2025, 2, 28))
    ivy = volunteer("fig-ivy")  # Plymouth (another organisation): not counted
    member(ivy, plymouth, start)
    jon = volunteer("fig-jon", status=Volunteer.Status.LEFT)  # West; left: not active
    member(jon, west, start)

    # Clients.
    elsie = ClientFactory(first_name="Elsie", gp_practice=alverton)
    jack = ClientFactory(first_name="Jack", gp_practice=alverton)
    wyn = ClientFactory(first_name="Wyn", gp_practice=penzance)
    morwenna = ClientFactory(first_name="Morwenna", gp_practice=liskeard)
    peter = ClientFactory(first_name="Peter", gp_practice=liskeard)
    devon_client = ClientFactory(first_name="Dewi", gp_practice=plymouth_practice)

    social_care = ServiceFactory(name="Adult social care", kind=Service.Kind.SOCIAL_CARE, is_medical=False)
    befriending = ServiceFactory(name="Befriending", kind=Service.Kind.BEFRIENDING, is_medical=False)
    nursing = ServiceFactory(name="District nurses", kind=Service.Kind.DISTRICT_NURSING, is_medical=True)
    surgery = ServiceFactory(name="The surgery", kind=Service.Kind.GP_PRACTICE, is_medical=True)
    transport = ServiceFactory(name="Community transport", kind=Service.Kind.TRANSPORT, is_medical=False)

    fm, cm, tl, mdt = Route.FORMAL_MEETING, Route.COFFEE_MORNING, Route.TEAM_LEADER_PHONE, Route.MDT
    low, medium, high, urgent = Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.URGENT
    kind = OutcomeKind

    c = {}
    c[1] = make_concern(
        client=elsie, route=fm, severity=medium, slug="falls-mobility", reported_by=anna, staff=cora,
        observed=at(3, 9), reported=at(3, 21),
        steps=(
            triaged(100),
            escalated(200, service=social_care),
            outcome(300, kind.SUPPORT_ARRANGED, detail=True),
        ),
    )  # fmt: skip
    c[2] = make_concern(
        client=jack, route=fm, severity=low, slug="heating-cold", reported_by=anna, staff=cora,
        observed=at(5, 10), reported=at(6, 10),
        # Passed on on 10 March, after the period: at its end it was still being looked at.
        steps=(triaged(400), escalated(792, service=transport)),
    )  # fmt: skip
    c[3] = make_concern(
        client=elsie, route=tl, severity=urgent, slug="falls-mobility", reported_by=tom, on_behalf_of=anna,
        staff=tom, observed=at(10, 8), reported=at(10, 9),
        steps=(
            triaged(6),
            escalated(8, service=nursing),
            outcome(48, kind.HEALTH_CHECKED, detail=False),
            closed(50),
            reopened(100),
            outcome(150, kind.HEALTH_CHECKED, detail=True),
        ),
    )  # fmt: skip
    c[4] = make_concern(
        client=morwenna, route=tl, severity=high, slug="medication", reported_by=tess, on_behalf_of=cat,
        staff=tess, observed=at(12, 12), reported=at(12, 14),
        # The outcome came on 5 March, after the period.
        steps=(
            triaged(3),
            escalated(10, key_worker="Dr Patel"),
            outcome(490, kind.SUPPORT_ARRANGED, detail=True),
        ),
    )  # fmt: skip
    c[5] = make_concern(
        client=morwenna, route=cm, severity=medium, slug="loneliness-isolation", reported_by=cory,
        on_behalf_of=cat, staff=cory, observed=at(14, 10), reported=at(14, 10, 30),
        steps=(triaged(30), escalated(72, service=befriending), outcome(120, kind.CONNECTED, detail=False)),
    )  # fmt: skip
    c[6] = make_concern(
        client=peter, route=cm, severity=low, slug="loneliness-isolation", reported_by=cory,
        on_behalf_of=dora, staff=cory, observed=at(20, 9), reported=at(20, 13),
    )  # fmt: skip
    c[7] = make_concern(
        client=jack, route=mdt, severity=high, slug="medication", reported_by=ben, staff=cora,
        observed=at(17, 9), reported=at(17, 15),
        steps=(
            triaged(30),
            escalated(40, service=surgery),
            outcome(200, kind.HEALTH_CHECKED, detail=True),
        ),
    )  # fmt: skip
    c[8] = make_concern(
        client=wyn, route=mdt, severity=medium, slug="falls-mobility", reported_by=ben, staff=cora,
        observed=at(18, 9), reported=at(18, 10),
        steps=(triaged(20), escalated(50, key_worker="Practice nurse")),
    )  # fmt: skip
    c[9] = make_concern(
        client=elsie, route=fm, severity=high, slug="heating-cold", reported_by=anna, staff=cora,
        observed=at(24, 9), reported=at(24, 12),
        # Taken on 3 March, after the period, and still waiting today.
        steps=(triaged(159),),
    )  # fmt: skip
    c[10] = make_concern(
        client=jack, route=tl, severity=urgent, slug="falls-mobility", reported_by=tom, on_behalf_of=anna,
        staff=tom, observed=at(26, 20), reported=at(26, 20, 15),
        steps=(closed(2),),
    )  # fmt: skip

    # Not in February's figures.
    before = make_concern(
        client=elsie, route=fm, severity=low, slug="falls-mobility", reported_by=anna, staff=cora,
        observed=at(28, 9, month=1), reported=at(28, 10, month=1),
        # Its outcome is recorded in February: an outcome of the period, not a concern of it.
        steps=(triaged(24), outcome(192, kind.HOME_MADE_SAFER, detail=True)),
    )  # fmt: skip
    elsewhere = make_concern(
        client=devon_client, route=fm, severity=medium, slug="falls-mobility", reported_by=ivy,
        staff=devon_coordinator, observed=at(5, 9), reported=at(5, 10),
        steps=(escalated(5, service=transport), outcome(10, kind.SUPPORT_ARRANGED, detail=True)),
    )  # fmt: skip
    waiting_elsewhere = make_concern(
        client=devon_client, route=fm, severity=medium, slug="falls-mobility", reported_by=ivy,
        staff=devon_coordinator, observed=at(6, 9), reported=at(6, 10),
    )  # fmt: skip
    after = make_concern(
        client=wyn, route=fm, severity=medium, slug="falls-mobility", reported_by=ben, staff=cora,
        observed=at(2, 8, month=3), reported=at(2, 9, month=3),
    )  # fmt: skip

    # Meetings that started in February (and two that did not count).
    m1 = meeting(MeetingKind.FORMAL, west, at(10, 10), status=MeetingStatus.HELD, chair=cora)
    came(m1, anna, AttendanceRole.VOLUNTEER)
    came(m1, ben, AttendanceRole.VOLUNTEER, AttendanceResponse.APOLOGIES)
    came(m1, nurse, AttendanceRole.CLINICIAN)
    came(m1, cora, AttendanceRole.COORDINATOR)
    item(m1, client=elsie, risk=c[1], added_by=cora)
    item(m1, client=jack, risk=c[2], added_by=cora)
    m2 = meeting(MeetingKind.FORMAL, east, at(11, 10), status=MeetingStatus.CANCELLED, chair=cory)
    came(m2, cat, AttendanceRole.VOLUNTEER, AttendanceResponse.INVITED)
    m9 = meeting(MeetingKind.FORMAL, east, at(25, 10), status=MeetingStatus.FINALISED, chair=cory)
    came(m9, cat, AttendanceRole.VOLUNTEER)
    m3 = meeting(MeetingKind.COFFEE_MORNING, east, at(14, 10), status=MeetingStatus.FINALISED, chair=cory)
    came(m3, cat, AttendanceRole.VOLUNTEER)
    came(m3, dora, AttendanceRole.VOLUNTEER)
    raised_5 = item(m3, client=morwenna, risk=c[5], added_by=cory, presenter=cat)
    raised_6 = item(m3, client=peter, risk=c[6], added_by=cory, presenter=dora)
    # Concern 5 (reported 14 Feb 10:30) gets an owner 47 hours later; concern 6 (20 Feb
    # 13:00) 72 hours later, too late.
    action(raised_5, owner=cory, created_at=at(16, 9, 30))
    action(raised_6, owner=cory, created_at=at(23, 13))
    m4 = meeting(MeetingKind.MDT, west, at(20, 13), status=MeetingStatus.HELD, chair=chair, practice=alverton)
    came(m4, chair, AttendanceRole.CHAIR)
    came(m4, nurse, AttendanceRole.CLINICIAN)
    came(m4, ben, AttendanceRole.VOLUNTEER)
    came(m4, anna, AttendanceRole.VOLUNTEER)
    item(m4, client=jack, risk=c[7], added_by=chair, presenter=ben)
    item(m4, client=elsie, added_by=chair, presenter=anna)  # a client, with no concern
    item(m4, client=ClientFactory(gp_practice=alverton), added_by=chair)
    m5 = meeting(MeetingKind.MDT, west, at(21, 13), status=MeetingStatus.HELD, chair=cora, practice=penzance)
    came(m5, penzance_nurse, AttendanceRole.CLINICIAN)
    item(m5, client=wyn, risk=c[8], added_by=cora)
    m6 = meeting(MeetingKind.FORMAL, west, at(27, 10), status=MeetingStatus.PLANNED, chair=cora)
    came(m6, anna, AttendanceRole.VOLUNTEER, AttendanceResponse.INVITED)
    m7 = meeting(MeetingKind.FORMAL, west, at(3, 10, month=3), status=MeetingStatus.HELD, chair=cora)
    came(m7, anna, AttendanceRole.VOLUNTEER)
    m8 = meeting(MeetingKind.FORMAL, plymouth, at(12, 10), status=MeetingStatus.HELD, chair=devon_coordinator)
    came(m8, ivy, AttendanceRole.VOLUNTEER)

    return SimpleNamespace(
        cornwall=cornwall,
        west=west,
        east=east,
        plymouth=plymouth,
        alverton=alverton,
        penzance=penzance,
        chair=chair,
        manager=manager,
        concerns=c,
        before=before,
        elsewhere=elsewhere,
        waiting_elsewhere=waiting_elsewhere,
        after=after,
        meetings=[m1, m2, m3, m4, m5, m6, m7, m8, m9],
    )
