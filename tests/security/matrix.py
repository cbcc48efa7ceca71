"""The authorisation matrix: for every route of the URLconf, how to build its URL about the
scene's objects (tests/security/scene.py), which methods to try, and what each kind of
person is answered.

A route that no row and no rule covers fails `test_every_route_has_rows`, and so does a
row whose route no longer exists. Adding an app's routes is a few lines: one `Row` per
route in `ROWS` (or one rule in `RULES` for a group of routes that answer alike).

Answers: a status code (200, 403, 404, 405), `LOGIN` (sent to the sign-in page),
`ADMIN_LOGIN` (sent to the admin site's sign-in page), `ELSEWHERE` (sent on to another page:
the product's answer, allowed) or `TURNED_AWAY` (sent on to another page, but refused: a POST
answered so must change nothing)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps

GET, POST = "GET", "POST"
OK, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 403, 404, 405
LOGIN = "sign-in"
ADMIN_LOGIN = "admin sign-in"
ELSEWHERE = "elsewhere"
TURNED_AWAY = "turned away"
_GRANTED = {OK, ELSEWHERE}

# The columns: one person of each kind, about Elsie Trewin, a client of West Cornwall.
KINDS = (
    "anonymous",
    "volunteer",  # allocated to Elsie, raised the concern about her
    "volunteer_unallocated",  # a West volunteer who visits someone else
    "volunteer_left",  # visited Elsie until the allocation ended
    "coordinator",  # of West Cornwall
    "coordinator_other_area",  # of East Cornwall
    "coordinator_left",  # worked in West Cornwall; the membership ended
    "team_leader",
    "team_leader_other_area",
    "team_leader_left",
    "mdt_chair",  # chairs the MDT meeting with Elsie on its agenda
    "clinician",  # invited to that meeting
    "mdt_chair_not_attending",  # of Elsie's practice, not that meeting
    "clinician_not_attending",
    "mdt_chair_other_practice",
    "clinician_other_practice",
    "manager",
    "superuser",
)
# Names for groups of columns, to write rows shortly; a row's kinds override its groups.
GROUPS = {
    "signed_in": KINDS[1:],
    "volunteers": ("volunteer", "volunteer_unallocated", "volunteer_left"),
    "staff": ("coordinator", "team_leader"),
    "coordinators": ("coordinator", "coordinator_other_area", "coordinator_left"),
    "team_leaders": ("team_leader", "team_leader_other_area", "team_leader_left"),
    "all_staff": (
        "coordinator",
        "coordinator_other_area",
        "coordinator_left",
        "team_leader",
        "team_leader_other_area",
        "team_leader_left",
    ),
    "other_staff": ("coordinator_other_area", "team_leader_other_area"),
    "left_staff": ("coordinator_left", "team_leader_left"),
    "chairs": ("mdt_chair", "mdt_chair_not_attending", "mdt_chair_other_practice"),
    "clinicians": ("clinician", "clinician_not_attending", "clinician_other_practice"),
    "mdt": (
        "mdt_chair",
        "clinician",
        "mdt_chair_not_attending",
        "clinician_not_attending",
        "mdt_chair_other_practice",
        "clinician_other_practice",
    ),
}

# Tables a refused request may write to: the records of the refusal itself.
TABLES_A_REFUSAL_WRITES = frozenset()


def grants(answer) -> bool:
    return answer in _GRANTED


def same(expected, answer) -> bool:
    if expected == TURNED_AWAY:
        return answer == ELSEWHERE
    return expected == answer


def answers(default=None, **given) -> dict[str, object]:
    """Every kind's answer: `default`, then the groups named, then the kinds named."""
    table = dict.fromkeys(KINDS, default)
    for name, answer in given.items():
        if name in GROUPS:
            table.update(dict.fromkeys(GROUPS[name], answer))
    for name, answer in given.items():
        if name in KINDS:
            table[name] = answer
        elif name not in GROUPS:
            raise KeyError(f"No kind or group of kinds is called {name!r}.")
    return table


