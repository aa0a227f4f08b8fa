"""An @mention in a post links to the member's profile, through the one sanitiser; the profile
shows what anyone may see of them."""

import pytest

from community import services
from community.models import Post
from tests.factories import make_topic, make_user, trusted, unpace

pytestmark = pytest.mark.django_db


def test_a_mention_links_to_the_profile_and_code_and_unknown_names_do_not(member, other_member,
                                                                          questions):
    topic = make_topic(questions, member)
    post = services.create_reply(author=trusted(other_member), topic=topic,
                                 body="Thanks @Mei. Ask `@mei` or @nobody, or mail otto@mei.example")
    url = f"/community/people/{member.pk}/"
    assert f'<a href="{url}" rel="nofollow ugc noopener">@Mei</a>.' in post.html
    assert post.html.count("<a ") == 1  # not in code, not an unknown name, not an e-mail address
    assert "<code>@mei</code>" in post.html


def test_an_edit_links_a_new_mention_and_stays_clean(member, other_member, questions):
    topic = make_topic(questions, member)
    post = services.create_reply(author=trusted(other_member), topic=topic, body="Hello")
    unpace(other_member)
    post = services.edit_post(editor=other_member, post=post,
                              body='Hello @mei <script>alert(1)</script> [x](javascript:alert(1))')
    assert f'href="/community/people/{member.pk}/"' in post.html
    assert "<script>" not in post.html and "&lt;script&gt;" in post.html
    assert 'href="javascript' not in post.html
    assert Post.objects.get(pk=post.pk).html == post.html


def test_the_profile_shows_name_and_only_topics_the_reader_may_see(client, member, provider, questions,
                                                                   voice):
    make_topic(questions, provider, title="Gel or dip?")
    make_topic(voice, provider, title="Training hours")
    html = client.get(f"/community/people/{provider.pk}/").content.decode()
    assert "Pia" in html and "Gel or dip?" in html and "Training hours" not in html
    client.force_login(provider)
    assert "Training hours" in client.get(f"/community/people/{provider.pk}/").content.decode()
    assert "provider@example.com" not in client.get(f"/community/people/{provider.pk}/").content.decode()


def test_no_profile_for_an_inactive_or_unknown_account(client):
    gone = make_user("gone@example.com", is_active=False)
    assert client.get(f"/community/people/{gone.pk}/").status_code == 404
    assert client.get("/community/people/999999/").status_code == 404


def test_a_post_s_author_links_to_their_profile(client, member, other_member, questions):
    topic = make_topic(questions, other_member)
    html = client.get(topic.get_absolute_url()).content.decode()
    assert f'<a class="author-link" href="/community/people/{other_member.pk}/">Otto</a>' in html
