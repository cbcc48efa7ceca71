"""Who may see which success story, and from which outcome a story may be written.

- A published story is read by the volunteers, coordinators, team leaders and managers of
  its organisation: of the areas where they work today (and, for a manager, of the
  organisation they work for). Meeting chairs, clinicians and people with no role do not
  read the Good news.
- Staff of the story's area (coordinators and team leaders) see it in every state.
- Managers of its organisation see it once it has been sent for approval: a draft may
  still name the client, and managers see nobody's personal details.
- A story is written, and changed, by a coordinator of the concern's area, from the
  outcome recorded on it.

Views never check these rules themselves: they call the getter of the object they take an
id for. Each answers 404 to anybody who may not have it, never revealing whether it exists.
Who may approve, publish or withdraw is the services' rule (`stories/services.py`).
"""

from __future__ import annotations

from django.http import Http404

from livingwell.accounts.selectors import staff_areas_of
from risks.models import Outcome
from stories.models import SuccessStory
from stories.selectors import WRITER_ROLES, stories_visible_to


def get_story_for(user, pk: int) -> SuccessStory:
    """A story this person may read, or 404."""
    story = (
        stories_visible_to(user)
        .select_related(
            "area__organisation",
            "outcome__risk__category",
            "written_by",
            "edited_by",
            "approved_by",
            "withdrawn_by",
        )
        .filter(pk=pk)
        .first()
    )
    if story is None:
        raise Http404("No story found")
    return story


def get_story_for_edit(user, pk: int) -> SuccessStory:
    """A story of an area where this person is a coordinator, or 404."""
    story = (
        SuccessStory.objects.filter(pk=pk, area__in=staff_areas_of(user, roles=WRITER_ROLES))
        .select_related("area__organisation", "outcome__risk__category")
        .first()
    )
    if story is None:
        raise Http404("No story found")
    return story


def get_outcome_for_story(user, pk) -> Outcome:
    """An outcome recorded on a concern of an area where this person is a coordinator, to
    write a story from, or 404."""
    # Plain ASCII digits only: `int()` also reads "١٢٣" (Arabic-Indic digits) as 123.
    text = str(pk) if isinstance(pk, int) else pk
    if not isinstance(text, str) or not text.isascii() or not text.isdigit():
        raise Http404("No outcome found")
    pk = int(text)
    outcome = (
        Outcome.objects.filter(pk=pk, risk__area__in=staff_areas_of(user, roles=WRITER_ROLES))
        .select_related("risk__area__organisation", "risk__category", "risk__client")
        .first()
    )
    if outcome is None:
        raise Http404("No outcome found")
    return outcome
