"""A suspended member is told, wherever they would act, that they are suspended, until when and
why (the moderator's reason): forum, reviews, chat and the 403 page they get."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from community import services
from community.chat.services import LOUNGE_SLUG
from community.models import ModerationAction, Post, ServiceReview, ServiceVisit
from portal.models import Notification, User
from tests.factories import make_topic

pytestmark = pytest.mark.django_db

REASON = "Spam links in three topics"


@pytest.fixture
def suspended(member, moderator):
    return services.suspend_user(moderator=moderator, user=member, days=3, note=REASON)


def until(user) -> str:
    return timezone.localtime(user.suspended_until).strftime("%Y-%m-%d %H:%M")


def told(response, user) -> bool:
    """The page carries the notice: suspended, until when, and why."""
    html = response.content.decode()
    return ("Your account is suspended." in html and until(user) in html
            and REASON in html)


def test_a_suspension_needs_a_reason_which_the_member_is_sent(client, member, moderator):
    client.force_login(moderator)
    url = f"/community/moderation/users/{member.pk}/suspend/"
    client.post(url, {"days": 3, "note": "  "})
    member.refresh_from_db()
    assert not member.is_suspended
    client.post(url, {"days": 3, "note": REASON})
    member.refresh_from_db()
    assert member.is_suspended and member.suspension_note == REASON
    assert REASON in Notification.objects.get(user=member, kind="forum_moderation").message
    assert ModerationAction.objects.get(action="suspend").note == f"3d {REASON}"
    with pytest.raises(services.ForumError) as refused:
        services.suspend_user(moderator=moderator, user=member, days=3, note="")
    assert refused.value.code == "no_reason"


def test_forum_pages_tell_the_member_instead_of_offering_a_form(client, suspended, questions):
    mine = make_topic(questions, suspended, title="My own topic")
    client.force_login(suspended)
    forum = questions.forum.get_absolute_url()
    assert told(client.get(forum), suspended)
    page = client.get(mine.get_absolute_url())
    assert told(page, suspended) and "Post reply" not in page.content.decode()
    for response in (client.get(f"{forum}new/"),
                     client.post(f"{forum}new/", {"category": questions.pk, "title": "t",
                                                  "body": "b"}),
                     client.post(mine.get_absolute_url(), {"body": "a reply"})):
        assert response.status_code == 403 and told(response, suspended)
    post = mine.posts.get()
    edit = f"/community/posts/{post.pk}/edit/"
    page = client.get(edit)
    assert told(page, suspended) and "<textarea" not in page.content.decode()
    assert told(client.post(edit, {"body": "changed"}), suspended)
    assert Post.objects.get(pk=post.pk).source == post.source
    assert Post.objects.filter(topic__forum=questions.forum).count() == 1


def test_reviews_tell_the_member_instead_of_offering_a_form(client, suspended, moderator, store):
    visit = ServiceVisit.objects.create(member=suspended, store=store, recorded_by=moderator,
                                        date=datetime.date(2026, 11, 1))
    client.force_login(suspended)
    assert told(client.get("/community/reviews/"), suspended)
    url = f"/community/reviews/{visit.pk}/"
    page = client.get(url)
    assert told(page, suspended) and "Send review" not in page.content.decode()
    sent = client.post(url, {"process": 5, "courtesy": 5, "technique": 5, "text": "Great"})
    assert told(sent, suspended) and not ServiceReview.objects.exists()


def test_review_answers_refused_for_suspension_say_so(client, suspended, other_member,
                                                     moderator, store):
    from content import services as content_services

    content_services.add_store_staff(user=suspended, store=store)
    visit = ServiceVisit.objects.create(member=other_member, store=store, recorded_by=moderator,
                                        date=datetime.date(2026, 11, 1))
    review = ServiceReview.objects.create(visit=visit, process=4, courtesy=4, technique=4,
                                          text="Fine", html="<p>Fine</p>")
    client.force_login(suspended)
    response = client.get(f"/community/reviews/answer/{review.pk}/")
    assert response.status_code == 403 and told(response, suspended)


def test_chat_shows_the_notice_in_place_of_the_composer(client, suspended, lounge):
    client.force_login(suspended)
    page = client.get(f"/chat/{LOUNGE_SLUG}/")
    assert told(page, suspended) and "data-chat-form" not in page.content.decode()


def test_no_notice_for_others_or_once_the_suspension_ends(client, suspended, other_member,
                                                         questions, lounge):
    forum = questions.forum.get_absolute_url()
    client.force_login(other_member)
    assert "suspension-notice" not in client.get(forum).content.decode()
    denied = client.get("/community/moderation/")
    assert denied.status_code == 403 and "doesn't have access here" in denied.content.decode()
    User.objects.filter(pk=suspended.pk).update(
        suspended_until=timezone.now() - datetime.timedelta(minutes=1))
    suspended.save(update_fields=["display_name"])  # drops the cached user row, as saves do
    client.force_login(suspended)
    assert "suspension-notice" not in client.get(forum).content.decode()
    assert "data-chat-form" in client.get(f"/chat/{LOUNGE_SLUG}/").content.decode()


def test_the_migration_tells_members_already_suspended_why(member, moderator):
    User.objects.filter(pk=member.pk).update(
        suspended_until=timezone.now() + datetime.timedelta(days=2))
    ModerationAction.objects.create(moderator=moderator, action="suspend", target_user=member,
                                    note="2d Rude in the lounge")
    import_module("community.migrations.0009_suspension_notes_from_the_log").copy_notes(
        django_apps, None)
    assert User.objects.get(pk=member.pk).suspension_note == "Rude in the lounge"


def test_chat_list_tells_the_member_instead_of_offering_new_conversations(client, suspended, lounge):
    client.force_login(suspended)
    page = client.get("/chat/")
    assert told(page, suspended)
    assert "chat_open_service" not in page.content.decode() and "/chat/service/" not in page.content.decode()


def test_post_cards_offer_a_suspended_reader_only_what_they_may_do(client, suspended, other_member,
                                                                   questions):
    theirs = make_topic(questions, other_member, title="Someone else's topic")
    client.force_login(suspended)
    page = client.get(theirs.get_absolute_url()).content.decode()
    assert "Report" in page
    assert "/react/" not in page and "/chat/direct/" not in page
    client.force_login(other_member)
    assert "/react/" in client.get(theirs.get_absolute_url()).content.decode()


def test_starting_a_conversation_while_suspended_says_why(client, suspended, other_member, store):
    client.force_login(suspended)
    for url, data in ((f"/chat/direct/{other_member.pk}/", {}), ("/chat/service/", {"store": store.pk})):
        page = client.post(url, data, follow=True).content.decode()
        assert "Your account is suspended" in page and "You cannot do that in this room." not in page
