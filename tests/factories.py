"""factory_boy factories for every model. Tests build what they need with these."""

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from livingwell.accounts.models import (
    Area,
    AreaMembership,
    GPPractice,
    Organisation,
    PracticeMembership,
    Route,
    User,
)
from livingwell.notifications.models import Notification

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
