from django.test import Client, override_settings

from tests.factories import UserFactory


def test_an_unknown_address_gets_the_friendly_not_found_page(login, db):
    response = login(UserFactory()).get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "Go to your home page" in response.text


@override_settings(ROOT_URLCONF="tests.platform.urls")
def test_a_refused_page_explains_why_and_where_to_go(login, db):
    response = login(UserFactory()).get("/test-refuses/")
    assert response.status_code == 403
    assert "You cannot open this page" in response.text
    assert "ask your coordinator" in response.text


@override_settings(ROOT_URLCONF="tests.platform.urls")
def test_a_failure_shows_a_calm_page_with_what_to_do_next(db):
    client = Client(raise_request_exception=False)
    response = client.get("/test-fails/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text
    assert "111" in response.text
    assert "RuntimeError" not in response.text


@override_settings(ROOT_URLCONF="tests.platform.urls")
def test_a_database_that_cannot_be_reached_gets_try_again_in_a_minute_with_503(db):
    client = Client(raise_request_exception=False)
    response = client.get("/test-database-unreachable/")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "Please try again in a minute" in response.text
    assert "it will not be sent twice" in response.text
    assert "OperationalError" not in response.text
    assert "shutting down" not in response.text


@override_settings(ROOT_URLCONF="tests.platform.urls")
def test_a_session_not_saved_because_the_database_went_away_gets_try_again_in_a_minute(db):
    response = Client().get("/test-session-not-saved/")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "Please try again in a minute" in response.text


@override_settings(ROOT_URLCONF="tests.platform.urls")
def test_a_session_ended_in_another_tab_is_still_a_bad_request(db):
    response = Client().get("/test-session-gone/")
    assert response.status_code == 400
    assert "Please try again in a minute" not in response.text


def test_a_form_sent_without_its_security_token_gets_a_plain_explanation(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Please try again" in response.text
