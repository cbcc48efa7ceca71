"""Demo evidence for the reports: two years of concerns in every demo area, by each route
the area uses, with their timelines, referrals and outcomes and the meetings they went
through; and one finished trial of volunteers at Alverton Practice's Multi-Disciplinary
Team meeting, with its feedback cards and its decision.

The story the figures tell is the review's: a concern routed to the formal monthly meeting
waits for the meeting (about a fortnight to first action, at the median), the team
leader's phone line acts within hours, a coffee morning within a day or two, and the
fortnightly Multi-Disciplinary Team meeting in about a week. During the trial volunteers
present their own clients' items at the Alverton meeting, and concerns go there more often
and get an outcome sooner than in the baseline before it.

Two years of history through the services would take minutes (and the services stamp
"now"), so it is inserted in bulk with its own timestamps. It keeps the services' rules:
each concern's status is the last step of its timeline, its steps are in order and each
is a transition the services allow, `due_at` comes from its severity (from the reopening,
if it was reopened), its area is its client's and its route one the area allows, urgent
concerns go by the phone line, and a concern is raised by a volunteer who visited that
client at the time. Nothing is sent: the good news volunteers had is in their inbox,
delivered and read. Clients and volunteers made here have invented names.

Deterministic (one `random.Random`, dates relative to today) and idempotent: the history
is made once (when its first volunteer has no visits yet), the trial once (by its title).
"""

from __future__ import annotations

import bisect
import datetime
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.utils import timezone

