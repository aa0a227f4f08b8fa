"""Chat pages, the history endpoint, opening rooms, and the live notifications socket."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.chat import services as chat_services
from community.chat.models import Room
from portal import roles
from tests.factories import make_messages, make_user

pytestmark = pytest.mark.django_db


def test_history_endpoint_pages_older_messages(client, member, lounge):
    make_messages(lounge, member, 120)
    client.force_login(member)
    data = client.get(reverse("community:chat_history", args=[lounge.slug]), {"before": 71}).json()
    assert [m["seq"] for m in data["messages"]] == list(range(21, 71)) and data["more"] is True
    data = client.get(reverse("community:chat_history", args=[lounge.slug]), {"before": 21}).json()
    assert [m["seq"] for m in data["messages"]] == list(range(1, 21)) and data["more"] is False


def test_non_member_cannot_read_history_or_page(client, member, provider, providers_lounge):
    make_messages(providers_lounge, provider, 3)
    client.force_login(member)
    response = client.get(reverse("community:chat_history", args=[providers_lounge.slug]), {"before": 9})
    assert response.status_code == 403 and b"message" not in response.content
    assert client.get(reverse("community:chat_room", args=[providers_lounge.slug])).status_code == 403


def test_history_query_count_does_not_grow_with_messages(client, member, store):
    room = chat_services.open_service_room(member=member, store=store)
    staff = make_user("staff@example.com", roles.STORE_STAFF)
    client.force_login(member)
    url = reverse("community:chat_history", args=[room.slug])
    client.get(url)  # fills the per-user cache (portal.caching.users), as an earlier page would
    counts = []
    for n in (5, 50):
        make_messages(room, staff, n)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url, {"before": room.last_seq + 1})
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_index_lists_rooms_with_unread_counts_in_constant_queries(client, member):
    chat_services.ensure_lounges()
    lounge = Room.objects.get(slug=chat_services.LOUNGE_SLUG)
    make_messages(lounge, member, 3)
    client.force_login(member)
    counts = []
    for n in (5, 50):
        for i in range(n - Room.objects.filter(kind=Room.Kind.DIRECT).count()):
            other = make_user(f"dm{n}-{i}@example.com", roles.MEMBERS)
            # Opened by the other person: each of them starts one conversation (a rate-limited act).
            chat_services.open_direct_room(user=other, other=member)
        client.get(reverse("community:chat_index"))  # fills the per-user cache (portal.caching.users)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("community:chat_index"))
        counts.append(len(ctx))
    assert counts[0] == counts[1]
    assert b"3 unread" in response.content


def test_service_room_is_one_per_member_and_store(client, member, store):
    client.force_login(member)
    first = client.post(reverse("community:chat_open_service"), {"store": store.pk})
    second = client.post(reverse("community:chat_open_service"), {"store": store.pk})
    assert first.url == second.url == reverse("community:chat_room", args=[f"service-{store.pk}-{member.pk}"])
    assert Room.objects.filter(kind=Room.Kind.SERVICE).count() == 1
    assert client.get(first.url).status_code == 200


def test_direct_messages_only_to_members_who_allow_them(client, member, other_member, provider):
    chat_services.set_allow_direct(user=other_member, allow=False)
    client.force_login(member)
    response = client.post(reverse("community:chat_open_direct", args=[other_member.pk]), follow=True)
    assert b"does not accept direct messages" in response.content
    assert not Room.objects.filter(kind=Room.Kind.DIRECT).exists()
    chat_services.set_allow_direct(user=provider, allow=False)
    response = client.post(reverse("community:chat_open_direct", args=[provider.pk]))
    assert response.url == reverse("community:chat_room", args=[f"dm-{member.pk}-{provider.pk}"])


def test_chat_settings_toggle_direct_messages(client, member):
    client.force_login(member)
    client.post(reverse("community:chat_settings"), {})
    assert chat_services.allows_direct(member) is False
    client.post(reverse("community:chat_settings"), {"allow_direct": "on"})
    assert chat_services.allows_direct(member) is True


def test_room_page_for_suspended_member_has_no_form(client, member, lounge):
    from datetime import timedelta

    from django.utils import timezone

    member.suspended_until = timezone.now() + timedelta(days=1)
    member.save()
    client.force_login(member)
    response = client.get(reverse("community:chat_room", args=[lounge.slug]))
    assert b"data-chat-form" not in response.content and b"suspended" in response.content



def test_room_page_carries_the_zone_its_times_are_shown_in(client, member, lounge, store):
    """A store's conversation in the store's zone, every other room in the site's (chat.js reads it)."""
    type(store).objects.filter(pk=store.pk).update(time_zone="Europe/London")
    service = chat_services.open_service_room(member=member, store=store)
    client.force_login(member)
    service_page = client.get(reverse("community:chat_room", args=[service.slug])).content.decode()
    lounge_page = client.get(reverse("community:chat_room", args=[lounge.slug])).content.decode()
    assert 'data-time-zone="Europe/London"' in service_page
    assert f'data-time-zone="{settings.TIME_ZONE}"' in lounge_page