@dataclass(frozen=True)
class Row:
    """One route: its URL's kwargs from the scene, and the answer per kind for each method
    tried (POST is tried when `post` is given). `data` is the POST body (empty unless given);
    `target` the object whose fields a refused POST must leave alone."""

    get: dict[str, object]
    post: dict[str, object] | None = None
    kwargs: Callable | None = None
    data: Callable | None = None
    target: Callable | None = None

    def methods(self) -> dict[str, dict[str, object]]:
        return {GET: self.get} | ({POST: self.post} if self.post is not None else {})


def pk(*path: str) -> Callable:
    """kwargs of the scene's objects' primary keys: pk("pk", "elsie") -> {"pk": scene.elsie.pk}."""
    pairs = list(zip(path[::2], path[1::2], strict=True))
    return lambda scene: {name: getattr(scene, attribute).pk for name, attribute in pairs}


def also(make: Callable, **extra) -> Callable:
    return lambda scene: {**make(scene), **extra}


def attribute(name: str) -> Callable:
    return lambda scene: getattr(scene, name)


# --- The rows ------------------------------------------------------------------------------

ROWS: dict[str, Row] = {}

# People signed in are sent on from the sign-in page; everything else answers them alike.
EVERYONE = answers(OK)
SIGNED_IN = answers(OK, anonymous=LOGIN)
POST_ONLY = answers(NOT_ALLOWED, anonymous=LOGIN)

# --- Platform: health, signing in and out, passwords, two-step sign-in, home ---------------
ROWS |= {
    "healthz": Row(get=EVERYONE, post=answers(NOT_ALLOWED)),
    "home": Row(get=SIGNED_IN, post=SIGNED_IN),
    "login": Row(get=answers(ELSEWHERE, anonymous=OK), post=answers(ELSEWHERE, anonymous=OK)),
    "logout": Row(get=answers(NOT_ALLOWED), post=answers(ELSEWHERE)),
    "password_change": Row(get=SIGNED_IN, post=SIGNED_IN),
    "password_change_done": Row(get=SIGNED_IN, post=SIGNED_IN),
    "password_reset": Row(get=EVERYONE, post=EVERYONE),
    "password_reset_done": Row(get=EVERYONE, post=EVERYONE),
    "password_reset_confirm": Row(
        get=answers(ELSEWHERE),
        post=answers(ELSEWHERE),
        kwargs=lambda scene: {"uidb64": scene.reset_uid, "token": scene.reset_token},
    ),
    "password_reset_complete": Row(get=EVERYONE, post=EVERYONE),
    "two_step_verify": Row(get=answers(ELSEWHERE, anonymous=LOGIN), post=answers(ELSEWHERE, anonymous=LOGIN)),
    "two_step_setup": Row(get=SIGNED_IN, post=SIGNED_IN),
    "two_step_settings": Row(get=SIGNED_IN, post=SIGNED_IN),
    "two_step_backup_codes": Row(get=SIGNED_IN, post=SIGNED_IN),
    "two_step_turn_off": Row(get=SIGNED_IN, post=SIGNED_IN),
}

# --- Notifications: everyone signed in has an inbox; a notification is its recipient's -----
ROWS |= {
    "notifications:inbox": Row(get=SIGNED_IN, post=SIGNED_IN),
    "notifications:mark_all_read": Row(get=POST_ONLY, post=answers(ELSEWHERE, anonymous=LOGIN)),
    "notifications:mark_read": Row(
        get=POST_ONLY,
        post=answers(NOT_FOUND, anonymous=LOGIN, volunteer=ELSEWHERE),
        kwargs=pk("pk", "notification"),
        target=attribute("notification"),
    ),
    "notifications:attachment": Row(
        get=answers(NOT_FOUND, anonymous=LOGIN, volunteer=OK),
        post=POST_ONLY,
        kwargs=pk("pk", "notification"),
    ),
}

