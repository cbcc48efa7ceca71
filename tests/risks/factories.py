"""Factories for the risks app. Concerns are made the way the application makes them: a
volunteer who really visits the client (allocated through clients.services) reports it
through risks.services.risk_report, so every concern has its REPORTED event and, when
urgent, its alert.

Transactional tests empty every table, including the seeded categories: get a category
with `category(slug)` (which re-seeds the taxonomy when it is missing) or
`RiskCategoryFactory`, never from migration data alone."""

import datetime

import factory
from django.utils import timezone

from clients.models import Client
from clients.services import allocation_start
from livingwell.accounts.roles import Role
from livingwell.accounts.selectors import people_with_role_in
from risks import services
from risks.models import OnCallShift, RiskCategory, RiskReport, Service, Severity
from risks.taxonomy import ensure_categories
from tests.factories import AreaFactory, ClientFactory, UserFactory, VolunteerFactory


def category(slug: str = "falls-mobility") -> RiskCategory:
    """A category of the seeded taxonomy, seeding it first if the table was emptied."""
    found = RiskCategory.objects.filter(slug=slug).first()
    if found is None:
        ensure_categories(RiskCategory)
        found = RiskCategory.objects.get(slug=slug)
    return found


class RiskCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskCategory
        django_get_or_create = ("slug",)

    group = RiskCategory.Group.HEALTH
    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")
    look_for = "Something that worries you."
    do_now = "Stay calm and tell us."
    emergency = "Call 999 if anyone is in danger."
    who_to_tell = "Report it here."


class ServiceFactory(factory.django.DjangoModelFactory):
    """A directory service. `areas=[area]` says where it works (none unless given)."""

    class Meta:
        model = Service
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Service {n}")
    kind = Service.Kind.TRANSPORT
    is_medical = False
    helps_with = "Lifts to appointments and the shops."
    phone = "01872 000000"

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        for area in extracted or []:
            self.areas.add(area)

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        for item in extracted or []:
            self.categories.add(item)


class OnCallShiftFactory(factory.django.DjangoModelFactory):
    """A shift that covers now: it started an hour ago and ends in eight hours."""

    class Meta:
        model = OnCallShift

    area = factory.SubFactory(AreaFactory)
    team_leader = factory.LazyAttribute(
        lambda shift: UserFactory(roles=[Role.TEAM_LEADER], areas=[shift.area])
    )
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    ends_at = factory.LazyAttribute(lambda shift: shift.starts_at + datetime.timedelta(hours=9))


def ensure_visits(client: Client, volunteer_user) -> None:
    """Allocate `volunteer_user` to `client` as a coordinator of the client's area would,
    unless they already visit. Uses an existing coordinator of the area when there is one,
    so that tests counting an area's coordinators are not surprised by a new one."""
    if Client.objects.allocated_to(volunteer_user).filter(pk=client.pk).exists():
        return
    by = people_with_role_in(Role.COORDINATOR, [client.area]).first() or UserFactory(
        roles=[Role.COORDINATOR], areas=[client.area]
    )
    allocation_start(client=client, volunteer=volunteer_user.volunteer, by=by)


class RiskReportFactory(factory.django.DjangoModelFactory):
    """A concern reported through risks.services.risk_report by a volunteer who visits the
    client. `reported_by` must be a volunteer's user who works in the client's area; by
    default a new volunteer of that area is made."""

    class Meta:
        model = RiskReport

    client = factory.SubFactory(ClientFactory)
    reported_by = factory.LazyAttribute(lambda risk: VolunteerFactory(areas=[risk.client.area]).user)
    category = factory.LazyFunction(category)
    severity = Severity.MEDIUM
    what_was_seen = "She seemed unsteady and had a bruise on her arm she could not explain."
    observed_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=2))

    @classmethod
    def _create(cls, model_class, *args, client, reported_by, **kwargs):
        ensure_visits(client, reported_by)
        return services.risk_report(by=reported_by, client=client, **kwargs)


COPIED_FIELDS = (
    "client_id",
    "area_id",
    "category_id",
    "severity",
    "route",
    "status",
    "what_was_seen",
    "observed_at",
    "reported_by_id",
    "on_behalf_of_id",
    "owner_id",
    "reported_at",
    "due_at",
    "triaged_at",
)


def bulk_copies(risk: RiskReport, count: int, **overrides) -> list[RiskReport]:
    """`count` more concerns like `risk`, written in one INSERT (for tests of how a page
    scales). Each is due a minute later than the one before. Overrides may be callables
    of the copy's index."""
    copies = []
    for index in range(count):
        fields = {name: getattr(risk, name) for name in COPIED_FIELDS}
        fields["due_at"] = risk.due_at + datetime.timedelta(minutes=index + 1)
        for name, value in overrides.items():
            fields[name] = value(index) if callable(value) else value
        copies.append(RiskReport(**fields))
    return RiskReport.objects.bulk_create(copies)


# The open concerns of West Cornwall that the `varied` fixture (conftest.py) makes, by client.
OPEN_IN_WEST = {"Able", "Carne", "Dunn", "Eddy", "Fox", "Gill", "Hicks", "Jory"}
