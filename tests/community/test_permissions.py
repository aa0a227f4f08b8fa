"""Who may read and post in each forum: anonymous, member, provider, moderator, suspended."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import Post, Topic
from portal import roles
from tests.factories import PASSWORD, make_user, trusted, unpace

pytestmark = pytest.mark.django_db


@pytest.fixture
def suspended(db):
    return make_user("suspended@example.com", roles.MEMBERS, roles.PROVIDERS,
                     suspended_until=timezone.now() + timedelta(days=3))


def _client(client, user):
    if user is not None:
        client.login(email=user.email, password=PASSWORD)
    return client


# (who, members' forum read, members' post, providers' read, providers' post)
MATRIX = [
    ("anonymous", "200", "login", "login", "login"),
    ("member", "200", "ok", "403", "403"),
    ("provider", "200", "ok", "200", "ok"),
    ("moderator", "200", "ok", "200", "ok"),
    ("suspended", "200", "403", "200", "403"),
]


@pytest.mark.parametrize(("who", "m_read", "m_post", "p_read", "p_post"), MATRIX)
def test_permission_matrix(request, client, who, m_read, m_post, p_read, p_post,
                           members_topic, providers_topic, questions, voice):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    if user is not None and who != "suspended":
        trusted(user)
    c = _client(client, user)
    for topic, read, post, category in (
        (members_topic, m_read, m_post, questions),
        (providers_topic, p_read, p_post, voice),
    ):
        for url in (topic.forum.get_absolute_url(), topic.get_absolute_url()):
            response = c.get(url)
            if read == "login":
                assert response.status_code == 302 and "/accounts/login/" in response["Location"]
            else:
                assert response.status_code == int(read), url
        before = Post.objects.count()
        response = c.post(topic.get_absolute_url(), {"body": f"reply by {who}"})
        if user is not None:
            unpace(user)
        new_topic = c.post(f"/community/{topic.forum.slug}/new/",
                           {"category": category.pk, "title": "Hi", "body": f"topic by {who}"})
        if user is not None:
            unpace(user)
        if post == "login":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
            assert new_topic.status_code == 302 and "/accounts/login/" in new_topic["Location"]
            assert Post.objects.count() == before
        elif post == "403":
            assert response.status_code == 403
            assert new_topic.status_code == 403
            assert Post.objects.count() == before
        else:
            assert response.status_code == 302, response.content[:500]
            assert Post.objects.filter(source=f"reply by {who}", topic=topic).exists()
            assert new_topic.status_code == 302


def test_forged_category_of_the_other_forum_is_a_form_error(client, provider, voice):
    client.login(email=provider.email, password=PASSWORD)
    response = client.post("/community/members/new/",
                           {"category": voice.pk, "title": "Sneaky", "body": "my text stays"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert "my text stays" in response.content.decode()
    assert not Topic.objects.filter(title="Sneaky").exists()


def test_members_index_hides_providers_forum_from_members(client, member):
    client.login(email=member.email, password=PASSWORD)
    body = client.get("/community/").content.decode()
    assert "/community/members/" in body
    assert "/community/providers/" not in body


def test_moderation_page_is_for_moderators_only(client, member, moderator):
    assert "/accounts/login/" in client.get("/community/moderation/")["Location"]
    client.login(email=member.email, password=PASSWORD)
    assert client.get("/community/moderation/").status_code == 403
    client.post(f"/community/moderation/users/{member.pk}/suspend/", {"days": 3, "note": "spam"})
    member.refresh_from_db()
    assert member.suspended_until is None
    client.login(email=moderator.email, password=PASSWORD)
    assert client.get("/community/moderation/").status_code == 200
