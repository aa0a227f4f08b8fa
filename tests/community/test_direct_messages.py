"""A direct message starts from a person (a post's author, a chat room's member list), never from a
typed e-mail address; no answer tells whether an address or an account exists; new conversations are
rate-limited per person."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import NoReverseMatch, reverse

from community.chat import services as chat_services
from community.chat.models import Room
from portal import roles
from tests.community.test_post_cards import card, view
from tests.factories import make_user

pytestmark = pytest.mark.django_db
NOT_ALLOWED = "That member does not accept direct messages."


def _open(client, user_id, referer="/community/"):
    return client.post(f"/chat/direct/{user_id}/", HTTP_REFERER=referer)


def _answer(response):
    return (response.status_code, response["Location"],
            [str(message) for message in get_messages(response.wsgi_request)])


def test_the_message_button_opens_one_room_with_that_person(client, member, other_member):
    client.force_login(member)
    first, second = _open(client, other_member.pk), _open(client, other_member.pk)
    slug = f"dm-{min(member.pk, other_member.pk)}-{max(member.pk, other_member.pk)}"
    assert first["Location"] == second["Location"] == reverse("community:chat_room", args=[slug])
    assert Room.objects.filter(kind=Room.Kind.DIRECT).count() == 1
    assert client.get(first["Location"]).status_code == 200


def test_no_one_opted_out_closed_or_missing_all_answer_alike(member):
    opted_out = make_user("quiet@example.com", roles.MEMBERS)
    chat_services.set_allow_direct(user=opted_out, allow=False)
    closed = make_user("closed@example.com", roles.MEMBERS, is_active=False)
    answers = {}
    for who, pk in [("opted out", opted_out.pk), ("closed", closed.pk), ("missing", 999_999)]:
        client = Client()
        client.force_login(member)
        answers[who] = _answer(_open(client, pk))
    assert len(set(map(repr, answers.values()))) == 1, answers
    status, location, texts = answers["missing"]
    assert (status, location, texts) == (302, "/community/", [NOT_ALLOWED])
    assert not Room.objects.filter(kind=Room.Kind.DIRECT).exists()


def test_a_refusal_goes_back_only_to_this_site(client, member):
    client.force_login(member)
    assert _open(client, 999_999, referer="https://evil.example/")["Location"] == "/chat/"


def test_there_is_no_e_mail_form_and_no_e_mail_route(client, member):
    client.force_login(member)
    page = client.get(reverse("community:chat_index")).content.decode()
    assert 'type="email"' not in page and "/chat/direct/" not in page
    with pytest.raises(NoReverseMatch):
        reverse("community:chat_open_direct")
    # The old address is now only a room name nobody can GET or POST to: one answer for every address.
    answers = {client.post("/chat/direct/", {"email": email}).status_code
               for email in (member.email, "nobody@example.com")}
    assert len(answers) == 1 and answers <= {404, 405}


def test_new_conversations_are_limited_per_person_and_known_ones_stay_open(client, member):
    people = [make_user(f"p{n}@example.com", roles.MEMBERS) for n in
              range(chat_services.DIRECT_ROOMS_PER_HOUR + 1)]
    client.force_login(member)
    for person in people[:-1]:
        assert "/chat/dm-" in _open(client, person.pk)["Location"]
    refused = _open(client, people[-1].pk)
    assert _answer(refused)[1:] == ("/community/", [
        "You have started many new conversations in the last hour. Try again within the hour."])
    assert not Room.objects.filter(member_id__in=[member.pk, people[-1].pk],
                                   peer_id__in=[member.pk, people[-1].pk]).exists()
    assert "/chat/dm-" in _open(client, people[0].pk)["Location"]  # an existing room: not counted
    # Refusals count too: walking ids to find who takes messages is as limited as messaging them.
    client.force_login(people[0])
    for _n in range(chat_services.DIRECT_ROOMS_PER_HOUR):
        _open(client, 999_999)
    assert "many new conversations" in _answer(_open(client, people[1].pk))[2][0]


def test_post_cards_offer_message_to_other_signed_in_readers_only(client, members_topic, member,
                                                                  other_member):
    post = members_topic.posts.get()  # by other_member
    button = f'formaction="/chat/direct/{other_member.pk}/"'
    assert button not in card(view(client, members_topic), post)  # anonymous: kept card, no button
    client.force_login(other_member)
    assert button not in card(view(client, members_topic), post)  # the author's own post
    client.force_login(member)
    mine = card(view(client, members_topic), post)
    assert button in mine and 'form="post-actions"' in mine and "csrfmiddlewaretoken" not in mine
    other_member.is_active = False
    other_member.save()
    assert button not in card(view(client, members_topic), post)


def test_chat_rooms_offer_message_beside_people_except_in_direct_rooms(client, member,
                                                                       other_member, lounge):
    client.force_login(member)
    page = client.get(reverse("community:chat_room", args=[lounge.slug])).content.decode()
    assert 'data-chat-direct data-url="/chat/direct/0/"' in page
    room = chat_services.open_direct_room(user=member, other=other_member)
    page = client.get(reverse("community:chat_room", args=[room.slug])).content.decode()
    assert "data-chat-direct" not in page
