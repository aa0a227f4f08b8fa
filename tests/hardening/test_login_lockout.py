"""Password guessing is cut off on every login form; sign-up and reset do not tell who has an account."""

import pytest
from django.test import Client

from tests.conftest import PASSWORD

ATTEMPTS = 50


def _guess(client, url, email, password):
    return client.post(url, {"login": email, "password": password})


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_fifty_wrong_passwords_lock_the_account(member, url):
    statuses = [
        _guess(Client(), url, member.email, f"wrong-{n}").status_code for n in range(ATTEMPTS)
    ]
    # The admin form is only a redirect to the site's, so nothing there checks a password.
    assert "_auth_user_id" not in Client().session
    if url == "/admin/login/":
        assert set(statuses) == {302}
        response = Client().post(url, {"login": member.email, "password": PASSWORD})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        return
    # allauth: 30 login posts a minute per address, then 429.
    assert statuses[-1] == 429
    # Locked: even the right password is refused now, from another address (the limit is per account).
    client = Client(REMOTE_ADDR="10.9.8.7")
    response = _guess(client, url, member.email, PASSWORD)
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def _answer(response) -> tuple[int, str]:
    return response.status_code, response.get("Location", "")


@pytest.mark.django_db
def test_sign_up_answers_the_same_for_known_and_unknown_email(member):
    answers = {
        _answer(Client().post("/accounts/signup/", {
            "email": email, "password1": "a-long-new-pass-77", "password2": "a-long-new-pass-77"}))
        for email in (member.email, "nobody-yet@example.com")
    }
    assert len(answers) == 1, answers


@pytest.mark.django_db
def test_password_reset_answers_the_same_for_known_and_unknown_email(member):
    answers = {
        _answer(Client().post("/accounts/password/reset/", {"email": email}))
        for email in (member.email, "nobody@example.com")
    }
    assert len(answers) == 1, answers
    assert answers.pop()[0] == 302
