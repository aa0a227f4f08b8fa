"""A post's head and text are rendered once and kept under a digest of what they show
(community.views._post_parts): later views reuse them, and nothing they show is ever stale."""

import pytest

from community import services
from tests.community.conftest import make_reply

pytestmark = pytest.mark.django_db
PARTS = "community/includes/post_shared.html"


def view(client, topic):
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    return response


def rendered_parts(response) -> int:
    return sum(template.name == PARTS for template in response.templates)


def test_parts_are_rendered_once_then_reused(client, members_topic, member):
    make_reply(members_topic, member, "Second post")
    assert rendered_parts(view(client, members_topic)) == 2
    client.force_login(member)  # another reader, same parts (but for the author's own post)
    again = view(client, members_topic)
    assert rendered_parts(again) == 1
    assert "Second post" in again.content.decode()


def test_an_edit_a_renamed_author_and_a_hidden_post_show_at_once(client, members_topic, member,
                                                                moderator):
    reply = make_reply(members_topic, member, "First words")
    view(client, members_topic)
    member.display_name = "Renamed Rin"
    member.save(update_fields=["display_name"])
    assert "Renamed Rin" in view(client, members_topic).content.decode()
    services.edit_post(editor=member, post=reply, body="Better words")
    html = view(client, members_topic).content.decode()
    assert "Better words" in html and "First words" not in html
    services.hide_post(moderator=moderator, post=reply)
    client.force_login(moderator)
    html = view(client, members_topic).content.decode()
    assert "Better words" in html and "status-rejected" in html


def test_only_the_author_and_moderators_get_the_link_to_earlier_versions(client, members_topic,
                                                                         member, other_member,
                                                                         moderator):
    reply = make_reply(members_topic, member, "Draft")
    services.edit_post(editor=member, post=reply, body="Final")
    history = f"/community/posts/{reply.pk}/history/"
    for reader, sees in ((other_member, False), (member, True), (moderator, True),
                         (other_member, False)):
        client.force_login(reader)
        assert (history in view(client, members_topic).content.decode()) is sees, reader


def test_reactions_are_counted_per_post_without_grouping_the_page(members_topic, member,
                                                                  other_member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from community import selectors
    from community.models import Reaction

    first = members_topic.posts.get()
    second = make_reply(members_topic, member)
    Reaction.objects.create(post=first, user=member, kind=Reaction.Kind.LIKE)
    Reaction.objects.create(post=first, user=other_member, kind=Reaction.Kind.LIKE)
    Reaction.objects.create(post=second, user=other_member, kind=Reaction.Kind.HELPFUL)
    with CaptureQueriesContext(connection) as queries:
        page = selectors.topic_page(topic=members_topic, user=member, page_number=1)["page"]
    assert [(p.likes, p.helpfuls) for p in page] == [(2, 0), (0, 1)]
    assert not [q for q in queries if "GROUP BY" in q["sql"].split("(SELECT", 1)[0]]


def test_a_post_s_photos_show_and_a_new_photo_is_never_missed(client, members_topic, member):
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    from community.models import PostImage

    def photo():
        buffer = io.BytesIO()
        Image.new("RGB", (8, 8), "pink").save(buffer, format="PNG")
        return ContentFile(buffer.getvalue(), name="nails.png")

    reply = make_reply(members_topic, member, "Look")
    first = PostImage.objects.create(post=reply, image=photo(), width=8, height=8)
    html = view(client, members_topic).content.decode()
    assert html.count('class="post-image"') == 1 and first.image.url in html
    second = PostImage.objects.create(post=reply, image=photo(), width=8, height=8)
    html = view(client, members_topic).content.decode()
    assert html.count('class="post-image"') == 2 and second.image.url in html


def test_the_topic_and_its_forum_are_one_read_and_hidden_forums_leak_no_topic_ids(
        client, members_topic, providers_topic, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    view(client, members_topic)
    with CaptureQueriesContext(connection) as queries:
        view(client, members_topic)
    assert not [q for q in queries
                if 'FROM "community_forum"' in q["sql"] and "community_topic" not in q["sql"]]
    client.force_login(member)  # not a provider: the providers' forum is closed to them
    existing = client.get(providers_topic.get_absolute_url())
    made_up = client.get(f"/community/providers/{providers_topic.pk + 1000}-topic/")
    assert existing.status_code == made_up.status_code == 403
