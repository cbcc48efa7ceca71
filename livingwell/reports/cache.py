"""The figures of a period that has ended, kept for a few minutes.

What happened up to a period's end is all that its figures count (see `periods.cutoff`), so
asking for the same ended period again gives the same figures, and working them out over a
year of a busy programme's concerns takes seconds. They are kept in the shared cache for
`REPORT_FIGURES_CACHE_SECONDS`, so that a manager paging through the dashboard, the
download and the print view waits once. A change to an ended period's records (attendance
written up after the meeting, say) shows once that time has passed; the dashboard's "How
these figures are worked out" says so. A period that has not ended is always worked out
afresh, and "overdue now" is never kept.

The page's sections drawn from those figures (a table and its chart) are kept the same way
(`remembered_pieces`), since drawing them costs more than reading the figures back. A
section is kept by everything it shows, so the "overdue now" it shows is the one just
counted: when that changes, the section is drawn afresh.

The cache is a convenience: when it cannot be reached, the figures are worked out."""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

from livingwell.reports.periods import ReportPeriod
from livingwell.reports.selectors import ConcernFilter

logger = logging.getLogger(__name__)

Figures = TypeVar("Figures")

CACHE_ALIAS = "reports"
# Part of every key: a change to what a figure means changes this, and old entries go unread.
KEY_VERSION = 1


def remembered(
    name: str, concerns: ConcernFilter, period: ReportPeriod, compute: Callable[[], Figures], *, now=None
) -> tuple[Figures, datetime.datetime]:
    """`compute()`, or what it gave for the same concerns and ended period a moment ago;
    with the time the figures were worked out."""
    now = now or timezone.now()
    if not _keeps(period, now):
        return compute(), now
    key = _key(name, concerns, period)
    cache = caches[CACHE_ALIAS]
    try:
        kept = cache.get(key)
    except Exception as error:
        logger.warning("The reports' cache could not be read (%s); working the figures out.", error)
        return compute(), now
    if kept is None:
        kept = (compute(), now)
        try:
            cache.set(key, kept, settings.REPORT_FIGURES_CACHE_SECONDS)
        except Exception as error:
            logger.warning("The reports' cache could not be written (%s).", error)
    return kept


def kept_figures(
    names: list[str], concerns: ConcernFilter, period: ReportPeriod, *, now=None
) -> dict[str, tuple[object, datetime.datetime]]:
    """What `remembered` keeps under each of `names` for these concerns and this ended
    period, read in one round trip (those not kept are left out)."""
    if not _keeps(period, now or timezone.now()):
        return {}
    keys = {_key(name, concerns, period): name for name in names}
    try:
        kept = caches[CACHE_ALIAS].get_many(list(keys))
    except Exception as error:
        logger.warning("The reports' cache could not be read (%s); working the figures out.", error)
        return {}
    return {keys[key]: figures for key, figures in kept.items()}


def remembered_pieces(
    name: str,
    concerns: ConcernFilter,
    period: ReportPeriod,
    pieces: list[tuple[str, Callable[[], str]]],
    *,
    now=None,
) -> list[str]:
    """For each (`content`, `render`) of `pieces`, `render()`, or what it gave a moment ago
    for the same concerns, ended period and content: `content` describes, as plain data,
    everything `render` draws on. Read and written in one round trip each."""
    if not _keeps(period, now or timezone.now()):
        return [render() for _, render in pieces]
    keys = [_key(name, concerns, period, content) for content, _ in pieces]
    cache = caches[CACHE_ALIAS]
    try:
        kept = cache.get_many(keys)
    except Exception as error:
        logger.warning("The reports' cache could not be read (%s); drawing the page afresh.", error)
        return [render() for _, render in pieces]
    made = {key: render() for key, (_, render) in zip(keys, pieces, strict=True) if key not in kept}
    if made:
        try:
            cache.set_many(made, settings.REPORT_FIGURES_CACHE_SECONDS)
        except Exception as error:
            logger.warning("The reports' cache could not be written (%s).", error)
    return [kept[key] if key in kept else made[key] for key in keys]


def _keeps(period: ReportPeriod, now: datetime.datetime) -> bool:
    """Whether what is worked out for `period` is kept: for a period that has ended."""
    return bool(settings.REPORT_FIGURES_CACHE_SECONDS) and period.ends_at <= now


def _key(name: str, concerns: ConcernFilter, period: ReportPeriod, content: str = "") -> str:
    # Sorted, so that two people whose scopes list the same areas in another order share.
    described = repr(
        (
            name,
            sorted(concerns.area_ids),
            sorted(concerns.practice_ids),
            sorted(concerns.routes),
            period.start.isoformat(),
            period.end.isoformat(),
            content,
        )
    )
    return f"reports:{KEY_VERSION}:{hashlib.sha256(described.encode()).hexdigest()}"
