"""Password guessing is cut off per account without locking out a shop full of members on one
address; the refusal says when to try again; sign-up and reset do not tell who has an account."""

import pytest
from allauth.account.adapter import get_adapter
from allauth.core.internal import ratelimit
from django.core.cache import cache
from django.test import Client

from portal import roles
from tests.factories import PASSWORD, make_user

ATTEMPTS = 50
SHOP = "10.0.0.5"
ACCOUNT_LOCKED = "Too many failed attempts for this account. Try again in 5 minutes."


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
    assert set(statuses) == {200}
    # Locked: even the right password is refused now, from another address (the limit is per account),
    # and the refusal names the wait.
    client = Client(REMOTE_ADDR="10.9.8.7")
    response = _guess(client, url, member.email, PASSWORD)
    assert response.status_code == 200
    assert ACCOUNT_LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_hammered_account_does_not_lock_out_a_shop_on_one_address(member):
    for n in range(30):
        _guess(Client(REMOTE_ADDR=SHOP), "/accounts/login/", member.email, f"wrong-{n}")
    honest = [make_user(f"guest{n}@example.com", roles.MEMBERS) for n in range(12)]
    for person in honest:
        client = Client(REMOTE_ADDR=SHOP)
        # A typo first, as people make on a phone; then the right password lets them in.
        assert _guess(client, "/accounts/login/", person.email, PASSWORD + "x").status_code == 200
        response = _guess(client, "/accounts/login/", person.email, PASSWORD)
        assert response.status_code == 302, (person.email, response.content.decode()[-2000:])
        assert client.session["_auth_user_id"] == str(person.pk)

    client = Client(REMOTE_ADDR=SHOP)
    response = _guess(client, "/accounts/login/", member.email, PASSWORD)
    assert ACCOUNT_LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_many_accounts_guessed_from_one_address_stop_that_address(member, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS,
                                    "login_failed": "5/5m/key,20/15m/ip"}
    for n in range(20):
        _guess(Client(REMOTE_ADDR=SHOP), "/accounts/login/", f"guess{n}@example.com", "wrong-pass")
    response = _guess(Client(REMOTE_ADDR=SHOP), "/accounts/login/", member.email, PASSWORD)
    assert ("Too many failed sign-ins from this network. Try again in 15 minutes."
            in response.content.decode())
    # Elsewhere the member still gets in: only the address is held back.
    assert _guess(Client(REMOTE_ADDR="10.9.8.7"), "/accounts/login/", member.email,
                  PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_full_per_minute_limit_answers_with_when_to_try_again(settings, site_tree):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "1/m/ip"}
    form = {"email": "someone@example.com", "password1": "x", "password2": "y"}
    Client().post("/accounts/signup/", form)
    response = Client().post("/accounts/signup/", form)
    assert response.status_code == 429
    assert "Try again in a minute." in response.content.decode()


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


@pytest.mark.django_db
def test_the_wait_named_is_what_is_left_of_the_lock(member, rf):
    for n in range(5):
        _guess(Client(), "/accounts/login/", member.email, f"wrong-{n}")
    # The member waits three minutes: allauth's own counter for the account, aged as time would.
    key = get_adapter()._get_login_attempts_cache_key(rf.post("/accounts/login/"), email=member.email)
    for rate in ratelimit.get_rates(app="allauth.account", action="login_failed"):
        counter = ratelimit.get_cache_key(rf.post("/accounts/login/"), app="allauth.account",
                                          action="login_failed", rate=rate, key=key)
        cache.set(counter, [stamp - 180 for stamp in cache.get(counter, [])], rate.duration)
    response = _guess(Client(), "/accounts/login/", member.email, PASSWORD)
    assert "Too many failed attempts for this account. Try again in 2 minutes." in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session
