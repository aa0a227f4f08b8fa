"""Forum fixtures. The forums and categories come from the data migration."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.utils import timezone

from community.models import Category, Forum, Post, Topic
from portal.sanitize import render_markdown


@pytest.fixture
def forums(db):
    """The migration's forums; transactional tests flush them, so seed again (idempotent)."""
    import_module("community.migrations.0002_seed_forums").seed(django_apps, None)


@pytest.fixture
def members_forum(forums):
    return Forum.objects.get(slug="members")


@pytest.fixture
def providers_forum(forums):
    return Forum.objects.get(slug="providers")


@pytest.fixture
def questions(members_forum):
    return Category.objects.filter(forum=members_forum).order_by("position")[1]


@pytest.fixture
def voice(providers_forum):
    return Category.objects.filter(forum=providers_forum).order_by("position").last()


def make_topic(category, author, title="Lasting manicure?", body="How long should it last?"):
    """A published topic straight through the ORM, bypassing pacing (tests build data fast)."""
    topic = Topic.objects.create(forum=category.forum, category=category, author=author,
                                 title=title, slug="topic")
    Post.objects.create(topic=topic, author=author, source=body, html=render_markdown(body))
    return topic


def make_reply(topic, author, body="Me too"):
    return Post.objects.create(topic=topic, author=author, source=body, html=render_markdown(body))


def trusted(user):
    """Old enough and with enough approved posts: no new-member limits."""
    user.date_joined = timezone.now() - timedelta(days=30)
    user.save(update_fields=["date_joined"])
    return user


def unpace(user):
    cache.delete(f"community:pace:{user.pk}")


@pytest.fixture
def members_topic(questions, other_member):
    return make_topic(questions, other_member)


@pytest.fixture
def providers_topic(voice, provider):
    return make_topic(voice, provider, title="Training hours", body="Too many evening shifts")
