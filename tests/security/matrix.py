"""The authorisation matrix: for every route of the URLconf, how to build its URL about the
scene's objects (tests/security/scene.py), which methods to try, and what each kind of
person is answered.

A route that no row and no rule covers fails `test_every_route_has_rows`, and so does a
row whose route no longer exists. Adding an app's routes is a few lines: add the objects its
URLs need to the scene, then one `Row` per route in a section of its own (or one rule in
`RULES` for a group of routes that answer alike), for example:

    ROWS |= {
        "records:list": Row(get=ANY_STAFF_PAGE),
        "records:detail": Row(get=STAFF_PAGE, kwargs=pk("pk", "record")),
        "records:edit": Row(get=STAFF_PAGE, post=STAFF_PAGE, kwargs=pk("pk", "record"),
                            target=attribute("record")),
    }

`answers(default, **given)` writes a column set shortly: the default, then groups of kinds
(`GROUPS`: "volunteers", "staff" of Elsie's area, "other_staff", "left_staff", "mdt"...),
then single kinds. POST is tried when a row gives `post`; a read-only page gives only `get`.
When a view answers someone it should not, the cell goes in `KNOWN_LEAKS` (xfail, strict)
until the view is fixed.

Answers: a status code (200, 403, 404, 405), `LOGIN` (sent to the sign-in page),
`ADMIN_LOGIN` (sent to the admin site's sign-in page), `ELSEWHERE` (sent on to another page:
the product's answer, allowed) or `TURNED_AWAY` (sent on to another page, but refused: a POST
answered so must change nothing)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps

from tests.security.scene import password_reset_kwargs

GET, POST = "GET", "POST"
OK, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 403, 404, 405
# Answers to the phone's JavaScript, in JSON: an empty report, and "please sign in again".
BAD_REQUEST, UNAUTHORIZED = 400, 401
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

# Tables a refused request may write to (none today: a refusal changes no table at all).
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
    query: Callable | None = None  # the URL's query string, from the scene

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

# Column sets that several rows share.
EVERYONE = answers(OK)
SIGNED_IN = answers(OK, anonymous=LOGIN)
POST_ONLY = answers(NOT_ALLOWED, anonymous=LOGIN)

# --- The installable app: its manifest, its service worker and the pages it keeps for no
# signal. They hold nobody's details (drawn without the request), so anyone may have them. ---
ROWS |= {
    name: Row(get=EVERYONE, post=answers(NOT_ALLOWED))
    for name in ("manifest", "service_worker", "offline:page", "offline:report_form", "offline:waiting")
}

# --- Platform: health, signing in and out, passwords, two-step sign-in, home ---------------
ROWS |= {
    "healthz": Row(get=EVERYONE, post=answers(NOT_ALLOWED)),
    "home": Row(get=SIGNED_IN),
    # People already signed in are sent on to their home page.
    "login": Row(get=answers(ELSEWHERE, anonymous=OK), post=answers(ELSEWHERE, anonymous=OK)),
    "logout": Row(get=answers(NOT_ALLOWED), post=answers(ELSEWHERE)),
    "password_change": Row(get=SIGNED_IN, post=SIGNED_IN),
    "password_change_done": Row(get=SIGNED_IN, post=answers(NOT_ALLOWED, anonymous=LOGIN)),
    "password_reset": Row(get=EVERYONE, post=EVERYONE),
    "password_reset_done": Row(get=EVERYONE, post=answers(NOT_ALLOWED)),
    # A valid link leads whoever follows it on to the new-password form: the link is the proof.
    "password_reset_confirm": Row(
        get=answers(ELSEWHERE),
        post=answers(ELSEWHERE),
        kwargs=password_reset_kwargs,
    ),
    "password_reset_complete": Row(get=EVERYONE, post=answers(NOT_ALLOWED)),
    # Everyone signed in here has passed both steps already, and is sent on.
    "two_step_verify": Row(get=answers(ELSEWHERE, anonymous=LOGIN), post=answers(ELSEWHERE, anonymous=LOGIN)),
    "two_step_setup": Row(get=SIGNED_IN, post=SIGNED_IN),
    "two_step_settings": Row(get=SIGNED_IN),
    # Volunteers have no authenticator app to make codes for: sent to the settings page.
    "two_step_backup_codes": Row(get=POST_ONLY, post=answers(OK, anonymous=LOGIN, volunteers=ELSEWHERE)),
    # Staff, managers and the admin may not turn two-step sign-in off: told so on the settings
    # page, and nothing changes.
    "two_step_turn_off": Row(get=POST_ONLY, post=answers(TURNED_AWAY, anonymous=LOGIN, volunteers=ELSEWHERE)),
}

# --- Reporting with no signal: what a volunteer's phone keeps, and removing it ------------
ROWS |= {
    # Read by the phone's JavaScript: answered in JSON, never sent to the sign-in page.
    "offline:data": Row(
        get=answers(FORBIDDEN, anonymous=UNAUTHORIZED, volunteers=OK), post=answers(NOT_ALLOWED)
    ),
    # Anybody signed in may empty their browser of what the app kept.
    "offline:forget": Row(get=answers(NOT_ALLOWED), post=answers(ELSEWHERE, anonymous=LOGIN)),
}

# --- Notifications: everyone signed in has an inbox; a notification is its recipient's -----
ROWS |= {
    "notifications:inbox": Row(get=SIGNED_IN),
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
    "clients:list": Row(get=answers(FORBIDDEN, anonymous=LOGIN, volunteers=OK, all_staff=OK)),
    "clients:create": Row(get=ANY_STAFF_PAGE, post=ANY_STAFF_PAGE),
    "clients:detail": Row(
        get=answers(NOT_FOUND, anonymous=LOGIN, volunteer=OK, staff=OK),
        kwargs=pk("pk", "elsie"),
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
    "volunteers:list": Row(get=ANY_STAFF_PAGE),
    "volunteers:create": Row(get=ANY_STAFF_PAGE, post=ANY_STAFF_PAGE),
    "volunteers:me": Row(
        get=answers(FORBIDDEN, anonymous=LOGIN, volunteers=OK),
        post=answers(FORBIDDEN, anonymous=LOGIN, volunteers=OK),
    ),
    "volunteers:detail": Row(get=STAFF_PAGE, kwargs=pk("pk", "vera")),
    "volunteers:edit": Row(
        get=STAFF_PAGE, post=STAFF_PAGE, kwargs=pk("pk", "vera"), target=attribute("vera")
    ),
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
    "risks:queue": Row(get=ANY_STAFF_PAGE),
    "risks:mine": Row(get=VOLUNTEERS_PAGE),
    "risks:rota": Row(get=ANY_STAFF_PAGE),
    "risks:shift_new": Row(get=COORDINATORS_PAGE, post=COORDINATORS_PAGE),
    "risks:shift_edit": Row(
        get=answers(FORBIDDEN, anonymous=LOGIN, coordinators=NOT_FOUND, coordinator=OK),
        post=answers(FORBIDDEN, anonymous=LOGIN, coordinators=NOT_FOUND, coordinator=OK),
        kwargs=pk("pk", "shift"),
        target=attribute("shift"),
    ),
    "risks:detail": Row(
        get=answers(NOT_FOUND, anonymous=LOGIN, volunteer=OK, staff=OK),
        kwargs=pk("pk", "risk"),
    ),
    "risks:transition": Row(
        get=STAFF_POST_ONLY,
        post=STAFF_POST,
        kwargs=also(pk("pk", "untriaged"), action="triage"),
        target=attribute("untriaged"),
    ),
    # Sent by the phone's JavaScript: answered in JSON, never sent to the sign-in page. An
    # empty report is refused (400) and makes nothing.
    "risks:send_saved": Row(
        get=answers(NOT_ALLOWED),
        post=answers(FORBIDDEN, anonymous=UNAUTHORIZED, volunteers=BAD_REQUEST),
    ),
    "directory:list": Row(
        get=answers(FORBIDDEN, anonymous=LOGIN, volunteers=OK, all_staff=OK),
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
# Any MDT chair of the practice runs its meetings (meetings/access.py), not only the one
# who planned this one.
PRACTICE_CHAIRS = ("mdt_chair", "mdt_chair_not_attending")
SEES_MDT = answers(
    NOT_FOUND, anonymous=LOGIN, volunteer=OK, staff=OK, mdt_chair=OK, mdt_chair_not_attending=OK, clinician=OK
)
RUNS_MDT = answers(NOT_FOUND, anonymous=LOGIN, **dict.fromkeys(PRACTICE_CHAIRS, OK))
RUNS_MDT_POST = answers(NOT_FOUND, anonymous=LOGIN, **dict.fromkeys(PRACTICE_CHAIRS, ELSEWHERE))
RUNS_FORMAL_POST = answers(NOT_FOUND, anonymous=LOGIN, coordinator=ELSEWHERE)
MEETING_POST_ONLY = answers(NOT_ALLOWED, anonymous=LOGIN)
MDT = pk("pk", "mdt")
MDT_ITEM = pk("pk", "mdt", "item_pk", "elsie_item")


def _mdt_row(get=RUNS_MDT, post=RUNS_MDT_POST, kwargs=MDT):
    return Row(get=get, post=post, kwargs=kwargs, target=attribute("mdt"))


ROWS |= {
    "meetings:list": Row(get=MEETING_ROLES),
    "meetings:new": Row(
        get=answers(FORBIDDEN, anonymous=LOGIN, coordinators=OK, chairs=OK),
        post=answers(FORBIDDEN, anonymous=LOGIN, coordinators=OK, chairs=OK),
    ),
    "meetings:protocol": Row(
        get=answers(FORBIDDEN, anonymous=LOGIN, chairs=NOT_FOUND, mdt_chair=OK, mdt_chair_not_attending=OK),
        post=answers(FORBIDDEN, anonymous=LOGIN, chairs=NOT_FOUND, mdt_chair=OK, mdt_chair_not_attending=OK),
        kwargs=pk("practice_pk", "practice"),
    ),
    "meetings:detail": _mdt_row(get=SEES_MDT, post=None),
    "meetings:calendar": _mdt_row(get=SEES_MDT, post=None),
    # An empty form: the chair is shown what is missing.
    "meetings:edit": _mdt_row(post=RUNS_MDT),
    "meetings:cancel": _mdt_row(get=MEETING_POST_ONLY),
    "meetings:invite": _mdt_row(get=MEETING_POST_ONLY),
    "meetings:attendance": _mdt_row(get=MEETING_POST_ONLY),
    "meetings:held": _mdt_row(get=MEETING_POST_ONLY),
    "meetings:finalise": _mdt_row(get=MEETING_POST_ONLY),
    "meetings:notes": Row(
        get=MEETING_POST_ONLY, post=RUNS_FORMAL_POST, kwargs=pk("pk", "formal"), target=attribute("formal")
    ),
    # Concerns are raised at West Cornwall's coffee morning, which its coordinator runs.
    "meetings:raise": Row(
        get=answers(NOT_FOUND, anonymous=LOGIN, coordinator=OK),
        post=answers(NOT_FOUND, anonymous=LOGIN, coordinator=OK),
        kwargs=pk("pk", "coffee"),
        target=attribute("coffee"),
    ),
    "meetings:action_add": _mdt_row(get=MEETING_POST_ONLY),
    "meetings:action_done": _mdt_row(
        get=MEETING_POST_ONLY,
        # The chairs, and the nurse whose action it is.
        post=answers(
            NOT_FOUND, anonymous=LOGIN, clinician=ELSEWHERE, **dict.fromkeys(PRACTICE_CHAIRS, ELSEWHERE)
        ),
        kwargs=pk("pk", "mdt", "action_pk", "action"),
    ),
    "meetings:agenda_add": _mdt_row(post=RUNS_MDT),
    "meetings:publish": _mdt_row(get=MEETING_POST_ONLY),
    "meetings:item_move": _mdt_row(get=MEETING_POST_ONLY, kwargs=also(MDT_ITEM, direction="down")),
    "meetings:item_minutes": _mdt_row(get=MEETING_POST_ONLY, kwargs=MDT_ITEM),
    "meetings:item_conclude": _mdt_row(get=MEETING_POST_ONLY, kwargs=MDT_ITEM),
    "meetings:item_outcome": _mdt_row(get=MEETING_POST_ONLY, kwargs=MDT_ITEM),
    "meetings:item_remove": _mdt_row(get=MEETING_POST_ONLY, kwargs=MDT_ITEM),
    "meetings:item_volunteer": _mdt_row(post=RUNS_MDT, kwargs=MDT_ITEM),
    "meetings:item_volunteer_remove": _mdt_row(get=MEETING_POST_ONLY, kwargs=MDT_ITEM),
    "meetings:summary": _mdt_row(
        get=answers(NOT_FOUND, anonymous=LOGIN, volunteer=OK, mdt_chair=OK, clinician=OK),
        post=None,
        kwargs=pk("pk", "mdt", "client_pk", "elsie"),
    ),
}

# --- Success stories --------------------------------------------------------------------
FEED = answers(FORBIDDEN, anonymous=LOGIN, volunteers=OK, all_staff=OK, manager=OK)
APPROVERS = answers(FORBIDDEN, anonymous=LOGIN, coordinators=OK, manager=OK)
ROWS |= {
    "stories:feed": Row(get=FEED),
    "stories:review": Row(get=APPROVERS),
    # Written from an outcome of the coordinator's own area.
    "stories:new": Row(
        get=answers(FORBIDDEN, anonymous=LOGIN, coordinators=NOT_FOUND, coordinator=OK),
        post=answers(FORBIDDEN, anonymous=LOGIN, coordinators=NOT_FOUND, coordinator=OK),
        query=lambda scene: {"outcome": scene.fresh_outcome.pk},
        target=attribute("fresh_outcome"),
    ),
    "stories:detail": Row(
        get=answers(FORBIDDEN, anonymous=LOGIN, volunteers=OK, all_staff=NOT_FOUND, staff=OK, manager=OK),
        kwargs=pk("pk", "published_story"),
    ),
    "stories:edit": Row(
        get=answers(FORBIDDEN, anonymous=LOGIN, coordinators=NOT_FOUND, coordinator=OK),
        post=answers(FORBIDDEN, anonymous=LOGIN, coordinators=NOT_FOUND, coordinator=OK),
        kwargs=pk("pk", "draft_story"),
        target=attribute("draft_story"),
    ),
    "stories:transition": Row(
        get=answers(FORBIDDEN, anonymous=LOGIN, coordinators=NOT_ALLOWED, manager=NOT_ALLOWED),
        post=answers(
            FORBIDDEN, anonymous=LOGIN, coordinators=NOT_FOUND, coordinator=ELSEWHERE, manager=ELSEWHERE
        ),
        kwargs=also(pk("pk", "published_story"), action="withdraw"),
        target=attribute("published_story"),
    ),
}

# --- Copies of records: coordinators of the area ask, a second person decides ----------------
# Coordinators, team leaders and managers work with copies; a request is seen only by staff
# of its area (today), the organisation's manager, whoever asked or decided, and the admin.
RECORDS_PEOPLE = answers(FORBIDDEN, anonymous=LOGIN, all_staff=OK, manager=OK, superuser=OK)
SEES_EXPORT = {**RECORDS_PEOPLE, **dict.fromkeys(GROUPS["other_staff"] + GROUPS["left_staff"], NOT_FOUND)}
# Elsie's record is asked for by the coordinators of her area only.
ASKS_ABOUT_ELSIE = answers(
    NOT_FOUND, anonymous=LOGIN, volunteer=FORBIDDEN, coordinator=OK, team_leader=FORBIDDEN
)
# Vera's record likewise; she is not found by anybody who is not staff of her area.
ASKS_ABOUT_VERA = answers(NOT_FOUND, anonymous=LOGIN, coordinator=OK, team_leader=FORBIDDEN)
# Cora asked; West's team leader or the manager decides, never Cora, nor the admin.
DECIDES = {**SEES_EXPORT, "coordinator": FORBIDDEN, "superuser": FORBIDDEN}
ROWS |= {
    "records:exports": Row(get=RECORDS_PEOPLE),
    "records:security_events": Row(get=answers(FORBIDDEN, anonymous=LOGIN, superuser=OK)),
    "records:request_client": Row(get=ASKS_ABOUT_ELSIE, post=ASKS_ABOUT_ELSIE, kwargs=pk("pk", "elsie")),
    "records:request_volunteer": Row(get=ASKS_ABOUT_VERA, post=ASKS_ABOUT_VERA, kwargs=pk("pk", "vera")),
    "records:export_detail": Row(get=SEES_EXPORT, kwargs=pk("pk", "export_requested")),
    "records:export_approve": Row(
        get=answers(NOT_ALLOWED),
        post={**DECIDES, "team_leader": ELSEWHERE, "manager": ELSEWHERE},
        kwargs=pk("pk", "export_requested"),
        target=attribute("export_requested"),
    ),
    "records:export_refuse": Row(
        get=DECIDES, post=DECIDES, kwargs=pk("pk", "export_requested"), target=attribute("export_requested")
    ),
    # Approved by Tom for Cora: only they download it.
    "records:export_download": Row(
        get={**SEES_EXPORT, "manager": FORBIDDEN, "superuser": FORBIDDEN},
        kwargs=pk("pk", "export_approved"),
    ),
}


# --- Reports and trials: figures for managers, coordinators and chairs where they work ---
# Coordinators whose area membership ended have no area left to report on.
FIGURES = answers(
    FORBIDDEN, anonymous=LOGIN, coordinator=OK, coordinator_other_area=OK, chairs=OK, manager=OK
)
# The exports answer only GET, before asking who is signed in.
GET_ONLY = answers(NOT_ALLOWED)
# Alverton Practice's trial, in West Cornwall: read by the coordinator of West Cornwall, the
# practice's chairs and the manager.
TRIAL_READERS = answers(
    FORBIDDEN,
    anonymous=LOGIN,
    coordinators=NOT_FOUND,
    coordinator=OK,
    chairs=OK,
    mdt_chair_other_practice=NOT_FOUND,
    manager=OK,
)
TRIAL_READERS_POST = answers(
    FORBIDDEN, anonymous=LOGIN, coordinators=NOT_ALLOWED, chairs=NOT_ALLOWED, manager=NOT_ALLOWED
)
# Everyone who works in the trial's place writes a feedback card.
CARD_WRITERS = answers(
    FORBIDDEN,
    anonymous=LOGIN,
    volunteers=OK,
    all_staff=NOT_FOUND,
    staff=OK,
    mdt=OK,
    mdt_chair_other_practice=NOT_FOUND,
    clinician_other_practice=NOT_FOUND,
    manager=OK,
)
MANAGERS = answers(FORBIDDEN, anonymous=LOGIN, manager=OK)
TRIAL = pk("pk", "trial")
ROWS |= {
    "reports:dashboard": Row(get=FIGURES),
    "reports:export_csv": Row(get=FIGURES, post=GET_ONLY),
    "reports:export_xlsx": Row(get=FIGURES, post=GET_ONLY),
    "reports:extract": Row(
        get=answers(FORBIDDEN, anonymous=LOGIN, coordinator=OK, coordinator_other_area=OK, manager=OK),
        post=GET_ONLY,
    ),
    "reports:trials": Row(
        get=answers(FORBIDDEN, anonymous=LOGIN, coordinators=OK, chairs=OK, manager=OK),
        post=TRIAL_READERS_POST,
    ),
    "reports:trial_new": Row(get=MANAGERS, post=MANAGERS),
    "reports:trial": Row(get=TRIAL_READERS, post=TRIAL_READERS_POST, kwargs=TRIAL),
    "reports:card_new": Row(get=CARD_WRITERS, post=CARD_WRITERS, kwargs=TRIAL, target=attribute("trial")),
    "reports:trial_decide": Row(get=MANAGERS, post=MANAGERS, kwargs=TRIAL, target=attribute("trial")),
    "reports:trial_report": Row(get=TRIAL_READERS, post=TRIAL_READERS_POST, kwargs=TRIAL),
    "reports:trial_xlsx": Row(get=TRIAL_READERS, post=TRIAL_READERS_POST, kwargs=TRIAL),
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


# What the superuser may do on each model's admin pages besides looking: every model's
# admin is read-only unless listed here. Records that the services write with their history
# (concerns, meetings, consent, stories, trials...) are never edited through the admin.
ADMIN_MAY = {
    "auth.group": {"add", "change", "delete"},
    "axes.accesslog": {"change", "delete"},
    "axes.accessattempt": {"change", "delete"},
    "axes.accessfailurelog": {"change", "delete"},
    "otp_totp.totpdevice": {"add", "change", "delete"},
    "otp_static.staticdevice": {"add", "change", "delete"},
    "accounts.user": {"add", "change", "delete"},
    "accounts.organisation": {"add", "change", "delete"},
    "accounts.area": {"add", "change", "delete"},
    "accounts.gppractice": {"add", "change", "delete"},
    "accounts.areamembership": {"add", "change"},
    "accounts.practicemembership": {"add", "change"},
    "notifications.notification": {"add", "change", "delete"},
    "volunteers.volunteer": {"add", "change"},
    "volunteers.trainingmodule": {"add", "change", "delete"},
    "volunteers.dbscheck": {"add", "change", "delete"},
    "volunteers.trainingrecord": {"add", "change", "delete"},
    "volunteers.confidentialityagreement": {"add", "change", "delete"},
    "clients.client": {"add", "change"},
    "risks.riskcategory": {"add", "change", "delete"},
    "risks.service": {"add", "change", "delete"},
    "risks.oncallshift": {"add", "change", "delete"},
}
# Change pages where every field is read-only: an empty form saves nothing but the admin's
# own log entry, and the superuser is sent back to the list. (Memberships end through the
# service, which ends what depended on them.)
ADMIN_NOTHING_TO_FILL = {
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "accounts.areamembership",
    "accounts.practicemembership",
}
# The superuser's answer on the admin routes that are not one model's pages.
ADMIN_SITE_PAGES = {
    "admin:index": (OK, None),
    "admin:app_list": (OK, None),
    "admin:password_change": (OK, OK),
    "admin:password_change_done": (OK, None),
    "admin:jsi18n": (OK, None),
    # Asked without the field it completes: refused.
    "admin:autocomplete": (FORBIDDEN, None),
    # Clients have no page of their own to be sent to.
    "admin:view_on_site": (NOT_FOUND, None),
    "admin/(?P<url>.*)": (NOT_FOUND, None),
    # OTP_ADMIN_HIDE_SENSITIVE_DATA: an authenticator app's secret is never shown again.
    "admin:otp_totp_totpdevice_config": (FORBIDDEN, None),
    "admin:otp_totp_totpdevice_qrcode": (FORBIDDEN, None),
}


def _admin_model_answers(route, model) -> tuple[object, object]:
    """The superuser's (GET, POST) answers on one model's admin page; POST None: not tried.
    An empty POST to a form the superuser may use answers with the form's errors (200)."""
    may = ADMIN_MAY.get(model._meta.label_lower, set())
    if route.name is None:  # "<object_id>/": sent on to the change page
        return ELSEWHERE, None
    page = route.name.rsplit("_", 1)[-1]
    if page == "changelist":
        return OK, OK
    if page == "history":
        return OK, None
    if page == "add":
        return (OK, OK) if "add" in may else (FORBIDDEN, FORBIDDEN)
    if page == "change":
        if "change" not in may:
            return OK, FORBIDDEN
        return OK, ELSEWHERE if model._meta.label_lower in ADMIN_NOTHING_TO_FILL else OK
    if page == "delete":
        # Deleting needs the confirmation the page sends: an empty POST shows it again.
        return (OK, OK) if "delete" in may else (FORBIDDEN, FORBIDDEN)
    if route.name == "admin:auth_user_password_change":
        return OK, OK
    raise KeyError(f"No superuser answer for the admin route {route.key}.")


