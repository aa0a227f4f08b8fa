"""Password rules (OWASP ASVS 4 L2): 12 to 128 characters of any kind, common and look-alike passwords
refused, and the rule shown under every new-password field before it is broken, in both languages."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from portal.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

RULE = {"en": "at least 12 characters", "zh-hant": "至少 12 個字元"}


def _sign_up(password, email="new-member@example.com"):
    return Client().post("/accounts/signup/", {"email": email, "password1": password,
                                               "password2": password})


@pytest.mark.parametrize("password", [
    "tend-demo", "short-pass1", "password1234", "123456789012", "new-member-example", "p" * 129,
], ids=["demo-word", "11-chars", "common", "numeric", "like-the-address", "129-chars"])
def test_weak_or_overlong_passwords_are_refused_at_sign_up(password, site_tree):
    response = _sign_up(password)
    assert response.status_code == 200
    assert not User.objects.filter(email="new-member@example.com").exists()


@pytest.mark.parametrize("password", [
    "twelve chars", "Ünïcödé ☕ påsswörd", "correct horse battery staple " * 4 + "ok!",
], ids=["12-chars-with-a-space", "any-characters", "128-chars"])
def test_passphrases_of_12_to_128_characters_are_accepted(password, site_tree):
    assert 12 <= len(password) <= 128
    response = _sign_up(password)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert User.objects.get(email="new-member@example.com").check_password(password)


def _client(language, user=None):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
    return client


def _reset_page(client, user):
    Client().post("/accounts/password/reset/", {"email": user.email})
    link = re.search(r"https?://\S+(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)
    return client.get(link, follow=True)


@pytest.mark.parametrize("language", ["en", "zh-hant"])
@pytest.mark.parametrize("form", ["signup", "change", "set", "reset"])
def test_every_new_password_form_states_the_rule_in_the_readers_language(form, language, member):
    if form == "signup":
        response = _client(language).get("/accounts/signup/")
    elif form == "change":
        response = _client(language, member).get("/accounts/password/change/")
    elif form == "set":
        member.set_unusable_password()
        member.save()
        response = _client(language, member).get("/accounts/password/set/")
    else:
        response = _reset_page(_client(language), member)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'name="password1"' in text
    assert RULE[language] in text


def test_password_change_refuses_a_short_new_password(member):
    client = _client("en", member)
    response = client.post("/accounts/password/change/", {
        "oldpassword": PASSWORD, "password1": "short-pass1", "password2": "short-pass1"})
    assert response.status_code == 200 and "at least 12 characters" in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


@pytest.mark.django_db
def test_a_password_error_stands_under_the_password_field(client):
    page = client.post("/accounts/signup/", {"email": "new@example.com", "password1": "short-pass1",
                                             "password2": "short-pass1"}).content.decode()
    error = page.index("at least 12 characters")
    assert page.index('name="password1"') < error < page.index('name="password2"')
    assert 'value="new@example.com"' in page