# --- Clients: staff of the client's area, and the volunteer who visits her -----------------
STAFF_PAGE = answers(FORBIDDEN, anonymous=LOGIN, staff=OK, other_staff=NOT_FOUND, left_staff=NOT_FOUND)
STAFF_POST_ONLY = answers(FORBIDDEN, anonymous=LOGIN, all_staff=NOT_ALLOWED)
STAFF_POST = answers(FORBIDDEN, anonymous=LOGIN, staff=ELSEWHERE, other_staff=NOT_FOUND, left_staff=NOT_FOUND)
ANY_STAFF_PAGE = answers(FORBIDDEN, anonymous=LOGIN, all_staff=OK)
ROWS |= {
    "clients:list": Row(get=SIGNED_IN, post=SIGNED_IN),
    "clients:create": Row(get=ANY_STAFF_PAGE, post=ANY_STAFF_PAGE),
    "clients:detail": Row(
        get=answers(NOT_FOUND, anonymous=LOGIN, volunteer=OK, staff=OK),
        post=answers(NOT_FOUND, anonymous=LOGIN, volunteer=OK, staff=OK),
        kwargs=pk("pk", "elsie"),
        target=attribute("elsie"),
    ),
    "clients:edit": Row(get=STAFF_PAGE, post=STAFF_PAGE, kwargs=pk("pk", "elsie"), target=attribute("elsie")),
    "clients:consent_new": Row(get=STAFF_PAGE, post=STAFF_PAGE, kwargs=pk("pk", "elsie")),
    "clients:allocate": Row(get=STAFF_PAGE, post=STAFF_PAGE, kwargs=pk("pk", "elsie")),
    "clients:consent_withdraw": Row(
        get=STAFF_PAGE, post=STAFF_PAGE, kwargs=pk("pk", "consent"), target=attribute("consent")
    ),
    "clients:allocation_end": Row(
        get=STAFF_POST_ONLY, post=STAFF_POST, kwargs=pk("pk", "allocation"), target=attribute("allocation")
    ),
}

# --- Volunteers' records: staff of the volunteer's area; a volunteer's own profile ---------
ROWS |= {
    "volunteers:list": Row(get=ANY_STAFF_PAGE, post=ANY_STAFF_PAGE),
    "volunteers:create": Row(get=ANY_STAFF_PAGE, post=ANY_STAFF_PAGE),
    "volunteers:me": Row(
        get=answers(FORBIDDEN, anonymous=LOGIN, volunteers=OK),
        post=answers(FORBIDDEN, anonymous=LOGIN, volunteers=OK),
    ),
    "volunteers:detail": Row(get=STAFF_PAGE, post=STAFF_PAGE, kwargs=pk("pk", "vera"), target=attribute("vera")),
    "volunteers:edit": Row(get=STAFF_PAGE, post=STAFF_PAGE, kwargs=pk("pk", "vera"), target=attribute("vera")),
    "volunteers:record_add": Row(
        get=STAFF_PAGE, post=STAFF_PAGE, kwargs=also(pk("pk", "vera"), kind="dbs"), target=attribute("vera")
    ),
}

