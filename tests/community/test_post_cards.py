"""Each post is rendered once per reader position and kept under a digest of what it shows
(community.views.forums._post_cards): later views reuse it, and nothing it shows is ever stale."""

import re

import pytest

from community import services
from community.models import Reaction
from portal import roles
from tests.factories import make_reply, make_user

pytestmark = pytest.mark.django_db
CARD = "community/includes/post_card.html"


@pytest.fixture
def readers(db):
    """Two plain members who wrote nothing in the topic: readers in the same position."""
    return [make_user(f"reader{n}@example.com", roles.MEMBERS, display_name=f"Reader {n}")
            for n in (1, 2)]


def view(client, topic):
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    return response


def rendered_cards(response) -> int:
    return sum(template.name == CARD for template in response.templates)


def card(response, post) -> str:
    html = response.content.decode()
    start = html.rindex("<article", 0, html.index(f'id="post-{post.pk}"'))
    return html[start:html.index("</article>", start)]


def test_cards_are_rendered_once_per_reader_position_then_reused(client, members_topic, member,
                                                                 readers):
    make_reply(members_topic, member, "Second post")
    assert rendered_cards(view(client, members_topic)) == 2
    assert rendered_cards(view(client, members_topic)) == 0  # the next visitor: kept copies
    client.force_login(readers[0])
    assert rendered_cards(view(client, members_topic)) == 2  # signed in: other buttons
    client.force_login(readers[1])  # in the same position: the same cards
    again = view(client, members_topic)
    assert rendered_cards(again) == 0
    assert "Second post" in again.content.decode()
    client.force_login(member)  # the author's own post has Edit and Delete
    assert rendered_cards(view(client, members_topic)) == 1


def test_a_reaction_shows_at_once_for_the_reader_and_for_others(client, members_topic, readers):
    post = members_topic.posts.get()
    for reader in readers:
        client.force_login(reader)
        view(client, members_topic)
    services.toggle_reaction(user=readers[1], post=post, kind=Reaction.Kind.LIKE)
    mine = card(view(client, members_topic), post)
    assert re.search(r'class="link-button reacted"[^>]*aria-pressed="true">♥ Like '
                     r'<span class="tabular">1</span>', mine)
    client.force_login(readers[0])
    theirs = card(view(client, members_topic), post)
    assert 'aria-pressed="true"' not in theirs and '<span class="tabular">1</span>' in theirs


def test_cards_keep_no_csrf_token_and_post_through_the_page_form(client, members_topic,
                                                                 other_member):
    client.force_login(other_member)
    response = view(client, members_topic)
    html = response.content.decode()
    assert re.search(r'<form id="post-actions" method="post" hidden><input type="hidden" '
                     r'name="csrfmiddlewaretoken"', html)
    post = members_topic.posts.get()
    assert f'form="post-actions" formaction="/community/posts/{post.pk}/react/like/"' in html
    assert "csrfmiddlewaretoken" not in card(response, post)  # what is kept is the card


def test_new_posts_are_marked_for_the_reader_who_has_read_the_earlier_ones(
        client, members_topic, member, other_member):
    client.force_login(other_member)
    view(client, members_topic)  # read up to the first post
    reply = make_reply(members_topic, member, "Later")
    html = view(client, members_topic)
    assert "is-new" not in card(html, members_topic.posts.first())
    assert "is-new" in card(html, reply) and "new-marker" in card(html, reply)


def test_moderators_buttons_bring_them_back_and_no_other_host(client, members_topic, moderator):
    post = members_topic.posts.get()
    client.force_login(moderator)
    url = members_topic.get_absolute_url() + "?page=1"
    html = card(client.get(url), post)
    assert f'name="next" value="{url}"' in html
    answer = client.post(f"/community/moderation/posts/{post.pk}/hide/",
                         {"next": "https://evil.example/phish"})
    assert answer.status_code == 302 and "evil.example" not in answer["Location"]
    post.refresh_from_db()
    assert post.status == post.Status.HIDDEN


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


