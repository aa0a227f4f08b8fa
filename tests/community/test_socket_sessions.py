"""Sockets end with their session: logout, password change/set/reset, suspension and deactivation
close the user's chat, notification, topic and event sockets (portal.websocket.session_end), over the
real channel layer (in-memory here, Redis with REDIS_URL), while other users' and sessions' stay open."""

import re

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.core import mail
from django.test import Client

from community.services import suspend_user
from portal.websocket import ACCOUNT_CHANGED, SESSION_ENDED, session_group, user_group
from tend.asgi import application
from tests.factories import PASSWORD
from tests.sockets import receive

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "another-horse-battery-7"


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


async def _browsers(*users) -> list[Client]:
    """One signed-in browser session for each user given."""
    return [await sync_to_async(_signed_in)(user) for user in users]


class Socket:
    """One open socket of a browser session (a test Client's session cookie)."""

    def __init__(self, comm: WebsocketCommunicator):
        self.comm = comm

    @classmethod
    async def open(cls, path: str, client: Client):
        cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        comm = WebsocketCommunicator(application, path, headers=[
            (b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1"), (b"cookie", cookie.encode()),
        ])
        connected, _ = await comm.connect()
        assert connected
        if path.startswith("/ws/chat/"):
            await receive(comm, "history")
        return cls(comm)

    async def closed_with(self, timeout: float = 3) -> int:
        """The close code, skipping any frames (presence, history) still on their way."""
        while True:
            output = await self.comm.receive_output(timeout)
            if output["type"] == "websocket.close":
                return output["code"]

    async def still_open(self) -> None:
        # A heartbeat is answered (chat) or ignored (the rest), never closed.
        await self.comm.send_json_to({"type": "ping"})
        while not await self.comm.receive_nothing(0.3):
            assert (await self.comm.receive_output())["type"] == "websocket.send"
        await self.comm.disconnect()


@pytest.fixture
def paths(lounge, members_topic, event):  # noqa: F811
    return {
        "chat": f"/ws/chat/{lounge.slug}/",
        "notifications": "/ws/notifications/",
        "topic": f"/ws/topics/{members_topic.pk}/",
        "event": f"/ws/events/{event.pk}/",
    }


async def _sockets(paths, client) -> dict[str, Socket]:
    return {kind: await Socket.open(path, client) for kind, path in paths.items()}


async def test_logout_closes_that_sessions_sockets_only(member, other_member, paths):
    browser, other_browser, someone_else = await _browsers(member, member, other_member)
    mine = await _sockets(paths, browser)
    my_other_session = await Socket.open(paths["chat"], other_browser)
    theirs = await Socket.open(paths["chat"], someone_else)

    response = await sync_to_async(browser.post)("/accounts/logout/")
    assert response.status_code == 302

    assert {kind: await socket.closed_with() for kind, socket in mine.items()} == dict.fromkeys(
        paths, SESSION_ENDED)
    await my_other_session.still_open()
    await theirs.still_open()


async def test_password_change_closes_the_other_sessions_sockets(member, other_member, paths):
    """The session that changed the password stays signed in (ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE is
    False), and so do its sockets, though Django gave it a new session key."""
    acting, other_browser, someone_else = await _browsers(member, member, other_member)
    kept = await Socket.open(paths["notifications"], acting)
    ended = await _sockets(paths, other_browser)
    theirs = await Socket.open(paths["notifications"], someone_else)

    response = await sync_to_async(acting.post)("/accounts/password/change/", {
        "oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302

    assert {kind: await socket.closed_with() for kind, socket in ended.items()} == dict.fromkeys(
        paths, SESSION_ENDED)
    await kept.still_open()
    await theirs.still_open()


def _reset_password(user) -> None:
    Client().post("/accounts/password/reset/", {"email": user.email})
    link = re.search(r"https?://\S+(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)
    client = Client()
    form = client.get(link, follow=True)
    response = client.post(form.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302


async def test_password_reset_closes_every_session_of_the_user(member, other_member, paths):
    browser, someone_else = await _browsers(member, other_member)
    mine = await Socket.open(paths["topic"], browser)
    theirs = await Socket.open(paths["topic"], someone_else)

    await sync_to_async(_reset_password)(member)

    assert await mine.closed_with() == SESSION_ENDED
    await theirs.still_open()


async def test_password_set_keeps_the_acting_session(member, paths):
    await sync_to_async(member.set_unusable_password)()
    await sync_to_async(member.save)()
    acting, other_browser = await _browsers(member, member)
    kept = await Socket.open(paths["event"], acting)
    ended = await Socket.open(paths["event"], other_browser)

    response = await sync_to_async(acting.post)("/accounts/password/set/", {
        "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302

    assert await ended.closed_with() == SESSION_ENDED
    await kept.still_open()


async def test_deactivation_closes_every_socket_of_the_user(member, other_member, paths):
    browser, someone_else = await _browsers(member, other_member)
    mine = await _sockets(paths, browser)
    theirs = await Socket.open(paths["notifications"], someone_else)

    member.is_active = False
    await sync_to_async(member.save)()  # as the admin's user form saves it

    assert {kind: await socket.closed_with() for kind, socket in mine.items()} == dict.fromkeys(
        paths, SESSION_ENDED)
    await theirs.still_open()


async def test_suspension_closes_sockets_so_pages_read_the_account_again(member, other_member,
                                                                        moderator, paths):
    """4409, not signed out: the chat page reloads to show the notice where the composer was."""
    browser, someone_else = await _browsers(member, other_member)
    mine = await _sockets(paths, browser)
    theirs = await Socket.open(paths["chat"], someone_else)

    await sync_to_async(suspend_user)(moderator=moderator, user=member, days=1, note="spam")

    assert {kind: await socket.closed_with() for kind, socket in mine.items()} == dict.fromkeys(
        paths, ACCOUNT_CHANGED)
    await theirs.still_open()
    # Reconnected, the chat socket reads the account again: reading yes, writing no.
    again = await Socket.open(paths["chat"], browser)
    await again.comm.send_json_to({"type": "send", "body": "after", "client_id": "s1"})
    assert (await receive(again.comm, "error"))["code"] == "suspended"
    await again.comm.disconnect()


async def _forget_group(group: str) -> None:
    """Drop every member of a group, as the channel layer's group_expiry would."""
    layer = get_channel_layer()
    if hasattr(layer, "groups"):  # in-memory
        layer.groups.pop(group, None)
    else:  # Redis
        await layer.connection(layer.consistent_hash(group)).delete(layer._group_key(group))


async def test_a_heartbeat_renews_the_user_and_session_groups(member, paths):
    """The Redis layer drops group members after group_expiry (300 s): the page's ping re-adds the
    socket, or a logout or deactivation after five quiet minutes would leave it open."""
    browser, other_browser = await _browsers(member, member)
    socket = await Socket.open(paths["topic"], browser)
    other = await Socket.open(paths["event"], other_browser)
    for client in (browser, other_browser):
        await _forget_group(await sync_to_async(lambda c=client: session_group(c.session))())
    await _forget_group(user_group(member.pk))
    for each in (socket, other):
        await each.comm.send_json_to({"type": "ping"})
        assert await each.comm.receive_nothing(0.3)

    await sync_to_async(browser.post)("/accounts/logout/")
    assert await socket.closed_with() == SESSION_ENDED
    member.is_active = False
    await sync_to_async(member.save)()
    assert await other.closed_with() == SESSION_ENDED


async def test_signing_in_again_keeps_the_sessions_sockets_covered(member, paths):
    """A session signing in again as the same user (a new key, the same data) keeps its mark: the
    sockets opened before still end with its logout."""
    browser = (await _browsers(member))[0]
    socket = await Socket.open(paths["notifications"], browser)
    await sync_to_async(browser.force_login)(member)

    await sync_to_async(browser.post)("/accounts/logout/")
    assert await socket.closed_with() == SESSION_ENDED
