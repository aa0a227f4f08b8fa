import io

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page

from portal.demo import DEMO_PASSWORD, DEMO_USERS, seed_members
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
        # The published password meets the rules every member's password meets.
        validate_password(DEMO_PASSWORD, User.objects.get(email=email))
        assert client.login(email=email, password=DEMO_PASSWORD), email
        client.logout()


@pytest.mark.django_db
def test_bench_members_are_added_up_to_the_count_once():
    seed_members(io.StringIO(), 25)
    seed_members(io.StringIO(), 25)
    members = User.objects.filter(email__startswith="bench-")
    assert members.count() == 25
    assert members.filter(groups__name="Members").count() == 25
    assert len(set(members.values_list("referral_code", flat=True))) == 25


@pytest.mark.django_db
def test_bench_forum_events_and_pages_are_added_up_to_the_count_once(site_tree):
    from community.demo import seed_bench_topics
    from community.models import Post, Topic
    from content.demo import _seed_bench_copies
    from content.models import CareTipPage, StorePage
    from events.demo import seed_bench_events
    from events.models import EventIndexPage, EventPage, Registration

    call_command("seed_demo", stdout=io.StringIO())
    seed_members(io.StringIO(), 30)
    index, stores = EventIndexPage.objects.get(), list(StorePage.objects.all())
    tips = list(CareTipPage.objects.all())
    for _run in range(2):
        seed_bench_topics(io.StringIO(), topics=12, posts_per_topic=3)
        seed_bench_events(io.StringIO(), index, stores, count=6)
        _seed_bench_copies(tips, "bench-tip", len(tips) + 4, ["summary", "category", "cover", "body"],
                           tags=True)
    topics = Topic.objects.filter(title__startswith="Bench topic ")
    assert topics.count() == 12
    assert Post.objects.filter(topic__in=topics).count() == 36
    events = EventPage.objects.filter(slug__startswith="bench-event-")
    assert events.count() == 6
    assert events.filter(start__lt=timezone.now()).exists()
    assert events.filter(start__gt=timezone.now()).exists()
    assert Registration.objects.filter(event__in=events).count() == sum(range(6))
    assert CareTipPage.objects.live().filter(slug__startswith="bench-tip-").count() == 4