# --- Concerns, the phone line's rota, the directory -------------------------------------
VOLUNTEERS_PAGE = answers(FORBIDDEN, anonymous=LOGIN, volunteers=OK)
COORDINATORS_PAGE = answers(FORBIDDEN, anonymous=LOGIN, coordinators=OK)
ROWS |= {
    "risks:new": Row(get=VOLUNTEERS_PAGE, post=VOLUNTEERS_PAGE),
    "risks:phone": Row(
        get=answers(FORBIDDEN, anonymous=LOGIN, team_leaders=OK),
        post=answers(FORBIDDEN, anonymous=LOGIN, team_leaders=OK),
    ),
    "risks:queue": Row(get=ANY_STAFF_PAGE, post=ANY_STAFF_PAGE),
    "risks:mine": Row(get=VOLUNTEERS_PAGE, post=VOLUNTEERS_PAGE),
    "risks:rota": Row(get=ANY_STAFF_PAGE, post=ANY_STAFF_PAGE),
    "risks:shift_new": Row(get=COORDINATORS_PAGE, post=COORDINATORS_PAGE),
    "risks:shift_edit": Row(
        get=answers(FORBIDDEN, anonymous=LOGIN, coordinators=NOT_FOUND, coordinator=OK),
        post=answers(FORBIDDEN, anonymous=LOGIN, coordinators=NOT_FOUND, coordinator=OK),
        kwargs=pk("pk", "shift"),
        target=attribute("shift"),
    ),
    "risks:detail": Row(
        get=answers(NOT_FOUND, anonymous=LOGIN, volunteer=OK, staff=OK),
        post=answers(NOT_FOUND, anonymous=LOGIN, volunteer=OK, staff=OK),
        kwargs=pk("pk", "risk"),
        target=attribute("risk"),
    ),
    "risks:transition": Row(
        get=STAFF_POST_ONLY, post=STAFF_POST, kwargs=also(pk("pk", "risk"), action="triage"), target=attribute("risk")
    ),
    "directory:list": Row(
        get=answers(FORBIDDEN, anonymous=LOGIN, volunteers=OK, all_staff=OK),
        post=answers(FORBIDDEN, anonymous=LOGIN, volunteers=OK, all_staff=OK),
    ),
    "directory:new": Row(get=COORDINATORS_PAGE, post=COORDINATORS_PAGE),
    "directory:edit": Row(
        get=answers(FORBIDDEN, anonymous=LOGIN, coordinators=NOT_FOUND, coordinator=OK),
        post=answers(FORBIDDEN, anonymous=LOGIN, coordinators=NOT_FOUND, coordinator=OK),
        kwargs=pk("pk", "service"),
        target=attribute("service"),
    ),
}

# --- Meetings: the MDT meeting with Elsie on its agenda, and West's formal meeting ----------
MEETING_ROLES = answers(FORBIDDEN, anonymous=LOGIN, volunteers=OK, all_staff=OK, mdt=OK)
SEES_MDT = answers(NOT_FOUND, anonymous=LOGIN, volunteer=OK, staff=OK, mdt_chair=OK, clinician=OK)
RUNS_MDT = answers(NOT_FOUND, anonymous=LOGIN, mdt_chair=OK)
RUNS_MDT_POST = answers(NOT_FOUND, anonymous=LOGIN, mdt_chair=ELSEWHERE)
RUNS_FORMAL_POST = answers(NOT_FOUND, anonymous=LOGIN, coordinator=ELSEWHERE)
MEETING_POST_ONLY = answers(NOT_ALLOWED, anonymous=LOGIN)
MDT = pk("pk", "mdt")
MDT_ITEM = pk("pk", "mdt", "item_pk", "elsie_item")


def _mdt_row(get=RUNS_MDT, post=RUNS_MDT_POST, kwargs=MDT):
    return Row(get=get, post=post, kwargs=kwargs, target=attribute("mdt"))


