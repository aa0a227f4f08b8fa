"""Sign-up does the same work for an address that has an account and one that has none, so its time
tells nothing either: one password hash each, and one e-mail each, left to the task worker."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.test import Client
from django_tasks_db.models import DBTaskResult


class CountingHasher(MD5PasswordHasher):
    """A real hasher that counts the hashes it makes."""

    algorithm = "counting_md5"
    made = 0

    def encode(self, password, salt):
        CountingHasher.made += 1
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = ["tests.hardening.test_signup_enumeration.CountingHasher"]
    CountingHasher.made = 0
    return CountingHasher


def _sign_up(email):
    return Client().post("/accounts/signup/", {
        "email": email, "password1": "velvet lantern orchard 58", "password2": "velvet lantern orchard 58"})


@pytest.mark.parametrize("known", [True, False], ids=["known-address", "new-address"])
def test_sign_up_hashes_once_and_leaves_its_one_mail_to_the_worker(
        known, member, site_tree, task_worker, counting_hasher):
    email = member.email if known else "nobody-yet@example.com"
    hashed_before = counting_hasher.made

    response = _sign_up(email)

    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert counting_hasher.made - hashed_before == 1
    assert mail.outbox == []
    queued = list(DBTaskResult.objects.values_list("task_path", "args_kwargs"))
    assert [(path, args["kwargs"]["to"]) for path, args in queued] == [("portal.tasks.send_email", email)]

    task_worker()
    assert [message.to for message in mail.outbox] == [[email]]
    expected = "already" if known else "confirm-email"
    assert expected in mail.outbox[0].body


def test_password_reset_mail_also_waits_for_the_worker(member, task_worker):
    response = Client().post("/accounts/password/reset/", {"email": member.email})
    assert response.status_code == 302 and mail.outbox == []
    task_worker()
    assert [message.to for message in mail.outbox] == [[member.email]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_a_mail_with_an_html_part_keeps_it(member, task_worker):
    from portal.tasks import send_email

    send_email.enqueue(to=member.email, subject="Hi", body="Hello", html="<p>Hello</p>")
    task_worker()
    assert mail.outbox[0].alternatives[0].content == "<p>Hello</p>"
