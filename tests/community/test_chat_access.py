"""Who may join which room: per-store customer service, event rooms through the portal registry, and
reported messages in the moderators' queue."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community.chat import selectors as chat_selectors
from community.chat import services as chat_services
from community.chat.models import Message, MessageReport, Room
from community.models import ModerationAction
from content import services as content_services
from content.models import PractitionerIndexPage, StoreIndexPage, StorePage
from events.models import EventPage, Registration
from portal import roles, rooms
from tests.factories import make_messages, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_store(store):
    index = StoreIndexPage.objects.first()
    return index.add_child(instance=StorePage(title="Da'an", slug="daan", address="Taipei"))


def practitioner_of(store, email="pia@example.com"):
    from content.models import PractitionerPage

    user = make_user(email, roles.MEMBERS, roles.PROVIDERS)
    index = PractitionerIndexPage.objects.first() or store.get_parent().get_parent().add_child(
        instance=PractitionerIndexPage(title="Practitioners", slug="practitioners")
    )
    page = index.add_child(instance=PractitionerPage(title="Pia", slug=f"pia-{user.pk}", user=user))
    page.stores = [store]
    page.save_revision().publish()
    return user


def test_service_room_is_answered_by_that_stores_staff_and_practitioners_only(
    member, store, other_store
):
    room = chat_services.open_service_room(member=member, store=store)
    elsewhere = chat_services.open_service_room(member=member, store=other_store)
    own_staff = make_user("own@example.com")
    content_services.add_store_staff(user=own_staff, store=store)
    other_staff = make_user("other-staff@example.com")
    content_services.add_store_staff(user=other_staff, store=other_store)
    practitioner = practitioner_of(store)
    assert chat_services.can_join_room(own_staff, room)
    assert chat_services.can_join_room(practitioner, room)
    assert not chat_services.can_join_room(other_staff, room)
    assert not chat_services.can_join_room(practitioner, elsewhere)
    # The "Store staff" role alone, without a store's own group, answers nobody's customers.
    assert not chat_services.can_join_room(make_user("role@example.com", roles.STORE_STAFF), room)
    assert [r.pk for r in chat_selectors.list_rooms(own_staff) if r.kind == Room.Kind.SERVICE] == [room.pk]


def test_answers_from_the_store_are_marked_for_the_member(client, member, store):
    room = chat_services.open_service_room(member=member, store=store)
    staff = make_user("own@example.com", display_name="Sam")
    content_services.add_store_staff(user=staff, store=store)
    chat_services.post_message(author=member, room=room, body="Hello?", client_id="q")
    chat_services.post_message(author=staff, room=room, body="Hi!", client_id="a")
    client.force_login(member)
    page = client.get(reverse("community:chat_history", args=[room.slug]), {"before": 9}).json()
    assert [(m["author"], m["staff"]) for m in page["messages"]] == [(member.name, False), ("Sam", True)]


@pytest.fixture
def event_room(store, site_tree):
    from events.models import EventIndexPage

    index = EventIndexPage.objects.first() or site_tree.add_child(
        instance=EventIndexPage(title="Events", slug="events")
    )
    start = timezone.now() + timedelta(days=3)
    event = index.add_child(instance=EventPage(
        title="Gel day", slug="gel-day", store=store, start=start, end=start + timedelta(hours=2),
        capacity=5, registration_opens=timezone.now() - timedelta(days=1),
        registration_closes=start - timedelta(hours=1), cancellation_deadline=start - timedelta(hours=12),
    ))
    event.save_revision().publish()
    room = Room.objects.create(kind=Room.Kind.EVENT, slug=f"event-{event.pk}", ref_id=event.pk)
    return event, room


def test_event_room_is_for_registered_attendees_and_the_stores_staff(member, other_member, event_room, store):
    event, room = event_room
    Registration.objects.create(event=event, member=member, status=Registration.Status.CONFIRMED)
    Registration.objects.create(event=event, member=other_member, status=Registration.Status.CANCELLED)
    staff = make_user("kai@example.com")
    content_services.add_store_staff(user=staff, store=store)
    assert chat_services.can_join_room(member, room)
    assert chat_services.can_join_room(staff, room)
    assert not chat_services.can_join_room(other_member, room)  # cancelled: not an attendee
    assert not chat_services.can_join_room(make_user("x@example.com", roles.MEMBERS), room)


def test_room_kind_without_a_registered_rule_admits_nobody(member, moderator):
    room = Room.objects.create(kind=Room.Kind.EVENT, slug="orphan", ref_id=None)
    assert not chat_services.can_join_room(member, room)
    assert not rooms.may_join_object_room("unknown-kind", moderator, 1)
    rooms.register_room_kind("test-kind", rooms.ObjectRoomKind(
        may_join=lambda user, ref_id: ref_id == user.pk, title=str, refs=lambda user: Room.objects.none()))
    assert rooms.may_join_object_room("test-kind", member, member.pk)
    assert not rooms.may_join_object_room("test-kind", member, member.pk + 1)


def test_attendee_opens_the_event_room_from_the_event_page_once(client, member, event_room):
    event, room = event_room
    room.delete()  # made on first open, not by the fixture
    client.force_login(member)
    assert "Event chat" not in client.get(event.url).content.decode()  # not registered yet
    Registration.objects.create(event=event, member=member, status=Registration.Status.CONFIRMED)
    assert "Event chat" in client.get(event.url).content.decode()
    url = reverse("community:chat_open_object", args=["event", event.pk])
    first, second = client.post(url), client.post(url)  # a double click opens one room
    assert first.url == second.url == reverse("community:chat_room", args=[f"event-{event.pk}"])
    assert Room.objects.filter(kind=Room.Kind.EVENT, ref_id=event.pk).count() == 1
    assert "Gel day" in client.get(reverse("community:chat_index")).content.decode()
    assert client.get(first.url).status_code == 200


def test_event_room_is_opened_by_store_staff_but_not_by_others(client, other_member, event_room, store):
    event, room = event_room
    room.delete()
    staff = make_user("kai@example.com")
    content_services.add_store_staff(user=staff, store=store)
    client.force_login(other_member)
    assert client.post(reverse("community:chat_open_object", args=["event", event.pk])).status_code == 403
    client.force_login(staff)
    for ref, kind in ((event.pk + 999, "event"), (event.pk, "no-such-kind")):
        assert client.post(reverse("community:chat_open_object", args=[kind, ref])).status_code == 403
    assert not Room.objects.filter(kind=Room.Kind.EVENT).exists()
    opened = client.post(reverse("community:chat_open_object", args=["event", event.pk]))
    assert opened.url == reverse("community:chat_room", args=[f"event-{event.pk}"])
    # Staff reach the room from the event page; their chat list shows only the rooms they belong to.
    assert "Gel day" not in client.get(reverse("community:chat_index")).content.decode()


@pytest.fixture
def reported(member, other_member, store):
    # A direct conversation: moderators act on it from the queue without being able to join it.
    room = chat_services.open_direct_room(user=member, other=other_member)
    (message,) = make_messages(room, member, 1)
    chat_services.report_message(reporter=other_member, message_id=message.pk, reason="rude")
    return message


def test_reported_message_lands_in_the_moderation_queue_and_is_deleted(client, moderator, reported):
    client.force_login(moderator)
    queue = client.get(reverse("community:moderation")).content.decode()
    assert "message 1" in queue and "rude" in queue
    response = client.post(reverse("community:chat_moderate", args=[reported.pk, "delete"]))
    assert response.status_code == 302
    reported.refresh_from_db()
    assert reported.deleted_at is not None
    assert not MessageReport.objects.filter(resolved_at__isnull=True).exists()
    assert ModerationAction.objects.get().action == ModerationAction.Action.DELETE_MESSAGE
    client.post(reverse("community:chat_moderate", args=[reported.pk, "delete"]))  # a second click
    assert ModerationAction.objects.count() == 1
    assert "message 1" not in client.get(reverse("community:moderation")).content.decode()


def test_dismissed_report_keeps_the_message(client, moderator, reported):
    client.force_login(moderator)
    client.post(reverse("community:chat_moderate", args=[reported.pk, "dismiss"]))
    assert Message.objects.get(pk=reported.pk).deleted_at is None
    assert MessageReport.objects.get().resolved_at is not None
    assert ModerationAction.objects.get().action == ModerationAction.Action.DISMISS_MESSAGE


def test_only_moderators_act_on_reports(client, other_member, reported):
    client.force_login(other_member)
    assert client.post(reverse("community:chat_moderate", args=[reported.pk, "delete"])).status_code == 403
    assert Message.objects.get(pk=reported.pk).deleted_at is None


def test_queue_queries_do_not_grow_with_reported_messages(client, moderator, member, lounge,
                                                          django_assert_max_num_queries):
    client.force_login(moderator)
    client.get(reverse("community:moderation"))
    for n, message in enumerate(make_messages(lounge, member, 12)):
        reporter = make_user(f"r{n}@example.com", roles.MEMBERS)
        chat_services.report_message(reporter=reporter, message_id=message.pk, reason=f"reason {n}")
    with django_assert_max_num_queries(16):
        page = client.get(reverse("community:moderation")).content.decode()
    assert "reason 11" in page