ROWS |= {
    "meetings:list": Row(get=MEETING_ROLES, post=MEETING_ROLES),
    "meetings:new": Row(
        get=answers(FORBIDDEN, anonymous=LOGIN, coordinators=OK, chairs=OK),
        post=answers(FORBIDDEN, anonymous=LOGIN, coordinators=OK, chairs=OK),
    ),
    "meetings:protocol": Row(
        get=answers(FORBIDDEN, anonymous=LOGIN, chairs=NOT_FOUND, mdt_chair=OK, mdt_chair_not_attending=OK),
        post=answers(FORBIDDEN, anonymous=LOGIN, chairs=NOT_FOUND, mdt_chair=OK, mdt_chair_not_attending=OK),
        kwargs=pk("practice_pk", "practice"),
    ),
    "meetings:detail": _mdt_row(get=SEES_MDT, post=SEES_MDT),
    "meetings:calendar": _mdt_row(get=SEES_MDT, post=SEES_MDT),
    "meetings:edit": _mdt_row(),
    "meetings:cancel": _mdt_row(get=MEETING_POST_ONLY),
    "meetings:invite": _mdt_row(get=MEETING_POST_ONLY),
    "meetings:attendance": _mdt_row(get=MEETING_POST_ONLY),
    "meetings:held": _mdt_row(get=MEETING_POST_ONLY),
    "meetings:finalise": _mdt_row(get=MEETING_POST_ONLY),
    "meetings:notes": Row(
        get=MEETING_POST_ONLY, post=RUNS_FORMAL_POST, kwargs=pk("pk", "formal"), target=attribute("formal")
    ),
    "meetings:raise": _mdt_row(get=RUNS_MDT),
    "meetings:action_add": _mdt_row(get=MEETING_POST_ONLY),
    "meetings:action_done": _mdt_row(
        get=MEETING_POST_ONLY,
        post=answers(NOT_FOUND, anonymous=LOGIN, mdt_chair=ELSEWHERE, clinician=ELSEWHERE),
        kwargs=pk("pk", "mdt", "action_pk", "action"),
    ),
    "meetings:agenda_add": _mdt_row(),
    "meetings:publish": _mdt_row(get=MEETING_POST_ONLY),
    "meetings:item_move": _mdt_row(get=MEETING_POST_ONLY, kwargs=also(MDT_ITEM, direction="down")),
    "meetings:item_minutes": _mdt_row(get=MEETING_POST_ONLY, kwargs=MDT_ITEM),
    "meetings:item_conclude": _mdt_row(get=MEETING_POST_ONLY, kwargs=MDT_ITEM),
    "meetings:item_outcome": _mdt_row(get=MEETING_POST_ONLY, kwargs=MDT_ITEM),
    "meetings:item_remove": _mdt_row(get=MEETING_POST_ONLY, kwargs=MDT_ITEM),
    "meetings:item_volunteer": _mdt_row(kwargs=MDT_ITEM),
    "meetings:item_volunteer_remove": _mdt_row(get=MEETING_POST_ONLY, kwargs=MDT_ITEM),
    "meetings:summary": _mdt_row(
        get=answers(NOT_FOUND, anonymous=LOGIN, volunteer=OK, mdt_chair=OK, clinician=OK),
        post=answers(NOT_FOUND, anonymous=LOGIN, volunteer=OK, mdt_chair=OK, clinician=OK),
        kwargs=pk("pk", "mdt", "client_pk", "elsie"),
    ),
}

# --- Success stories --------------------------------------------------------------------
FEED = answers(FORBIDDEN, anonymous=LOGIN, volunteers=OK, all_staff=OK, manager=OK)
APPROVERS = answers(FORBIDDEN, anonymous=LOGIN, coordinators=OK, manager=OK)
ROWS |= {
    "stories:feed": Row(get=FEED, post=FEED),
    "stories:review": Row(get=APPROVERS, post=APPROVERS),
    "stories:new": Row(get=COORDINATORS_PAGE, post=COORDINATORS_PAGE),
    "stories:detail": Row(
        get=answers(FORBIDDEN, anonymous=LOGIN, volunteers=OK, all_staff=NOT_FOUND, staff=OK, manager=OK),
        post=answers(FORBIDDEN, anonymous=LOGIN, volunteers=OK, all_staff=NOT_FOUND, staff=OK, manager=OK),
        kwargs=pk("pk", "published_story"),
        target=attribute("published_story"),
    ),
    "stories:edit": Row(
        get=answers(FORBIDDEN, anonymous=LOGIN, coordinators=NOT_FOUND, coordinator=OK),
        post=answers(FORBIDDEN, anonymous=LOGIN, coordinators=NOT_FOUND, coordinator=OK),
        kwargs=pk("pk", "draft_story"),
        target=attribute("draft_story"),
    ),
    "stories:transition": Row(
        get=answers(FORBIDDEN, anonymous=LOGIN, coordinators=NOT_ALLOWED, manager=NOT_ALLOWED),
        post=answers(FORBIDDEN, anonymous=LOGIN, coordinators=NOT_FOUND, coordinator=ELSEWHERE, manager=ELSEWHERE),
        kwargs=also(pk("pk", "published_story"), action="withdraw"),
        target=attribute("published_story"),
    ),
}