def _admin_rule(route) -> Row | None:
    """Every admin route: the admin site's sign-in page for everyone but the superuser
    (nobody else is staff), who is answered as ADMIN_MAY and ADMIN_SITE_PAGES say."""
    if not route.pattern.startswith("admin/"):
        return None
    if route.key == "admin:login":
        # Signed in or not, people without the admin site see its sign-in form again.
        return Row(get=answers(OK, superuser=ELSEWHERE), post=answers(OK))
    if route.key == "admin:logout":
        # Only the superuser is signed in to the admin site; the others are sent to it.
        return Row(get=answers(ELSEWHERE, superuser=NOT_ALLOWED), post=answers(ELSEWHERE))
    model = _admin_model(route)
    kwargs = None
    if model is not None and {"object_id", "pk", "id"} & set(route.parameters):
        name = next(name for name in ("object_id", "pk", "id") if name in route.parameters)

        def kwargs(scene, model=model, name=name):
            return {name: model._base_manager.order_by("pk").values_list("pk", flat=True).first()}

    elif route.key == "admin:view_on_site":

        def kwargs(scene):
            from django.contrib.contenttypes.models import ContentType

            client_type = ContentType.objects.get_for_model(scene.elsie)
            return {"content_type_id": client_type.pk, "object_id": scene.elsie.pk}

    elif route.key == "admin:app_list":
        kwargs = lambda scene: {"app_label": "clients"}  # noqa: E731
    elif "url" in route.parameters:
        kwargs = lambda scene: {"url": "no-such-page/"}  # noqa: E731
    if route.key in ADMIN_SITE_PAGES:
        get, post = ADMIN_SITE_PAGES[route.key]
    elif model is not None:
        get, post = _admin_model_answers(route, model)
    else:
        return None
    return Row(
        get=answers(ADMIN_LOGIN, superuser=get),
        post=None if post is None else answers(ADMIN_LOGIN, superuser=post),
        kwargs=kwargs,
    )


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
