""" "Your difference": what a volunteer's concerns led to this year, on their home page.

Only the volunteer's own figures: the concerns they raised (or that a team leader recorded
for them during a phone call), how many of those have an outcome, and the good news they
were sent. They are the volunteer's own, so nothing is suppressed; nothing about another
person or a client is counted or shown.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from livingwell.notifications.models import Notification
from risks.models import Outcome, RiskReport


@dataclass(frozen=True)
class YourDifference:
    year: int
    concerns: int
    with_outcome: int
    good_news: int

    @property
    def is_empty(self) -> bool:
        return not (self.concerns or self.good_news)

    def sentences(self) -> list[str]:
        """The figures in plain words, one sentence each."""
        if self.is_empty:
            return ["When you raise a concern, you will see here what difference it made."]
        said = [self._raised(), self._led_to()] if self.concerns else [self._none_raised()]
        if self.good_news:
            said.append(f"You have had {_count(self.good_news, 'message')} of good news.")
        return said

    def _raised(self) -> str:
        return f"This year you raised {_count(self.concerns, 'concern')}."

    def _none_raised(self) -> str:
        return (
            "You have not raised a concern this year yet. When you do, you will see here "
            "what difference it made."
        )

    def _led_to(self) -> str:
        one = self.concerns == 1
        if not self.with_outcome:
            if one:
                return "It has no outcome yet: we will tell you when it does."
            return "None of them has an outcome yet: we will tell you when they do."
        if one:
            return "It led to something being done."
        if self.with_outcome == self.concerns:
            return f"All {self.concerns} led to something being done."
        return f"{self.with_outcome} led to something being done."


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def start_of_year(now: datetime.datetime | None = None) -> datetime.datetime:
    """Local midnight on 1 January of this year."""
    today = timezone.localdate(now)
    return timezone.make_aware(datetime.datetime(today.year, 1, 1))


def your_difference(user, *, now: datetime.datetime | None = None) -> YourDifference:
    """This calendar year's figures for the volunteer `user`, in two queries whatever the
    number of their concerns: one aggregate over their concerns, one count of their good
    news. A concern counts as leading to an outcome if any outcome was recorded for it."""
    since = start_of_year(now)
    has_outcome = Outcome.objects.filter(risk=OuterRef("pk"))
    concerns = (
        RiskReport.objects.reported_by_volunteer(user)
        .filter(reported_at__gte=since)
        .annotate(has_outcome=Exists(has_outcome))
        .aggregate(concerns=Count("pk"), with_outcome=Count("pk", filter=Q(has_outcome=True)))
    )
    good_news = Notification.objects.filter(
        recipient=user, kind=Notification.Kind.GOOD_NEWS, created_at__gte=since
    ).count()
    return YourDifference(
        year=since.year,
        concerns=concerns["concerns"],
        with_outcome=concerns["with_outcome"],
        good_news=good_news,
    )
