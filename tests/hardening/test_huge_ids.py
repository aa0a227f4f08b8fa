"""An id that cannot exist answers 404 at every address that takes one, on SQLite and PostgreSQL.

The routes come from the URL conf and the socket routes, so a new route is covered when it is added;
a route of ours that takes a number any other way than `<id:...>` fails the first test.
"""

import pytest
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from django.urls.resolvers import RegexPattern, RoutePattern

from portal.ids import MAX_ID, IdConverter
from tend.asgi import application
from tend.routing import websocket_urlpatterns

OURS = ("portal.", "content.", "community.", "events.")
# Past the 64-bit keys of both databases (SQLite raised OverflowError on these), and zero.
CANNOT_EXIST = [10**20 - 1, 2**63, 0]
# The other parts of an address: any valid value reaches the view (the id is what is tested).
OTHER_ARGS = {"kind": "event", "action": "hide", "forum": "members", "slug": "topic", "room": "lounge"}


def _walk(patterns, chain=(), namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            inner = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from _walk(pattern.url_patterns, (*chain, pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            view = getattr(pattern.callback, "view_class", pattern.callback)
            yield name, (*chain, pattern.pattern), view.__module__


def _converters(chain) -> dict:
    return {key: value for part in chain if isinstance(part, RoutePattern)
            for key, value in part.converters.items()}


def id_routes() -> dict[str, dict]:
    """Every named HTTP route with an `<id:...>` part (Wagtail's admin included), with its converters."""
    found = {}
    for name, chain, _module in _walk(get_resolver().url_patterns):
        converters = _converters(chain)
        if name and any(isinstance(c, IdConverter) for c in converters.values()):
            found[name] = converters
    return found


def _socket_routes():
    for route in websocket_urlpatterns:
        yield route, getattr(route.callback, "__module__", "")


def test_every_number_in_our_routes_is_an_id():
    wrong = []
    http = ((name or str(chain[-1]), chain, module)
            for name, chain, module in _walk(get_resolver().url_patterns))
    sockets = ((str(route.pattern), (route.pattern,), module) for route, module in _socket_routes())
    for name, chain, module in (*http, *sockets):
        if not module.startswith(OURS):
            continue
        if any(isinstance(c, IntConverter) for c in _converters(chain).values()):
            wrong.append(f"{name}: <int:...>, use <id:...>")
        if any(isinstance(part, RegexPattern) and r"\d" in part.regex.pattern for part in chain):
            wrong.append(f"{name}: a \\d regex, use path() with <id:...>")
    assert not wrong, "\n".join(wrong)


def test_the_routes_are_found():
    names = set(id_routes())
    assert {"events:checkin_event", "events:attendees", "events:attendees_csv",
            "community:chat_open_object", "community:topic", "rewards_member_ledger",
            "provider_application_decide", "portal:notification_read"} <= names


def _url(name: str, converters: dict, number: int) -> str:
    kwargs = {key: number if isinstance(converter, IdConverter) else OTHER_ARGS[key]
              for key, converter in converters.items()}
    return reverse(name, kwargs=kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(id_routes()))
def test_an_id_that_cannot_exist_is_404(name, moderator, site_tree):
    client = Client(raise_request_exception=False)
    # A moderator passes most permission checks, so the id is what the view gets to.
    client.force_login(moderator)
    converters = id_routes()[name]
    for number in CANNOT_EXIST:
        url = _url(name, converters, number)
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            assert status == 404, f"{method.upper()} {url}: {status}"
    # The largest id that can exist reaches the view, which finds nothing and never fails.
    url = _url(name, converters, MAX_ID)
    for method in ("get", "post"):
        status = getattr(client, method)(url).status_code
        assert status < 500, f"{method.upper()} {url}: {status}"


def _socket_paths():
    for route, module in _socket_routes():
        converters = _converters((route.pattern,))
        if module.startswith(OURS) and any(isinstance(c, IdConverter) for c in converters.values()):
            yield str(route.pattern)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("route", [*_socket_paths(), "ws/nowhere/<id:x>/"])
@pytest.mark.parametrize("number", CANNOT_EXIST)
async def test_a_socket_for_an_id_that_cannot_exist_closes_with_4404(route, number):
    path = "/" + route.split("<")[0] + f"{number}/"
    communicator = WebsocketCommunicator(application, path, headers=[(b"origin", b"http://localhost")])
    connected, _ = await communicator.connect()
    assert connected
    assert await communicator.receive_output(timeout=5) == {"type": "websocket.close", "code": 4404}
    await communicator.disconnect()
