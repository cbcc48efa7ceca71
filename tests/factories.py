"""factory_boy factories for every model. Tests build what they need with these."""

import datetime

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from clients.models import Client, Consent, ConsentScope
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
from volunteers.models import ConfidentialityAgreement, DBSCheck, TrainingModule, TrainingRecord, Volunteer

TEST_PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.CHARITY


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Area {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    default_route = Route.FORMAL_MEETING
    allowed_routes = factory.LazyFunction(lambda: list(Route.values))


class GPPracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GPPractice

    name = factory.Sequence(lambda n: f"Practice {n}")
    code = factory.Sequence(lambda n: f"T{n:05d}")
    area = factory.SubFactory(AreaFactory)
    mdt_welcomes_volunteers = False


class UserFactory(factory.django.DjangoModelFactory):
    """A person. `roles=["coordinator"]` puts them in those role groups;
    `areas=[area]` and `practices=[practice]` give them current memberships."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            self.groups.add(Group.objects.get_or_create(name=role)[0])

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        for area in extracted or []:
            AreaMembership.objects.create(user=self, area=area)

    @factory.post_generation
    def practices(self, create, extracted, **kwargs):
        for practice in extracted or []:
            PracticeMembership.objects.create(user=self, practice=practice)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


class AreaMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AreaMembership

    user = factory.SubFactory(UserFactory)
    area = factory.SubFactory(AreaFactory)
    started_on = factory.LazyFunction(timezone.localdate)


class PracticeMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticeMembership

    user = factory.SubFactory(UserFactory)
    practice = factory.SubFactory(GPPracticeFactory)
    started_on = factory.LazyFunction(timezone.localdate)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = Notification.Kind.GENERAL
    title = factory.Sequence(lambda n: f"Notification {n}")
    body = "Something happened that you will want to know about."
    link = ""
    next_attempt_at = factory.LazyFunction(timezone.now)


class VolunteerFactory(factory.django.DjangoModelFactory):
    """A volunteer profile and its user, in the volunteer group. `areas=[area]` gives the
    user current area memberships (where they may be deployed)."""

    class Meta:
        model = Volunteer
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, roles=[Role.VOLUNTEER])
    postcode = "TR18 4AB"
    skills = factory.LazyFunction(list)
    availability = "Weekday mornings"
    capacity = 2
    status = Volunteer.Status.ACTIVE
    mdt_opt_in = False

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        for area in extracted or []:
            AreaMembership.objects.create(user=self.user, area=area)


class ClientFactory(factory.django.DjangoModelFactory):
    """A client registered at `gp_practice`, in that practice's area unless told otherwise.
    Allocations are not made here: use clients.services.allocation_start, which grants the
    volunteer's access with the allocation."""

    class Meta:
        model = Client

    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.LazyFunction(lambda: datetime.date(1941, 3, 14))
    address = "3 Chapel Street\nPenzance"
    postcode = "TR18 4AJ"
    gp_practice = factory.SubFactory(GPPracticeFactory)
    area = factory.SelfAttribute("gp_practice.area")
    practical_needs = "Knock loudly; the dog is friendly."


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    client = factory.SubFactory(ClientFactory)
    scope = ConsentScope.SHARE_WITH_MDT
    given_on = factory.LazyFunction(timezone.localdate)
    how_given = Consent.HowGiven.VERBAL
    recorded_by = factory.SubFactory(UserFactory)


class DBSCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DBSCheck

    volunteer = factory.SubFactory(VolunteerFactory)
    checked_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))
    reference = factory.Sequence(lambda n: f"00{n:010d}")
    renewal_due_on = factory.LazyAttribute(lambda check: check.checked_on + datetime.timedelta(days=3 * 365))


class TrainingModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingModule
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Training module {n}")
    description = "What to look for and what to do."


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    volunteer = factory.SubFactory(VolunteerFactory)
    module = factory.SubFactory(TrainingModuleFactory)
    completed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))


class ConfidentialityAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConfidentialityAgreement

    volunteer = factory.SubFactory(VolunteerFactory)
    signed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    version = factory.Sequence(lambda n: f"2026.{n}")
