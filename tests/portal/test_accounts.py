import re

import pytest
from django.core import mail
from django.urls import reverse

from portal import roles
from portal.models import User
from tests.factories import PASSWORD


def _signup(client, email):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


@pytest.mark.django_db
def test_signup_sends_verification_then_login_works(client, site_tree):
    response = _signup(client, "new@example.com")
    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    assert roles.MEMBERS in user.group_names
    # Mandatory verification: not logged in yet, a link is mailed.
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    path = "/" + link.group(0).split("/", 3)[3]
    client.logout()
    assert client.get("/me/").status_code == 302
    confirm = client.post(path)
    assert confirm.status_code == 302
    assert user.emailaddress_set.get().verified
    login = client.post(reverse("account_login"), {"login": "new@example.com",
                                                   "password": PASSWORD})
    assert login.status_code == 302
    assert client.get("/me/").status_code == 200


@pytest.mark.django_db
def test_unverified_user_cannot_sign_in(client, site_tree):
    _signup(client, "pending@example.com")
    client.logout()
    response = client.post(reverse("account_login"), {"login": "pending@example.com",
                                                      "password": PASSWORD})
    assert response.status_code == 302
    assert "confirm-email" in response["Location"]
    assert client.get("/me/").status_code == 302


@pytest.mark.django_db
def test_signup_answer_is_the_same_for_known_and_unknown_email(client, member, site_tree):
    known = _signup(client, member.email)
    client.logout()
    unknown = _signup(client, "nobody-yet@example.com")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


@pytest.mark.django_db
def test_password_reset_answer_is_the_same_for_known_and_unknown_email(client, member):
    known = client.post(reverse("account_reset_password"), {"email": member.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "ghost@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


@pytest.mark.django_db
def test_repeated_wrong_passwords_are_rate_limited(client, member):
    url = reverse("account_login")
    for _ in range(5):
        response = client.post(url, {"login": member.email, "password": "wrong-password"})
        assert response.status_code == 200
    # Past the limit even the right password is refused for a while.
    response = client.post(url, {"login": member.email, "password": PASSWORD})
    assert response.status_code == 429 or b"Too many" in response.content
    assert client.get("/me/").status_code == 302


@pytest.mark.django_db
def test_wagtail_admin_signs_in_through_allauth(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
