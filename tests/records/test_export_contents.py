"""A copy of a client's record holds every row held about them, and none about anybody else."""

from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from clients.models import Client
from livingwell.notifications.models import Notification
from livingwell.records import services
from tests.records.conftest import rows_of, unzip


def paths_to_client() -> dict:
    """Every model whose foreign keys lead to a client, directly or through other such
    models (a concern, an allocation, an agenda item, an outcome), with every lookup from it
    to the client: {AgendaItem: ["client", "risk__client"], ...}."""
    found: dict = {Client: ["pk"]}
    for _ in range(4):  # deep enough for a story: outcome -> concern -> client
        for model in apps.get_models():
            paths = {
                f"{field.name}__{through}" if through != "pk" else field.name
                for field in model._meta.concrete_fields
                if field.many_to_one and field.related_model in found and field.related_model is not model
                for through in found[field.related_model]
            }
            if paths and model is not Client:
                found[model] = sorted(paths)
    return found


def rows_about(model, paths: list[str], client) -> set:
    where = Q()
    for path in paths:
        where |= Q(**{path: client.pk})
    return set(model.objects.filter(where).values_list("pk", flat=True))


def copy_of(client, *, by, approver):
    export = services.export_request_client(client=client, by=by, reason="She asked in writing.")
    services.export_approve(export=export, by=approver)
    _, content = services.export_download(export=export, by=by)
    return unzip(content)


def test_the_walk_finds_the_models_that_hold_client_data(histories):
    labels = {model._meta.label for model in paths_to_client()}
    assert {
        "clients.Client",
        "clients.Consent",
        "clients.Allocation",
        "risks.RiskReport",
        "risks.RiskEvent",
        "risks.Referral",
        "risks.Outcome",
        "meetings.AgendaItem",
        "meetings.Action",
        "stories.SuccessStory",
    } <= labels


def test_a_client_copy_holds_every_row_about_them_and_none_about_another_client(world, histories):
    files = copy_of(world.elsie, by=world.coordinator, approver=world.team_leader)
    checked = 0
    for model, paths in paths_to_client().items():
        ours = rows_about(model, paths, world.elsie)
        theirs = rows_about(model, paths, world.jack)
        copied = {row["pk"] for row in rows_of(files, f"{model._meta.label_lower}.json")}
        assert ours <= copied, f"{model._meta.label}: rows about Elsie missing from her copy"
        assert not theirs & copied, f"{model._meta.label}: rows about Jack in Elsie's copy"
        checked += bool(ours)
    assert checked >= 10, "the history made too few kinds of record to test"


def test_a_client_copy_holds_the_good_news_about_their_concerns_and_the_access_log(world, histories):
    elsie_news = Notification.objects.get(
        kind=Notification.Kind.GOOD_NEWS, link=f"/risks/{histories[0].concern.pk}/"
    )
    jack_news = Notification.objects.get(
        kind=Notification.Kind.GOOD_NEWS, link=f"/risks/{histories[1].concern.pk}/"
    )
    files = copy_of(world.elsie, by=world.coordinator, approver=world.team_leader)
    notifications = {row["pk"] for row in rows_of(files, "notifications.notification.json")}
    assert elsie_news.pk in notifications
    assert jack_news.pk not in notifications
    log = rows_of(files, "access_log.json")
    client_type = ContentType.objects.get_for_model(Client)
    looks = LogEntry.objects.filter(
        content_type=client_type, object_pk=str(world.elsie.pk), action=LogEntry.Action.ACCESS
    )
    assert looks.exists()
    assert set(looks.values_list("pk", flat=True)) <= {row["id"] for row in log}
    jack_entries = set(
        LogEntry.objects.filter(content_type=client_type, object_pk=str(world.jack.pk)).values_list(
            "pk", flat=True
        )
    )
    assert jack_entries
    assert not jack_entries & {row["id"] for row in log}


def test_nothing_in_a_client_copy_names_another_client(world, histories):
    files = copy_of(world.elsie, by=world.coordinator, approver=world.team_leader)
    everything = "\n".join(files.values())
    assert "Elsie" in everything
    assert "Nankervis" not in everything
    assert "Jack" not in everything


def test_a_client_copy_has_a_readable_index(world, histories):
    files = copy_of(world.elsie, by=world.coordinator, approver=world.team_leader)
    index = files["index.html"]
    assert "Everything Living Well holds about Elsie Trewin" in index
    assert "Grab rail fitted for Elsie." in index
    assert "Consent, with its history" in index
    # Choices by their labels, yes and no for ticks, and something said for an empty field.
    assert "Their volunteer may be told what happened about a concern" in index
    assert "<dt>Volunteer told detail</dt><dd>Yes</dd>" in index
    assert "<dt>NHS number</dt><dd>(none)</dd>" in index
    assert "password" not in files["clients.client.json"]


def test_a_volunteer_copy_holds_their_profile_visits_concerns_and_notifications(world, histories):
    vera = world.volunteer.volunteer
    export = services.export_request_volunteer(
        volunteer=vera, by=world.coordinator, reason="Vera asked by email."
    )
    services.export_approve(export=export, by=world.team_leader)
    _, content = services.export_download(export=export, by=world.team_leader)
    files = unzip(content)
    assert [row["pk"] for row in rows_of(files, "volunteers.volunteer.json")] == [vera.pk]
    assert {row["pk"] for row in rows_of(files, "clients.allocation.json")} == set(
        vera.allocations.values_list("pk", flat=True)
    )
    assert {row["pk"] for row in rows_of(files, "risks.riskreport.json")} == {histories[0].concern.pk}
    notifications = {row["pk"] for row in rows_of(files, "notifications.notification.json")}
    assert notifications == set(
        Notification.objects.filter(recipient=world.volunteer).values_list("pk", flat=True)
    )
    assert notifications
    account = rows_of(files, "accounts.user.json")
    assert account[0]["pk"] == world.volunteer.pk
    assert "password" not in account[0]["fields"]
    # Victor's concern and news are his, not Vera's.
    assert histories[1].concern.pk not in {row["pk"] for row in rows_of(files, "risks.riskreport.json")}
