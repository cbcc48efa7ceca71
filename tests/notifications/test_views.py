from django.urls import reverse

from tests.factories import NotificationFactory, UserFactory
from tests.support.queries import queries_for

INBOX = reverse("notifications:inbox")


def test_inbox_asks_anonymous_visitors_to_sign_in(client, db):
    response = client.get(INBOX)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_inbox_shows_only_the_persons_own_notifications(login, db):
    mine = NotificationFactory(title="Your concern reached the GP")
    NotificationFactory(title="Somebody else's news")
    response = login(mine.recipient).get(INBOX)
    assert response.status_code == 200
    assert "Your concern reached the GP" in response.text
    assert "Somebody else&#x27;s news" not in response.text
    assert "Somebody else's news" not in response.text


def test_navigation_shows_the_unread_count(login, db):
    person = UserFactory()
    NotificationFactory.create_batch(3, recipient=person)
    NotificationFactory(recipient=person, read_at="2026-01-01T10:00:00Z")
    response = login(person).get(INBOX)
    assert "You have 3 unread notifications." in response.text
    assert '3<span class="visually-hidden"> unread</span>' in response.text


def test_marking_a_notification_read(login, db):
    notification = NotificationFactory()
    response = login(notification.recipient).post(reverse("notifications:mark_read", args=[notification.pk]))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_a_notification_marks_it_read_and_follows_its_link(login, db):
    notification = NotificationFactory(link="/notifications/?from=email")
    response = login(notification.recipient).post(
        reverse("notifications:mark_read", args=[notification.pk]), {"open": "1"}
    )
    assert response["Location"] == "/notifications/?from=email"


def test_a_link_to_another_site_is_never_followed(login, db):
    notification = NotificationFactory(link="https://example.com/phish")
    response = login(notification.recipient).post(
        reverse("notifications:mark_read", args=[notification.pk]), {"open": "1"}
    )
    assert response["Location"] == INBOX


def test_nobody_can_mark_someone_elses_notification(login, db):
    notification = NotificationFactory()
    other = UserFactory()
    response = login(other).post(reverse("notifications:mark_read", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_read_needs_a_post(login, db):
    notification = NotificationFactory()
    response = login(notification.recipient).get(reverse("notifications:mark_read", args=[notification.pk]))
    assert response.status_code == 405


def test_mark_all_read(login, db):
    person = UserFactory()
    NotificationFactory.create_batch(2, recipient=person)
    response = login(person).post(reverse("notifications:mark_all_read"), follow=True)
    assert "Marked 2 notifications as read." in response.text
    assert person.notifications.unread().count() == 0


def test_inbox_runs_the_same_queries_for_10_and_200_notifications(login, db):
    person = UserFactory()
    client = login(person)
    NotificationFactory.create_batch(10, recipient=person)
    client.get(INBOX)  # the first request of a session writes it; measure the ones after

    with_10 = queries_for(lambda: client.get(INBOX))
    NotificationFactory.create_batch(190, recipient=person)
    with_200 = queries_for(lambda: client.get(INBOX))

    assert len(with_10) == len(with_200), with_200


def test_an_empty_inbox_says_so_once(login, db):
    from livingwell.accounts.roles import Role

    response = login(UserFactory(roles=[Role.VOLUNTEER])).get(INBOX)
    assert response.text.count("You have no notifications yet.") == 1
    assert "You have read all your notifications." not in response.text


def test_an_empty_inbox_promises_news_of_concerns_only_to_volunteers(login, db):
    from livingwell.accounts.roles import Role

    news = "When there is news about something you raised"
    assert news in login(UserFactory(roles=[Role.VOLUNTEER])).get(INBOX).text
    for role in (Role.MDT_CHAIR, Role.MANAGER, Role.COORDINATOR):
        page = login(UserFactory(roles=[role])).get(INBOX).text
        assert news not in page
        assert "You have no notifications yet. Messages for you will appear here." in page
