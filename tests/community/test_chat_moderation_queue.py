"""The moderators' queue of reported chat messages: exactly the reported ones, with their reasons,
reporters and a few lines of context, and nothing else of a private conversation."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community import services
from community.chat import services as chat_services
from community.chat.models import Message, MessageReport, Room
from community.models import ModerationAction
from portal import roles
from tests.factories import make_messages, make_user

pytestmark = pytest.mark.django_db


def conversation(room: Room, author, count: int) -> list[Message]:
    """Messages whose bodies name their room and seq ("line 1" would also match "line 11")."""
    messages = make_messages(room, author, count)
    for message in messages:
        message.body = f"<{room.slug}:{message.seq}>"
    Message.objects.bulk_update(messages, ["body"])
    return messages


def test_queue_shows_only_reported_messages_with_two_lines_of_context(
        client, moderator, member, other_member, store):
    direct = chat_services.open_direct_room(user=member, other=other_member)
    lines = conversation(direct, member, 9)
    service = chat_services.open_service_room(member=member, store=store)
    conversation(service, member, 4)
    chat_services.report_message(reporter=other_member, message_id=lines[4].pk, reason="threat")
    client.force_login(moderator)
    page = client.get(reverse("community:moderation")).content.decode()
    slug = direct.slug
    assert f"&lt;{slug}:5&gt;" in page
    for seq in (3, 4, 6, 7):  # two before, two after, in the same room
        assert f"&lt;{slug}:{seq}&gt;" in page
    for seq in (1, 2, 8, 9):
        assert f"&lt;{slug}:{seq}&gt;" not in page
    assert service.slug not in page  # a conversation no one reported is not shown at all
    assert "for context (not reported)" in page and "threat" in page and "Otto" in page


def test_each_reported_message_lists_every_open_report_with_its_reason(
        client, moderator, member, other_member, lounge):
    (message,) = conversation(lounge, member, 1)
    chat_services.report_message(reporter=other_member, message_id=message.pk, reason="rude")
    third = make_user("third@example.com", roles.MEMBERS, display_name="Tia")
    chat_services.report_message(reporter=third, message_id=message.pk, reason="")
    client.force_login(moderator)
    page = client.get(reverse("community:moderation")).content.decode()
    assert page.count(f"&lt;{lounge.slug}:1&gt;") == 1
    assert "Reported by Otto" in page and "rude" in page
    assert "Reported by Tia" in page and "no reason given" in page


def test_queue_reads_the_same_number_of_queries_for_one_or_many_reports(
        client, moderator, member, other_member, lounge, store):
    client.force_login(moderator)
    first = conversation(lounge, member, 3)
    chat_services.report_message(reporter=other_member, message_id=first[1].pk, reason="r0")
    client.get(reverse("community:moderation"))  # session and forums read once
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("community:moderation"))
    rooms = [chat_services.open_direct_room(user=member, other=other_member),
             chat_services.open_service_room(member=member, store=store)]
    for n, room in enumerate(rooms * 2):
        message = conversation(room, member, 5)[2]
        # Reporters outside the room: the queue joins each report's reporter, whoever it is.
        reporter = make_user(f"r{n}@example.com", roles.MEMBERS)
        MessageReport.objects.create(message=message, reporter=reporter, reason=f"r{n}")
        MessageReport.objects.create(message=message, reporter=other_member, reason="again")
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("community:moderation")).content.decode()
    assert page.count("Reported message") == 5
    assert len(many) == len(one), [q["sql"] for q in many]


def test_a_message_no_one_reported_cannot_be_acted_on_from_the_queue(
        client, moderator, member, other_member):
    direct = chat_services.open_direct_room(user=member, other=other_member)
    (message,) = conversation(direct, member, 1)
    client.force_login(moderator)
    for action in ("delete", "dismiss"):
        response = client.post(reverse("community:chat_moderate", args=[message.pk, action]))
        assert response.status_code == 404
    assert Message.objects.get(pk=message.pk).deleted_at is None
    assert not ModerationAction.objects.exists()


def test_queue_actions_work_for_moderators_only(client, moderator, member, other_member, lounge):
    (message,) = conversation(lounge, member, 1)
    chat_services.report_message(reporter=other_member, message_id=message.pk, reason="spam")
    client.force_login(other_member)
    assert client.get(reverse("community:moderation")).status_code == 403
    for url, data in ((reverse("community:chat_moderate", args=[message.pk, "delete"]), {}),
                      (reverse("community:chat_moderate", args=[message.pk, "dismiss"]), {}),
                      (reverse("community:moderate_user", args=[member.pk]),
                       {"days": 3, "note": "spam"})):
        assert client.post(url, data).status_code == 403
    member.refresh_from_db()
    assert not member.is_suspended and Message.objects.get(pk=message.pk).deleted_at is None
    client.force_login(moderator)
    client.post(reverse("community:moderate_user", args=[member.pk]), {"days": 3, "note": "spam"})
    client.post(reverse("community:chat_moderate", args=[message.pk, "delete"]))
    member.refresh_from_db()
    assert member.is_suspended and Message.objects.get(pk=message.pk).deleted_at is not None
    assert not MessageReport.objects.filter(resolved_at__isnull=True).exists()
    assert "Reported message" not in client.get(reverse("community:moderation")).content.decode()


def test_suspending_from_the_queue_is_refused_for_oneself(moderator):
    with pytest.raises(services.ForumError):
        services.suspend_user(moderator=moderator, user=moderator, days=1, note="x")


def test_the_audit_log_names_chat_messages_as_such(client, moderator, member, other_member, lounge):
    spam, rude = make_messages(lounge, member, 2)
    for message in (spam, rude):
        chat_services.report_message(reporter=other_member, message_id=message.pk, reason="spam")
    client.force_login(moderator)
    client.post(reverse("community:chat_moderate", args=[spam.pk, "delete"]))
    client.post(reverse("community:chat_moderate", args=[rude.pk, "dismiss"]))
    log = client.get(reverse("community:moderation")).content.decode()
    assert "Deleted a chat message" in log and "Dismissed a chat report" in log
    assert "Deleted a post" not in log and f"{lounge.slug} #{spam.seq}" in log