def test_reactions_are_counted_in_one_read_beside_the_posts(members_topic, member,
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
    forum = members_topic.forum

    def read(reader):
        topic = selectors.find_topic(forum=forum, topic_id=members_topic.pk, user=reader)
        with CaptureQueriesContext(connection) as queries:
            page = selectors.topic_page(topic=topic, user=reader, page_number=1)["page"]
        return [(p.likes, p.helpfuls, p.my_kinds) for p in page], queries

    assert not member.is_moderator  # (the reader's roles, read once per request)
    shown, queries = read(member)
    assert shown == [(2, 0, {"like"}), (0, 1, set())]
    # The posts are not grouped (by every post and author column); reactions are read once.
    assert len(queries) == 5  # authors of held posts, count, posts, photos, reactions
    assert not [q for q in queries if "GROUP BY" in q["sql"] and "community_reaction" not in q["sql"]]
    # The next reader of the page reads none of it (their own reactions came with the topic).
    assert not other_member.is_moderator
    shown, queries = read(other_member)
    assert shown == [(2, 0, {"like"}), (0, 1, {"helpful"})]
    assert len(queries) == 0


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


def test_the_topic_is_read_alone_and_hidden_forums_leak_no_topic_ids(
        client, members_topic, providers_topic, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    view(client, members_topic)
    with CaptureQueriesContext(connection) as queries:
        view(client, members_topic)
    # The forum and its categories come from the cache, not from a join.
    assert not [q for q in queries
                if '"community_forum"' in q["sql"] or '"community_category"' in q["sql"]]
    client.force_login(member)  # not a provider: the providers' forum is closed to them
    existing = client.get(providers_topic.get_absolute_url())
    made_up = client.get(f"/community/providers/{providers_topic.pk + 1000}-topic/")
    assert existing.status_code == made_up.status_code == 403


def test_the_edit_link_goes_when_the_edit_window_closes(client, members_topic, other_member):
    from datetime import timedelta

    from django.utils import timezone

    from community import permissions

    post = members_topic.posts.get()
    edit = f"/community/posts/{post.pk}/edit/"
    client.force_login(other_member)  # the author
    assert edit in card(view(client, members_topic), post)
    type(post).objects.filter(pk=post.pk).update(
        created_at=timezone.now() - permissions.EDIT_WINDOW - timedelta(minutes=1))
    assert edit not in card(view(client, members_topic), post)


def test_the_cards_template_comment_is_not_printed(client, members_topic):
    # Django's {# #} comment is one line; the card's note spanned three and showed on the page.
    assert "no reader's token is kept" not in view(client, members_topic).content.decode()


# A topic page open in the browser draws a post its socket announces from this card
# (community.views.post_card, static/js/community.js): one template for a live post and a reload.
# Session, the post's topic, the reader's state (3: its mark moved with the page view before),
# then the post as topic_page reads one (count, post, photos, reaction counts).
CARD_QUERIES = 9

def card_alone(client, post, **params):
    return client.get(f"/community/posts/{post.pk}/card/", params)


def test_a_card_fetched_alone_is_the_card_the_topic_page_shows(client, members_topic, member,
                                                               other_member):
    client.force_login(member)
    view(client, members_topic)  # read up to the first post: the reply comes as new
    reply = make_reply(members_topic, other_member, "Live **words**")
    alone = card_alone(client, reply)
    assert alone.status_code == 200
    html = alone.content.decode()
    shown = card(view(client, members_topic), reply)  # fetching the card marked nothing read
    assert html[html.index("<article"):html.rindex("</article>")] == shown
    assert "is-new" in shown and "<strong>words</strong>" in shown
    assert 'aria-pressed="false">♥ Like' in shown  # this reader's buttons


def test_a_card_alone_is_shown_only_to_readers_of_its_post(client, members_topic, providers_topic,
                                                           member, other_member, moderator):
    held = make_reply(members_topic, member, "Waiting")
    type(held).objects.filter(pk=held.pk).update(status=held.Status.HELD)
    assert card_alone(client, members_topic.posts.first()).status_code == 200  # an open forum
    client.force_login(other_member)
    assert card_alone(client, held).status_code == 404
    for reader in (member, moderator):  # its author and the moderators see it
        client.force_login(reader)
        assert card_alone(client, held).status_code == 200
    client.force_login(member)  # not a provider
    assert card_alone(client, providers_topic.posts.get()).status_code == 403
    client.logout()  # a fragment for a page's script: refused, not sent to sign in
    assert card_alone(client, providers_topic.posts.get()).status_code == 403
    assert client.get(f"/community/posts/{held.pk + 1000}/card/").status_code == 404


def test_a_moderators_card_alone_brings_them_back_to_the_page_it_is_shown_on(client, members_topic,
                                                                             moderator):
    post = members_topic.posts.get()
    client.force_login(moderator)
    url = members_topic.get_absolute_url() + "?page=1"
    assert f'name="next" value="{url}"' in card_alone(client, post, next=url).content.decode()
    elsewhere = card_alone(client, post, next="https://evil.example/phish").content.decode()
    assert "evil.example" not in elsewhere
    assert f'name="next" value="{members_topic.get_absolute_url()}"' in elsewhere


def test_a_card_alone_reuses_the_kept_copy_and_reads_little(client, members_topic, other_member,
                                                            django_assert_max_num_queries):
    post = members_topic.posts.get()
    client.force_login(other_member)
    assert rendered_cards(view(client, members_topic)) == 1
    with django_assert_max_num_queries(CARD_QUERIES):
        alone = card_alone(client, post)
    assert rendered_cards(alone) == 0  # the copy the topic page kept