# --- Reports and trials -----------------------------------------------------------------
REPORTERS = answers(FORBIDDEN, anonymous=LOGIN, coordinators=OK, chairs=OK, manager=OK)
GET_ONLY_REPORTERS = answers(FORBIDDEN, anonymous=LOGIN, coordinators=NOT_ALLOWED, chairs=NOT_ALLOWED, manager=NOT_ALLOWED)
TRIAL = pk("pk", "trial")
ROWS |= {
    "reports:dashboard": Row(get=SIGNED_IN, post=SIGNED_IN),
    "reports:export_csv": Row(get=SIGNED_IN, post=answers(NOT_ALLOWED)),
    "reports:export_xlsx": Row(get=SIGNED_IN, post=answers(NOT_ALLOWED)),
    "reports:extract": Row(get=SIGNED_IN, post=answers(NOT_ALLOWED)),
    "reports:trials": Row(get=REPORTERS, post=GET_ONLY_REPORTERS),
    "reports:trial_new": Row(
        get=answers(FORBIDDEN, anonymous=LOGIN, manager=OK), post=answers(FORBIDDEN, anonymous=LOGIN, manager=OK)
    ),
    "reports:trial": Row(get=REPORTERS, post=GET_ONLY_REPORTERS, kwargs=TRIAL, target=attribute("trial")),
    "reports:card_new": Row(get=REPORTERS, post=REPORTERS, kwargs=TRIAL, target=attribute("trial")),
    "reports:trial_decide": Row(
        get=answers(FORBIDDEN, anonymous=LOGIN, manager=OK),
        post=answers(FORBIDDEN, anonymous=LOGIN, manager=OK),
        kwargs=TRIAL,
        target=attribute("trial"),
    ),
    "reports:trial_report": Row(get=REPORTERS, post=GET_ONLY_REPORTERS, kwargs=TRIAL),
    "reports:trial_xlsx": Row(get=REPORTERS, post=GET_ONLY_REPORTERS, kwargs=TRIAL),
}


# --- Rules for groups of routes -------------------------------------------------------------


def _admin_model(route):
    """The model of an admin route 'admin/<app_label>/<model_name>/...', or None."""
    parts = route.pattern.split("/")
    if len(parts) < 3 or parts[0] != "admin":
        return None
    try:
        return apps.get_model(parts[1], parts[2])
    except (LookupError, ValueError):
        return None


def _admin_rule(route) -> Row | None:
    """Every admin route: the admin site's sign-in for everyone but the superuser."""
    if not route.pattern.startswith("admin/"):
        return None
    model = _admin_model(route)
    kwargs = None
    if model is not None and {"object_id", "pk"} & set(route.parameters):
        name = "object_id" if "object_id" in route.parameters else "pk"

        def kwargs(scene, model=model, name=name):
            found = model._base_manager.order_by("pk").values_list("pk", flat=True).first()
            return {name: found if found is not None else 0}

    elif route.key == "admin:view_on_site":

        def kwargs(scene):
            from django.contrib.contenttypes.models import ContentType

            return {"content_type_id": ContentType.objects.get_for_model(scene.elsie).pk, "object_id": scene.elsie.pk}

    elif route.key == "admin:app_list":
        kwargs = lambda scene: {"app_label": "clients"}  # noqa: E731
    elif "url" in route.parameters:
        kwargs = lambda scene: {"url": "no-such-page/"}  # noqa: E731
    takes_post = route.key.endswith(("_add", "_change", "_delete", "_changelist")) or route.key in {
        "admin:login",
        "admin:logout",
        "admin:password_change",
    }
    refused = answers(ADMIN_LOGIN)
    return Row(get=refused, post=refused if takes_post else None, kwargs=kwargs)


RULES: tuple[Callable, ...] = (_admin_rule,)


def row_for(route) -> Row | None:
    """The row for a route: its own, else the first rule that covers it."""
    if route.key in ROWS:
        return ROWS[route.key]
    for rule in RULES:
        found = rule(route)
        if found is not None:
            return found
    return None


# Cells where the product answers someone it should not: (route, kind, method) -> why.
# Each is marked xfail(strict=True), so fixing the view makes the suite say so.
KNOWN_LEAKS: dict[tuple[str, str, str], str] = {}