from clients.models import Allocation, Client, ClientUserObjectPermission, Consent, ConsentScope
from livingwell.accounts.models import (
    Area,
    AreaMembership,
    GPPractice,
    Organisation,
    PracticeMembership,
    Route,
    User,
)
from livingwell.accounts.roles import Role
from livingwell.notifications.models import Notification
from livingwell.reports import demo_texts as texts
from livingwell.reports.models import FeedbackCard, Trial, TrialDecision, TrialModel
from meetings.models import (
    Action,
    AgendaItem,
    AgendaItemResult,
    Attendance,
    AttendanceResponse,
    AttendanceRole,
    LocalProtocol,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from risks.models import (
    Outcome,
    OutcomeKind,
    Referral,
    RiskCategory,
    RiskEvent,
    RiskReport,
    Service,
    Severity,
    Status,
    target_for,
)
from volunteers.models import ConfidentialityAgreement, DBSCheck, TrainingModule, TrainingRecord, Volunteer

SEED = 20269
HISTORY_DAYS = 730

WEST, CENTRAL, EAST = "West Cornwall", "Central Cornwall", "East Cornwall"
ALVERTON = "L85004"

# Concerns reported in a month, per area and route (give or take a couple). Coffee-morning
# concerns are raised at the coffee mornings themselves (COFFEE_PER_MORNING each).
MONTHLY = {
    (WEST, Route.FORMAL_MEETING): 8,
    (WEST, Route.TEAM_LEADER_PHONE): 5,
    (WEST, Route.MDT): 5,
    (CENTRAL, Route.TEAM_LEADER_PHONE): 4,
    (EAST, Route.FORMAL_MEETING): 7,
    (EAST, Route.TEAM_LEADER_PHONE): 4,
}
# With volunteers at the meeting (the trial, and since), more concerns go to it.
MDT_MONTHLY_WITH_VOLUNTEERS = 8
COFFEE_PER_MORNING = (4, 6)

SEVERITIES = {
    Route.FORMAL_MEETING: {Severity.LOW: 50, Severity.MEDIUM: 42, Severity.HIGH: 8},
    Route.TEAM_LEADER_PHONE: {Severity.URGENT: 45, Severity.HIGH: 55},
    Route.COFFEE_MORNING: {Severity.LOW: 40, Severity.MEDIUM: 50, Severity.HIGH: 10},
    Route.MDT: {Severity.LOW: 25, Severity.MEDIUM: 75},
}
CATEGORIES = {
    Route.FORMAL_MEETING: {
        "falls-mobility": 3,
        "medication": 2,
        "memory-confusion": 2,
        "nutrition-hydration": 2,
        "continence": 1,
        "skin-pressure": 1,
        "pain": 2,
        "loneliness-isolation": 3,
        "mood": 2,
        "carer-strain": 2,
        "money-scams": 2,
        "safeguarding": 1,
        "heating-cold": 2,
        "home-safety": 2,
        "housing": 2,
        "transport": 3,
        "building-access": 2,
    },
    Route.TEAM_LEADER_PHONE: {
        "falls-mobility": 4,
        "medication": 2,
        "memory-confusion": 2,
        "safeguarding": 2,
        "heating-cold": 2,
        "home-safety": 3,
        "skin-pressure": 1,
        "pain": 1,
        "nutrition-hydration": 1,
        "mood": 1,
    },
    Route.COFFEE_MORNING: {
        "loneliness-isolation": 4,
        "transport": 3,
        "mood": 2,
        "money-scams": 2,
        "heating-cold": 2,
        "carer-strain": 2,
        "falls-mobility": 2,
        "housing": 1,
        "building-access": 1,
        "nutrition-hydration": 1,
        "memory-confusion": 1,
    },
    Route.MDT: {
        "falls-mobility": 3,
        "medication": 3,
        "memory-confusion": 3,
        "nutrition-hydration": 2,
        "continence": 2,
        "skin-pressure": 2,
        "pain": 2,
        "mood": 2,
        "carer-strain": 2,
        "loneliness-isolation": 1,
    },
}
THANKS_ONLY = (
    "A concern you raised has been followed up and acted on. We cannot share the details, "
    "but thank you: noticing it and telling us made a difference."
)
STREETS = ["Chapel Row", "Harbour View", "Mill Lane", "Trevean Road"]
INWARD = "ABDEFGHJLNPQRSTUWXYZ"  # the letters a postcode's second half may use
MINUTE = datetime.timedelta(minutes=1)
DAY = datetime.timedelta(days=1)


def seed() -> dict[str, int]:
    with transaction.atomic():
        people = _People.find_or_make()
        if not Allocation.objects.filter(volunteer__user__username=texts.VOLUNTEERS[0][0]).exists():
            _History(people).make()
        _trial(people)
    return {
        "concerns": RiskReport.objects.count(),
        "meetings": Meeting.objects.count(),
        "trials": Trial.objects.count(),
        "feedback cards": FeedbackCard.objects.count(),
    }


# --- People ----------------------------------------------------------------------------------


@dataclass
class _People:
    by_username: dict[str, User]
    areas: dict[str, Area]
    practices: dict[str, GPPractice]

    def __getitem__(self, username: str) -> User:
        return self.by_username[username]

    @classmethod
    def find_or_make(cls) -> _People:
        """The demo's people, and the volunteers and clinician this story adds (made once)."""
        areas = {area.name: area for area in Area.objects.select_related("organisation")}
        practices = {practice.code: practice for practice in GPPractice.objects.all()}
        wanted = {row[0] for row in texts.VOLUNTEERS} | {texts.CLINICIAN[0]}
        existing = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
        if len(existing) < len(wanted):
            _make_people(areas, practices, existing)
        usernames = (
            wanted | set(texts.EARLIER_CLIENTS) | {"cora", "tom", "colin", "esme", "drchen", "nina", "mona"}
        )
        by_username = {user.username: user for user in User.objects.filter(username__in=usernames)}
        return cls(by_username, areas, practices)


def _make_people(areas: dict[str, Area], practices: dict[str, GPPractice], existing: set[str]) -> None:
    today = timezone.localdate()
    started = today - datetime.timedelta(days=HISTORY_DAYS + 90)
    password = make_password(settings.DEMO_PASSWORD)  # hashed once: the demo has one password
    volunteer_cornwall = Organisation.objects.get(name="Volunteer Cornwall")
    group = Group.objects.get(name=Role.VOLUNTEER)
    modules = list(TrainingModule.objects.order_by("pk")[:3])
    for index, (username, first, last, area, skills, capacity, mdt, own, _) in enumerate(texts.VOLUNTEERS):
        if username in existing:
            continue
        user = User.objects.create(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@example.org",
            organisation=volunteer_cornwall,
            phone=f"07700 900{500 + index:03d}",
            password=password,
            date_joined=timezone.make_aware(datetime.datetime.combine(started, datetime.time(10))),
        )
        user.groups.add(group)
        AreaMembership.objects.create(user=user, area=areas[area], started_on=started)
        volunteer = Volunteer.objects.create(
            user=user,
            skills=list(skills),
            capacity=capacity,
            mdt_opt_in=mdt,
            availability=["Weekday mornings", "Afternoons", "Most days"][index % 3],
            own_gp_practice=practices.get(own) if own else None,
            postcode=f"TR{index % 20 + 1} {index % 9 + 1}DW",
            created_at=timezone.make_aware(datetime.datetime.combine(started, datetime.time(11))),
        )
        checked_on = started - datetime.timedelta(days=30 + 7 * index)
        DBSCheck.objects.create(
            volunteer=volunteer,
            checked_on=checked_on,
            reference=f"0019{index:08d}",
            renewal_due_on=checked_on + datetime.timedelta(days=3 * 365),
        )
        TrainingRecord.objects.bulk_create(
            TrainingRecord(
                volunteer=volunteer, module=module, completed_on=started + datetime.timedelta(days=7 * n)
            )
            for n, module in enumerate(modules)
        )
        if mdt:
            ConfidentialityAgreement.objects.create(
                volunteer=volunteer,
                signed_on=today - datetime.timedelta(days=200 + 3 * index),
                version=settings.CONFIDENTIALITY_AGREEMENT_VERSION,
            )
    username, first, last, _ = texts.CLINICIAN
    if username not in existing:
        clinician = User.objects.create(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@example.org",
            organisation=Organisation.objects.get(name="NHS Kernow"),
            password=password,
        )
        clinician.groups.add(Group.objects.get(name=Role.CLINICIAN))
        PracticeMembership.objects.create(user=clinician, practice=practices[ALVERTON], started_on=started)


# --- The history -----------------------------------------------------------------------------


@dataclass(eq=False)
class _Visit:
    """A volunteer visiting a client, from one day until another (or until now)."""

    client: Client
    volunteer: User
    started_on: datetime.date
    ended_on: datetime.date | None
    tells_detail: bool
    shares_with_mdt: bool
    volunteer_may_attend: bool

    def on(self, day: datetime.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or day < self.ended_on)


@dataclass
class _Step:
    at: datetime.datetime
    to_status: str
    actor: User
    note: str = ""
    referral: dict | None = None
    outcome: dict | None = None
    action: dict | None = None


@dataclass(eq=False)
class _Concern:
    visit: _Visit
    route: str
    category: RiskCategory
    severity: str
    observed_at: datetime.datetime
    reported_at: datetime.datetime
    reported_by: User
    on_behalf_of: User | None = None
    too_late_at: datetime.datetime | None = None
    steps: list[_Step] = field(default_factory=list)
    # Its place on a meeting's agenda: (meeting, result, presenter or None, added at, position)
    item: tuple | None = None

    @property
    def status(self) -> str:
        return self.steps[-1].to_status

    @property
    def last_at(self) -> datetime.datetime:
        return self.steps[-1].at

    def step(self, at: datetime.datetime, to_status: str, actor: User, note: str = "", **attached) -> _Step:
        # One step after another, whatever the delays drawn: a timeline is in order.
        at = max(at, self.last_at + MINUTE) if self.steps else at
        step = _Step(at, to_status, actor, note.strip(), **attached)
        self.steps.append(step)
        return step


def _insert(model, objects: list) -> None:
    """Insert many rows at once with PostgreSQL's COPY, which takes a fraction of the time
    of `bulk_create` for thousands of rows. Each object gets its id from the table's own
    sequence first, so that the rows made next can refer to it. Like `bulk_create`, it
    sends no signals."""
    if not objects:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objects)],
        )
        for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = pk
        # Generated columns are computed by the database and cannot be written.
        fields = [field for field in meta.concrete_fields if not field.generated]
        columns = ", ".join(quote(field.column) for field in fields)
        # The values go to psycopg as they are: these tables hold numbers, text, dates,
        # times and booleans only, which it writes as Django would.
        attnames = [field.attname for field in fields]
        with cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                copy.write_row([getattr(obj, attname) for attname in attnames])


