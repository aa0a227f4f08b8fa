import io

import pytest
from django.core.management import call_command
from wagtail.models import Page

from portal.demo import DEMO_USERS, seed_members
from portal.models import User


@pytest.mark.django_db
def test_seed_demo_twice_duplicates_nothing(site_tree):
    call_command("seed_demo", stdout=io.StringIO())
    users, pages = User.objects.count(), Page.objects.count()
    assert users >= len(DEMO_USERS)
    call_command("seed_demo", stdout=io.StringIO())
    assert (User.objects.count(), Page.objects.count()) == (users, pages)


@pytest.mark.django_db
def test_demo_logins_work(client, site_tree):
    call_command("seed_demo", stdout=io.StringIO())
    for email, *_rest in DEMO_USERS:
        assert client.login(email=email, password="tend-demo-pass"), email
        client.logout()


@pytest.mark.django_db
def test_bench_members_are_added_up_to_the_count_once():
    seed_members(io.StringIO(), 25)
    seed_members(io.StringIO(), 25)
    members = User.objects.filter(email__startswith="bench-")
    assert members.count() == 25
    assert members.filter(groups__name="Members").count() == 25
    assert len(set(members.values_list("referral_code", flat=True))) == 25