def _meeting_label(meeting: Meeting) -> str:
    """`the formal monthly meeting of 6 November 2026`, as the services write it."""
    return meeting.in_a_sentence


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A local time of day, in UTC: adding hours to it then adds real hours, across a
    change of the clocks too (as `timezone.now() + delta` does in the services)."""
    local = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
    return local.astimezone(datetime.UTC)


class _History:
    def __init__(self, people: _People):
        self.people = people
        self.rng = random.Random(SEED)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.start = self.today - datetime.timedelta(days=HISTORY_DAYS)
        this_month = self.today.replace(day=1)
        self.trial_start = this_month - relativedelta(months=3)
        self.areas = people.areas
        self.practices = people.practices
        self.categories = {category.slug: category for category in RiskCategory.objects.all()}
        # The active directory services for each area and kind of concern.
        self.services: dict[tuple[int, int], list[Service]] = defaultdict(list)
        for service in (
            Service.objects.filter(is_active=True).prefetch_related("areas", "categories").order_by("pk")
        ):
            for area in service.areas.all():
                for category in service.categories.all():
                    self.services[(area.pk, category.pk)].append(service)
        self.protocol = (
            LocalProtocol.objects.filter(practice=self.practices[ALVERTON]).order_by("-version").first()
        )
        self.visits: list[_Visit] = []
        self.concerns: list[_Concern] = []
        self.new_meetings: list[Meeting] = []
        self.schedule: dict[tuple, list[Meeting]] = {}
        self.positions: dict[int, int] = {}
        self.attendances: dict[int, dict[int, tuple[str, str]]] = {}
        self.meetings_by_pk: dict[int, Meeting] = {}

    # The coordinator, and whoever takes the phone line, of each area.
    def coordinator(self, area: str) -> User:
        return self.people[{WEST: "cora", CENTRAL: "colin", EAST: "esme"}[area]]

    def phone_taker(self, area: str) -> User:
        return self.people[{WEST: "tom", CENTRAL: "colin", EAST: "esme"}[area]]

    def make(self) -> None:
        self._backdate_the_demo_people()
        self._clients_and_visits()
        self._meetings()
        for (area, route), per_month in MONTHLY.items():
            self._concerns_by_month(area, route, per_month)
        for meeting in self.schedule[("coffee", CENTRAL)]:
            if meeting.pk in self.new_meeting_pks and meeting.status != MeetingStatus.CANCELLED:
                self._coffee_morning_concerns(meeting)
        self._save()

    # --- People, clients and visits ---------------------------------------------------

    def _backdate_the_demo_people(self) -> None:
        """The demo's people have worked here since before the history begins."""
        since = self.start - datetime.timedelta(days=90)
        AreaMembership.objects.filter(
            user__in=self.people.by_username.values(), ended_on__isnull=True, started_on__gt=since
        ).update(started_on=since)
        PracticeMembership.objects.filter(
            user__in=self.people.by_username.values(), ended_on__isnull=True, started_on__gt=since
        ).update(started_on=since)
        if self.protocol is not None:
            # The practice wrote its protocol for the trial, before it began.
            written = _at(self.trial_start - datetime.timedelta(days=21), 10)
            LocalProtocol.objects.filter(pk=self.protocol.pk, published_at__gt=written).update(
                published_at=written
            )

    def _clients_and_visits(self) -> None:
        rng = self.rng
        began = self.start - datetime.timedelta(days=60)
        plans = []  # (volunteer, practice code, started, ended)
        for row in texts.VOLUNTEERS:
            username, codes = row[0], row[8]
            for code in codes:
                plans.append(
                    (self.people[username], code, began + datetime.timedelta(days=rng.randint(0, 50)), None)
                )
        for username, codes in texts.EARLIER_CLIENTS.items():
            volunteer = self.people.by_username.get(username)
            if volunteer is None:
                continue
            present = sorted(
                Allocation.objects.filter(volunteer__user=volunteer, ended_on__isnull=True).values_list(
                    "started_on", flat=True
                )
            )
            for index, code in enumerate(codes):
                ended = (
                    present[index]
                    if index < len(present)
                    else self.today - datetime.timedelta(days=45 + 20 * index)
                )
                plans.append((volunteer, code, began - datetime.timedelta(days=rng.randint(0, 40)), ended))

        clients = []
        areas_by_pk = {area.pk: area for area in self.areas.values()}
        firsts, lasts = texts.CLIENT_FIRST_NAMES, texts.CLIENT_LAST_NAMES
        for index, (_volunteer, code, started, ended) in enumerate(plans):
            practice = self.practices[code]
            area = areas_by_pk[practice.area_id]
            town, outward = practice.address.rsplit(",", 1)[-1].rsplit(" ", 2)[:2]
            why = texts.VISITS_ENDED_BECAUSE[index % len(texts.VISITS_ENDED_BECAUSE)] if ended else ""
            clients.append(
                Client(
                    first_name=firsts[index % len(firsts)],
                    last_name=lasts[(index * 7 + index // len(firsts)) % len(lasts)],
                    date_of_birth=datetime.date(1926 + index % 17, 1 + index % 12, 1 + (index * 11) % 28),
                    address=f"{index + 3} {STREETS[index % len(STREETS)]}\n{town.strip()}",
                    postcode=f"{outward} {rng.randint(1, 9)}{rng.choice(INWARD)}{rng.choice(INWARD)}",
                    gp_practice=practice,
                    area=area,
                    practical_needs=texts.PRACTICAL_NEEDS[index % len(texts.PRACTICAL_NEEDS)],
                    communication_needs=texts.COMMUNICATION_NEEDS[index % len(texts.COMMUNICATION_NEEDS)],
                    status=Client.Status.CLOSED if ended else Client.Status.ACTIVE,
                    closed_reason=why,
                    created_at=_at(started - datetime.timedelta(days=14), 11),
                    created_by=self.coordinator(area.name),
                )
            )
        Client.objects.bulk_create(clients)

        allocations, consents, grants = [], [], []
        visit_page = Permission.objects.get(
            codename="view_client_visit_page", content_type__app_label="clients"
        )
        volunteers = {v.user_id: v for v in Volunteer.objects.filter(user__in=[plan[0] for plan in plans])}
        for client, (volunteer, code, started, ended) in zip(clients, plans, strict=True):
            coordinator = self.coordinator(client.area.name)
            allocations.append(
                Allocation(
                    client=client,
                    volunteer=volunteers[volunteer.pk],
                    started_on=started,
                    ended_on=ended,
                    end_reason=client.closed_reason,
                    allocated_by=coordinator,
                    ended_by=coordinator if ended else None,
                )
            )
            if ended is None:
                grants.append(
                    ClientUserObjectPermission(user=volunteer, permission=visit_page, content_object=client)
                )
            tells = rng.random() < 0.85
            shares = code == ALVERTON or rng.random() < 0.3
            may_attend = code == ALVERTON and volunteers[volunteer.pk].mdt_opt_in and rng.random() < 0.9
            given = started - datetime.timedelta(days=7)

            def consent(scope, on, how="written", client=client, coordinator=coordinator):
                consents.append(
                    Consent(
                        client=client,
                        scope=scope,
                        given_on=on,
                        how_given=how,
                        recorded_by=coordinator,
                        recorded_at=_at(on, 15),
                    )
                )

            if tells:
                consent(ConsentScope.OUTCOME_TO_VOLUNTEER, given, "verbal")
            if shares:
                consent(ConsentScope.SHARE_WITH_MDT, given)
            if may_attend:
                # Asked for the trial, before it began.
                consent(
                    ConsentScope.VOLUNTEER_AT_MDT,
                    self.trial_start - datetime.timedelta(days=rng.randint(10, 40)),
                )
            self.visits.append(_Visit(client, volunteer, started, ended, tells, shares, may_attend))
        Allocation.objects.bulk_create(allocations)
        Consent.objects.bulk_create(consents)
        ClientUserObjectPermission.objects.bulk_create(grants)

    def visits_on(self, day: datetime.date, area: str, *, practice: str | None = None, mdt: bool = False):
        area_id = self.areas[area].pk
        return [
            visit
            for visit in self.visits
            if visit.client.area_id == area_id
            and visit.on(day)
            and (practice is None or visit.client.gp_practice.code == practice)
            and (not mdt or visit.shares_with_mdt)
        ]

    # --- Meetings ---------------------------------------------------------------------

    def _meetings(self) -> None:
        """Past meetings back to the start of the history, at each series' own rhythm,
        before the demo's own (which are kept, and used)."""
        west, central, east = self.areas[WEST], self.areas[CENTRAL], self.areas[EAST]
        alverton = self.practices[ALVERTON]
        people = self.people
        series = [
            (
                ("formal", WEST),
                {"kind": MeetingKind.FORMAL, "area": west},
                people["cora"],
                (14, 0, 120),
                "Penzance Library, Morrab Road, Penzance",
                "month",
                -21,
            ),
            (
                ("formal", EAST),
                {"kind": MeetingKind.FORMAL, "area": east},
                people["esme"],
                (10, 0, 120),
                "Liskeard Public Hall, West Street, Liskeard",
                "month",
                12,
            ),
            (
                ("coffee", CENTRAL),
                {"kind": MeetingKind.COFFEE_MORNING, "area": central},
                people["colin"],
                (10, 30, 90),
                "The Old Library café, Truro",
                14,
                -14,
            ),
            (
                ("mdt", ALVERTON),
                {"kind": MeetingKind.MDT, "area": west, "practice": alverton},
                people["drchen"],
                (12, 30, 60),
                "Alverton Practice, meeting room 2",
                14,
                -28,
            ),
        ]
        for key, where, chair, (hour, minute, length), place, every, fallback in series:
            existing = list(
                Meeting.objects.filter(**where).exclude(status=MeetingStatus.CANCELLED).order_by("starts_at")
            )
            first = (
                timezone.localdate(existing[0].starts_at)
                if existing
                else self.today + datetime.timedelta(days=fallback)
            )
            made = []
            for back in range(1, 60):
                if every == "month":
                    day = first - relativedelta(months=back)
                else:
                    day = first - datetime.timedelta(days=every * back)
                if day < self.start - datetime.timedelta(days=35):
                    break
                starts = _at(day, hour, minute)
                ends = starts + datetime.timedelta(minutes=length)
                meeting = Meeting(
                    **where,
                    starts_at=starts,
                    ends_at=ends,
                    place=place,
                    chair=chair,
                    status=MeetingStatus.FINALISED,
                    held_at=ends,
                    finalised_at=ends + datetime.timedelta(days=1 + back % 3, hours=1),
                    finalised_by=chair,
                    invitation_sequence=1,
                    created_by=chair,
                    created_at=starts - datetime.timedelta(days=28),
                )
                if key[0] == "formal":
                    meeting.notes = texts.FORMAL_NOTES[back % len(texts.FORMAL_NOTES)]
                elif key[0] == "coffee":
                    meeting.notes = texts.COFFEE_NOTES[back % len(texts.COFFEE_NOTES)]
                    # Its minutes are finalised once every concern raised there has an owner.
                    meeting.finalised_at = starts + datetime.timedelta(days=5, hours=2)
                else:
                    meeting.agenda_published_at = starts - datetime.timedelta(days=2)
                if key == ("formal", WEST) and back == 15:
                    meeting.status, meeting.cancelled_reason = (
                        MeetingStatus.CANCELLED,
                        texts.CANCELLED_BECAUSE,
                    )
                    meeting.held_at = meeting.finalised_at = meeting.finalised_by = None
                made.append(meeting)
            self.new_meetings.extend(made)
            self.schedule[key] = made[::-1] + existing
        Meeting.objects.bulk_create(self.new_meetings)
        self.new_meeting_pks = {meeting.pk for meeting in self.new_meetings}
        for meetings in self.schedule.values():
            meetings[:] = [meeting for meeting in meetings if meeting.status != MeetingStatus.CANCELLED]
            meetings.sort(key=lambda meeting: meeting.starts_at)
        for meeting in Meeting.objects.filter(
            pk__in=[m.pk for ms in self.schedule.values() for m in ms]
        ).exclude(pk__in=self.new_meeting_pks):
            self.positions[meeting.pk] = max((item.position for item in meeting.items.all()), default=0)
        self.existing_attendees = {
            (meeting_id, person_id)
            for meeting_id, person_id in Attendance.objects.values_list("meeting_id", "person_id")
        }

    def next_meeting(self, key: tuple, after: datetime.datetime) -> Meeting | None:
        meetings = self.schedule[key]
        index = bisect.bisect_right([meeting.starts_at for meeting in meetings], after)
        return meetings[index] if index < len(meetings) else None

    def attend(self, meeting: Meeting, person: User, role: str, response: str = AttendanceResponse.ATTENDED):
        if (meeting.pk, person.pk) in self.existing_attendees:
            return
        self.meetings_by_pk[meeting.pk] = meeting
        people = self.attendances.setdefault(meeting.pk, {})
        if person.pk not in people or response == AttendanceResponse.ATTENDED:
            people[person.pk] = (role, response)

    def add_item(
        self, concern: _Concern, meeting: Meeting, result: str, added_at, presenter: User | None = None
    ):
        self.positions[meeting.pk] = self.positions.get(meeting.pk, 0) + 1
        concern.item = (meeting, result, presenter, added_at, self.positions[meeting.pk])

    # --- Concerns ---------------------------------------------------------------------

    def pick(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def lognormal(self, median_hours: float, spread: float, longest_hours: float) -> datetime.timedelta:
        return datetime.timedelta(
            hours=min(median_hours * math.exp(self.rng.gauss(0, spread)), longest_hours)
        )

    def _concerns_by_month(self, area: str, route: str, per_month: int) -> None:
        rng = self.rng
        month = self.start.replace(day=1)
        while month <= self.today:
            next_month = month + relativedelta(months=1)
            first, last = max(month, self.start), min(next_month - DAY, self.today)
            whole = (next_month - month).days
            base = per_month
            if route == Route.MDT and month >= self.trial_start:
                base = MDT_MONTHLY_WITH_VOLUNTEERS
            count = round((base + rng.choice([-1, 0, 0, 1, 2])) * ((last - first).days + 1) / whole)
            for _ in range(count):
                day = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
                if route == Route.TEAM_LEADER_PHONE:
                    reported_at = _at(day, rng.randint(7, 20), rng.randint(0, 59))
                else:
                    reported_at = _at(day, rng.randint(9, 19), rng.randint(0, 59))
                if reported_at >= self.now - 10 * MINUTE:
                    continue
                mdt = route == Route.MDT
                visits = self.visits_on(day, area, practice=ALVERTON if mdt else None, mdt=mdt)
                if not visits:
                    continue
                visit = rng.choice(visits)
                {
                    Route.FORMAL_MEETING: self._formal,
                    Route.TEAM_LEADER_PHONE: self._phone,
                    Route.MDT: self._mdt,
                }[route](visit, area, reported_at)
            month = next_month

    def _new(self, visit: _Visit, route: str, reported_at, *, reported_by=None, on_behalf_of=None, note=""):
        category = self.categories[self.pick(CATEGORIES[route])]
        severity = self.pick(SEVERITIES[route])
        if route == Route.TEAM_LEADER_PHONE:
            seen = datetime.timedelta(minutes=self.rng.randint(5, 90))
        elif route == Route.COFFEE_MORNING:
            seen = datetime.timedelta(days=self.rng.randint(1, 9), hours=self.rng.randint(0, 5))
        else:
            seen = self.lognormal(8, 1.0, 6 * 24)
        concern = _Concern(
            visit=visit,
            route=route,
            category=category,
            severity=severity,
            observed_at=reported_at - seen,
            reported_at=reported_at,
            reported_by=reported_by or visit.volunteer,
            on_behalf_of=on_behalf_of,
        )
        concern.step(reported_at, Status.REPORTED, concern.reported_by, note)
        self.concerns.append(concern)
        return concern

    def _formal(self, visit: _Visit, area: str, reported_at) -> None:
        """Waits for the area's next formal meeting, unless that is too late for it and the
        team leader takes it first."""
        rng = self.rng
        concern = self._new(visit, Route.FORMAL_MEETING, reported_at)
        meeting = self.next_meeting(("formal", area), reported_at)
        due = reported_at + target_for(concern.severity)
        if meeting is None or meeting.starts_at > due:
            concern.too_late_at = reported_at + 2 * MINUTE
            if concern.severity == Severity.HIGH or rng.random() < 0.2:
                taker = self.phone_taker(area)
                lag = self.lognormal(18 if concern.severity == Severity.HIGH else 40, 0.6, 24 * 6)
                concern.step(
                    reported_at + lag, Status.TRIAGED, taker, "Cannot wait for the meeting: taking it now."
                )
                self._follow_up(concern, area, taker)
                return
        if meeting is None:
            return
        if meeting.starts_at > self.now:
            self.add_item(concern, meeting, AgendaItemResult.PENDING, reported_at)
            return
        coordinator = self.coordinator(area)
        at = meeting.starts_at + 4 * MINUTE * (self.positions.get(meeting.pk, 0) + 1)
        discussed = f"Discussed at {_meeting_label(meeting)}."
        decision = rng.random()
        if decision < 0.5:
            self.add_item(concern, meeting, AgendaItemResult.TAKEN, reported_at)
            concern.step(at, Status.TRIAGED, coordinator, f"{discussed} {rng.choice(texts.TRIAGE_NOTES)}")
            self._follow_up(concern, area, coordinator)
        elif decision < 0.9:
            self.add_item(concern, meeting, AgendaItemResult.REFERRED, reported_at)
            self._refer(concern, area, coordinator, at, discussed)
            self._follow_up(concern, area, coordinator)
        else:
            self.add_item(concern, meeting, AgendaItemResult.CLOSED, reported_at)
            reason = f"{rng.choice(texts.NO_ACTION_REASONS)} (discussed at {_meeting_label(meeting)})"[:200]
            concern.step(at, Status.CLOSED, coordinator, reason)

    def _phone(self, visit: _Visit, area: str, reported_at) -> None:
        """The volunteer rings the team leader on call (who records it), or reports an
        urgent concern themselves; either way someone acts within hours."""
        taker = self.phone_taker(area)
        if area == WEST and self.rng.random() < 0.6:
            concern = self._new(
                visit,
                Route.TEAM_LEADER_PHONE,
                reported_at,
                reported_by=taker,
                on_behalf_of=visit.volunteer,
                note=f"Recorded by phone for {_name(visit.volunteer)}",
            )
            lag = self.lognormal(0.6, 0.8, 10)
        else:
            concern = self._new(visit, Route.TEAM_LEADER_PHONE, reported_at)
            lag = self.lognormal(1.5 if concern.severity == Severity.URGENT else 3, 0.8, 20)
        concern.step(reported_at + lag, Status.TRIAGED, taker, self.rng.choice(texts.TRIAGE_NOTES))
        self._follow_up(concern, area, taker, fast=True)

    def _coffee_morning_concerns(self, meeting: Meeting) -> None:
        """Raised by volunteers at the coffee morning, recorded by its chair; nothing leaves
        without an owner, agreed there and then or in the days after."""
        rng = self.rng
        colin = meeting.chair
        day = timezone.localdate(meeting.starts_at)
        visits = self.visits_on(day, CENTRAL)
        for _ in range(rng.randint(*COFFEE_PER_MORNING)):
            if not visits:
                break
            visit = rng.choice(visits)
            reported_at = meeting.starts_at + datetime.timedelta(minutes=rng.randint(10, 80))
            concern = self._new(
                visit,
                Route.COFFEE_MORNING,
                reported_at,
                reported_by=colin,
                on_behalf_of=visit.volunteer,
                note=f"Raised by {_name(visit.volunteer)} at {_meeting_label(meeting)}",
            )
            self.add_item(concern, meeting, AgendaItemResult.RAISED, reported_at, presenter=visit.volunteer)
            self.attend(meeting, visit.volunteer, AttendanceRole.VOLUNTEER)
            draw = rng.random()
            if draw < 0.25:  # agreed there and then
                lag = datetime.timedelta(minutes=rng.randint(10, 50))
            elif draw < 0.65:  # by the next day
                lag = datetime.timedelta(hours=rng.uniform(20, 46))
            else:  # after some phoning round
                lag = datetime.timedelta(hours=rng.uniform(50, 96))
            at = reported_at + lag
            self._refer(
                concern,
                CENTRAL,
                colin,
                at,
                f"Action agreed at {_meeting_label(meeting)}:",
                action_in=meeting,
            )
            self._follow_up(concern, CENTRAL, colin)
        for visit in rng.sample(visits, min(len(visits), rng.randint(2, 4))):
            self.attend(meeting, visit.volunteer, AttendanceRole.VOLUNTEER)
        self.attend(meeting, colin, AttendanceRole.CHAIR)

    def _mdt(self, visit: _Visit, area: str, reported_at) -> None:
        """Goes to the practice's next Multi-Disciplinary Team meeting (the coordinator may
        take it first); with volunteers there, more is agreed at the meeting itself."""
        rng = self.rng
        cora, drchen = self.people["cora"], self.people["drchen"]
        concern = self._new(visit, Route.MDT, reported_at)
        if rng.random() < 0.15:
            concern.step(
                reported_at + datetime.timedelta(hours=rng.uniform(3, 40)),
                Status.TRIAGED,
                cora,
                "I'll ask for this to go on the Multi-Disciplinary Team meeting's agenda.",
            )
        meeting = self.next_meeting(("mdt", ALVERTON), reported_at + 2 * DAY)
        if meeting is None or meeting.starts_at > self.now:
            return
        with_volunteers = timezone.localdate(meeting.starts_at) >= self.trial_start
        presenter = None
        still_visits = visit.on(timezone.localdate(meeting.starts_at))
        if with_volunteers and visit.volunteer_may_attend and still_visits and rng.random() < 0.9:
            presenter = visit.volunteer
            self.attend(meeting, presenter, AttendanceRole.VOLUNTEER)
        at = meeting.starts_at + 5 * MINUTE * (self.positions.get(meeting.pk, 0) + 1)
        said = f"Action agreed at {_meeting_label(meeting)}:"
        if rng.random() < (0.85 if with_volunteers else 0.55):
            self.add_item(concern, meeting, AgendaItemResult.REFERRED, reported_at + DAY, presenter)
            self._refer(concern, area, drchen, at, said, action_in=meeting, medical=True)
        else:
            result = (
                AgendaItemResult.DISCUSSED if concern.status == Status.TRIAGED else AgendaItemResult.TAKEN
            )
            self.add_item(concern, meeting, result, reported_at + DAY, presenter)
            if concern.status == Status.REPORTED:
                concern.step(
                    at, Status.TRIAGED, cora, f"Discussed at {_meeting_label(meeting)}. I will visit first."
                )
            self._refer(
                concern, area, cora, at + datetime.timedelta(days=rng.uniform(3, 10)), "", medical=True
            )
        self._follow_up(concern, area, cora, quicker=with_volunteers)

    # --- What happened next -------------------------------------------------------------

    def _target(self, concern: _Concern, area: str, *, medical: bool = False):
        """A directory service that covers the area and helps with this kind of concern
        (medical first when asked), or a named key worker."""
        rng = self.rng
        fitting = self.services[(self.areas[area].pk, concern.category.pk)]
        if medical:
            if rng.random() < 0.35:
                return None, rng.choice(["Nina Kitto, practice nurse", "Oliver Spargo, community matron"])
            fitting = [service for service in fitting if service.is_medical] or fitting
        if not fitting or rng.random() < 0.08:
            return None, f"Duty GP, {concern.visit.client.gp_practice.name}"
        return rng.choice(fitting), ""

    def _refer(self, concern, area, by, at, said, *, action_in: Meeting | None = None, medical=False):
        rng = self.rng
        service, key_worker = self._target(concern, area, medical=medical)
        target = service.name if service else key_worker
        due_on = timezone.localdate(at) + datetime.timedelta(days=rng.randint(7, 21))
        action = None
        note = f"Referred to {target}."
        if action_in is not None:
            owner = None
            if service is None:
                # A key worker at the meeting owns the action: its chair, or the clinician named.
                owner = self.people["nina"] if key_worker.startswith("Nina") else by
                if key_worker.startswith("Oliver"):
                    owner = self.people["ollie"]
                key_worker = _name(owner)
                target = key_worker
                note = f"Referred to {target}."
                role = AttendanceRole.CHAIR if owner == action_in.chair else AttendanceRole.CLINICIAN
                self.attend(action_in, owner, role)
            what = f"Refer to {target} and let the volunteer know." if service else "Visit and report back."
            action = {
                "meeting": action_in,
                "what": what,
                "owner": owner,
                "service": service,
                "due_on": due_on,
            }
            note = f"{note} {said} {what} Due {due_on:%-d %B %Y}."
        elif said:
            note = f"{note} {said}"
        referral = {
            "service": service,
            "key_worker": key_worker,
            "reference": f"{(service.name if service else 'KW')[:2].upper()}-{rng.randint(1000, 9999)}"
            if rng.random() < 0.5
            else "",
            "expected_response_on": due_on,
        }
        concern.step(at, Status.ESCALATED, by, note, referral=referral, action=action)

    def _follow_up(self, concern: _Concern, area: str, staff: User, *, fast=False, quicker=False) -> None:
        """From its first action to its outcome and closing; a few are reopened."""
        rng = self.rng
        if concern.status == Status.TRIAGED:
            if rng.random() < 0.07:
                concern.step(
                    concern.last_at + datetime.timedelta(days=rng.uniform(1, 5)),
                    Status.CLOSED,
                    staff,
                    rng.choice(texts.NO_ACTION_REASONS),
                )
                return
            lag = (
                datetime.timedelta(hours=rng.uniform(0.3, 12))
                if fast
                else datetime.timedelta(days=rng.uniform(1, 6))
            )
            self._refer(concern, area, staff, concern.last_at + lag, "")
        if rng.random() < 0.12:
            self._refer(
                concern, area, staff, concern.last_at + datetime.timedelta(days=rng.uniform(1, 5)), ""
            )
        if fast:
            wait = rng.uniform(1, 7)
        elif quicker:
            wait = rng.uniform(3, 12)
        else:
            wait = rng.uniform(4, 20)
        self._outcome(concern, staff, concern.last_at + datetime.timedelta(days=wait))
        concern.step(
            concern.last_at + datetime.timedelta(days=rng.uniform(1, 10)), Status.CLOSED, staff, "Resolved"
        )
        if rng.random() < 0.05:
            coordinator = self.coordinator(area)
            concern.step(
                concern.last_at + datetime.timedelta(days=rng.uniform(5, 30)),
                Status.TRIAGED,
                coordinator,
                rng.choice(texts.REOPEN_NOTES),
            )
            self._refer(
                concern, area, coordinator, concern.last_at + datetime.timedelta(days=rng.uniform(1, 4)), ""
            )
            self._outcome(concern, coordinator, concern.last_at + datetime.timedelta(days=rng.uniform(3, 10)))
            concern.step(
                concern.last_at + datetime.timedelta(days=rng.uniform(1, 7)),
                Status.CLOSED,
                coordinator,
                "Resolved",
            )

    def _outcome(self, concern: _Concern, by: User, at) -> None:
        rng = self.rng
        draw = rng.random()
        if draw < 0.08:
            kind = OutcomeKind.CLIENT_DECLINED
        elif draw < 0.12:
            kind = OutcomeKind.NO_FURTHER_ACTION
        elif draw < 0.15:
            kind = OutcomeKind.OTHER
        else:
            kind = rng.choice(texts.OUTCOME_KINDS[concern.category.slug])
        referral = next(step.referral for step in reversed(concern.steps) if step.referral)
        target = referral["service"].name if referral["service"] else referral["key_worker"]
        staff_words, volunteer_words = texts.OUTCOME_WORDS[kind]
        called = concern.visit.client.preferred_name or concern.visit.client.first_name
        outcome = {
            "kind": kind,
            "staff_summary": staff_words.format(target=target, called=called),
            "volunteer_message": volunteer_words.format(target=target, called=called),
        }
        concern.step(at, Status.OUTCOME_RECORDED, by, outcome=outcome)

    # --- Saving -----------------------------------------------------------------------

    def _save(self) -> None:
        now = self.now
        risks, kept = [], []
        for concern in self.concerns:
            steps = [step for step in concern.steps if step.at <= now]
            kept.append(steps)
            risks.append(self._risk(concern, steps))
        _insert(RiskReport, risks)

        events, referrals, outcomes, news, actions = [], [], [], [], []
        for concern, risk, steps in zip(self.concerns, risks, kept, strict=True):
            previous = ""
            for step in steps:
                events.append(
                    RiskEvent(
                        risk=risk,
                        actor=step.actor,
                        at=step.at,
                        from_status=previous,
                        to_status=step.to_status,
                        note=step.note,
                    )
                )
                previous = step.to_status
                if step.referral:
                    referrals.append(
                        Referral(risk=risk, made_by=step.actor, made_at=step.at, **step.referral)
                    )
                if step.outcome:
                    outcomes.append(
                        Outcome(
                            risk=risk,
                            recorded_by=step.actor,
                            recorded_at=step.at,
                            volunteer_told_detail=concern.visit.tells_detail,
                            **step.outcome,
                        )
                    )
                    news.append(self._good_news(concern, risk, step))
                if step.action:
                    actions.append((concern, step))
        _insert(RiskEvent, events)
        _insert(Referral, referrals)
        _insert(Outcome, outcomes)
        _insert(Notification, news)

        items = {}
        for concern, risk in zip(self.concerns, risks, strict=True):
            if concern.item is None:
                continue
            meeting, result, presenter, added_at, position = concern.item
            item = AgendaItem(
                meeting=meeting,
                risk=risk,
                client=concern.visit.client,
                position=position,
                minutes=15 if presenter and meeting.kind == MeetingKind.MDT else 10,
                presenter=presenter,
                presented_by_volunteer=bool(presenter) and meeting.kind == MeetingKind.MDT,
                result=result,
                added_by=meeting.chair,
                added_at=min(added_at, meeting.starts_at),
            )
            if item.presented_by_volunteer:
                item.protocol = self.protocol
                item.protocol_confirmed_by = meeting.chair
                item.protocol_confirmed_at = meeting.starts_at - datetime.timedelta(days=2, hours=3)
            items[id(concern)] = item
        _insert(AgendaItem, list(items.values()))
        _insert(
            Action,
            [
                Action(
                    meeting=step.action["meeting"],
                    item=items.get(id(concern)),
                    what=step.action["what"],
                    owner=step.action["owner"],
                    service=step.action["service"],
                    due_on=step.action["due_on"],
                    created_by=step.action["meeting"].chair,
                    created_at=step.at,
                    done_at=self._done_at(concern, step),
                    done_by=(step.action["owner"] or step.action["meeting"].chair)
                    if self._done_at(concern, step)
                    else None,
                )
                for concern, step in actions
            ],
        )
        self._everyone_else_at_meetings()
        _insert(
            Attendance,
            [
                Attendance(
                    meeting_id=meeting_id,
                    person_id=person_id,
                    role=role,
                    response=response,
                    invited_at=self.invited_at[meeting_id],
                )
                for meeting_id, people in self.attendances.items()
                for person_id, (role, response) in people.items()
            ],
        )

    def _done_at(self, concern: _Concern, step: _Step):
        later = [s for s in concern.steps if s.at > step.at and s.to_status == Status.OUTCOME_RECORDED]
        return later[0].at if later and later[0].at <= self.now else None

    def _risk(self, concern: _Concern, steps: list[_Step]) -> RiskReport:
        first = {}
        for step in steps:
            first.setdefault(step.to_status, step.at)
        reopened = [
            s.at for s in steps[1:] if s.to_status == Status.TRIAGED and first.get(Status.CLOSED, s.at) < s.at
        ]
        due_from = reopened[-1] if reopened else concern.reported_at
        status = steps[-1].to_status
        # As the services keep it: whoever takes it (or, untaken, first passes it on or
        # closes it) owns it, until someone reopens it.
        owner, previous = None, Status.REPORTED
        for step in steps[1:]:
            if step.to_status == Status.TRIAGED and previous in (
                Status.REPORTED,
                Status.OUTCOME_RECORDED,
                Status.CLOSED,
            ):
                owner = step.actor
            elif step.to_status in (Status.ESCALATED, Status.CLOSED):
                owner = owner or step.actor
            previous = step.to_status
        outcomes = [s.at for s in steps if s.to_status == Status.OUTCOME_RECORDED]
        triaged_at = first.get(Status.TRIAGED)
        if Status.ESCALATED in first:
            triaged_at = min(triaged_at or first[Status.ESCALATED], first[Status.ESCALATED])
        client = concern.visit.client
        return RiskReport(
            client=client,
            area_id=client.area_id,
            category=concern.category,
            severity=concern.severity,
            route=concern.route,
            status=status,
            what_was_seen=self.rng.choice(texts.SEEN[concern.category.slug]).format(
                called=client.preferred_name or client.first_name
            ),
            observed_at=concern.observed_at,
            action_taken=self.rng.choice(texts.ACTION_TAKEN),
            client_wishes=self.rng.choice(texts.CLIENT_WISHES),
            reported_by=concern.reported_by,
            on_behalf_of=concern.on_behalf_of,
            owner=owner,
            reported_at=concern.reported_at,
            due_at=due_from + target_for(concern.severity),
            triaged_at=triaged_at,
            escalated_at=first.get(Status.ESCALATED),
            outcome_at=outcomes[-1] if outcomes else None,
            closed_at=steps[-1].at if status == Status.CLOSED else None,
            close_reason=steps[-1].note[:200] if status == Status.CLOSED else "",
            too_late_for_meeting_at=concern.too_late_at,
        )

    def _good_news(self, concern: _Concern, risk: RiskReport, step: _Step) -> Notification:
        """What the volunteer was sent when the outcome was recorded, long since read."""
        client = concern.visit.client
        name = concern.category.name
        day = timezone.localtime(concern.reported_at)
        which = f"the {name[:1].lower() + name[1:]} concern you raised on {day.day} {day:%b}"
        if concern.visit.tells_detail:
            title = f"Good news about {which} for {client.preferred_name or client.first_name}"
            body = step.outcome["volunteer_message"]
        else:
            title, body = f"Good news about {which}", THANKS_ONLY
        read = min(step.at + datetime.timedelta(hours=self.rng.uniform(1, 30)), self.now)
        return Notification(
            recipient=concern.on_behalf_of or concern.reported_by,
            kind=Notification.Kind.GOOD_NEWS,
            title=title[:200],
            body=body,
            link=f"/risks/{risk.pk}/",
            created_at=step.at,
            delivered_at=step.at + MINUTE,
            read_at=read,
        )

    def _everyone_else_at_meetings(self) -> None:
        """Who else was invited to the past meetings made here, and who came."""
        rng = self.rng
        people = self.people
        recent = self.today - datetime.timedelta(days=270)
        self.invited_at = {pk: meeting.starts_at - 3 * DAY for pk, meeting in self.meetings_by_pk.items()}
        for meeting in self.new_meetings:
            self.invited_at[meeting.pk] = meeting.created_at
            day = timezone.localdate(meeting.starts_at)
            came = AttendanceResponse.ATTENDED
            sorry = AttendanceResponse.APOLOGIES
            cancelled = meeting.status == MeetingStatus.CANCELLED
            chair_role = AttendanceRole.CHAIR
            self.attend(meeting, meeting.chair, chair_role, AttendanceResponse.INVITED if cancelled else came)
            if meeting.kind == MeetingKind.MDT:
                with_volunteers = day >= self.trial_start
                self.attend(
                    meeting, people["nina"], AttendanceRole.CLINICIAN, came if rng.random() < 0.85 else sorry
                )
                self.attend(
                    meeting, people["ollie"], AttendanceRole.CLINICIAN, came if rng.random() < 0.6 else sorry
                )
                self.attend(
                    meeting,
                    people["cora"],
                    AttendanceRole.COORDINATOR,
                    came if rng.random() < (0.4 if with_volunteers else 0.75) else sorry,
                )
                continue
            area = WEST if meeting.area_id == self.areas[WEST].pk else EAST
            if meeting.kind == MeetingKind.COFFEE_MORNING:
                continue  # those raising concerns, and a few others, were added as they were raised
            volunteers = {visit.volunteer for visit in self.visits_on(day, area)}
            for volunteer in sorted(volunteers, key=lambda user: user.pk):
                if cancelled:
                    self.attend(meeting, volunteer, AttendanceRole.VOLUNTEER, AttendanceResponse.INVITED)
                else:
                    self.attend(
                        meeting, volunteer, AttendanceRole.VOLUNTEER, came if rng.random() < 0.65 else sorry
                    )
            if area == WEST:
                self.attend(
                    meeting,
                    people["tom"],
                    AttendanceRole.TEAM_LEADER,
                    AttendanceResponse.INVITED if cancelled else (came if rng.random() < 0.85 else sorry),
                )
                share = 0.6 if day >= recent else 0.25
                self.attend(
                    meeting,
                    people["nina"],
                    AttendanceRole.CLINICIAN,
                    AttendanceResponse.INVITED if cancelled else (came if rng.random() < share else sorry),
                )


# --- The trial -------------------------------------------------------------------------------


def _trial(people: _People) -> None:
    """Volunteers at Alverton Practice's Multi-Disciplinary Team meeting: the three months
    to the end of last month, its cards, and the decision to extend it."""
    alverton = people.practices.get(ALVERTON)
    if alverton is None or Trial.objects.filter(title=texts.TRIAL_TITLE, practice=alverton).exists():
        return
    mona = people["mona"]
    now = timezone.now()
    this_month = timezone.localdate().replace(day=1)
    starts_on = this_month - relativedelta(months=3)
    ends_on = this_month - DAY
    ended_at = _at(this_month, 0)
    trial = Trial.objects.create(
        title=texts.TRIAL_TITLE,
        model=TrialModel.VOLUNTEERS_AT_MDT,
        organisation=mona.organisation,
        practice=alverton,
        starts_on=starts_on,
        ends_on=ends_on,
        description=texts.TRIAL_DESCRIPTION,
        created_by=mona,
        created_at=_at(starts_on - datetime.timedelta(days=30), 11),
        decision=TrialDecision.EXTEND,
        decision_reason=texts.TRIAL_DECISION_REASON,
        decided_by=mona,
        decided_at=max(min(ended_at + datetime.timedelta(days=9, hours=10), now), ended_at),
    )
    written_from = ended_at - datetime.timedelta(days=12)
    FeedbackCard.objects.bulk_create(
        FeedbackCard(
            trial=trial,
            writer_role=role,
            opportunities=opportunities,
            limitations=limitations,
            entered_by=people[username],
            written_at=written_from + datetime.timedelta(hours=20 * index),
        )
        for index, (role, username, opportunities, limitations) in enumerate(texts.CARDS)
        if username in people.by_username
    )
