"""Every route × every role, built from the URL conf: a route without an entry in the table fails.

Each route and method is one test that checks every role. A cell is one role's requests (one per URL;
the Wagtail pages have several) against objects owned by someone else (another member's ticket,
notification, direct messages, post, visit; an event of store A), each rolled back afterwards so cells
cannot influence each other; the objects are built once for the file. A cell is "allowed" when the
answer is 2xx or a redirect that is not to a login page; anything else (403, 404, 405, login redirect)
is "refused". A 500 always fails.

To add a route: give its URL name an entry in GET (and POST if it changes state) — or rely on a prefix
default — and, if it takes arguments, say where they come from in ARGS.
"""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import StorePageFactory, home_page
from tests.hardening.world import build_world

ROLES = ("anonymous", "member", "provider", "staff_a", "staff_b", "editor", "moderator", "suspended")
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
MEMBERS = frozenset({"member", "provider", "suspended"})
NOBODY = frozenset()
STAFF_A = frozenset({"staff_a", "moderator"})
STAFF = frozenset({"staff_a", "staff_b", "moderator"})
MODERATOR = frozenset({"moderator"})
ADMIN_USERS = frozenset({"editor", "moderator"})
EDITOR = frozenset({"editor"})

# GET: who may read each route. Prefix defaults first (longest prefix wins), then exceptions by name.
GET_DEFAULTS = {
    "account_": EVERYONE,
    "mfa_": SIGNED_IN,
    "portal:": SIGNED_IN,
    "events:": EVERYONE,
    "community:": EVERYONE,
    "community:chat_": SIGNED_IN,
}
# Store staff reach the admin too: Wagtail page permissions give each store's staff its own subtree.
ADMIN_DEFAULTS = {
    "": ADMIN_USERS | {"staff_a", "staff_b"},
    # Site set-up is for superusers only.
    "wagtailadmin_collections": NOBODY,
    "wagtailadmin_workflows": NOBODY,
    "wagtailredirects": NOBODY,
    "wagtailsites": NOBODY,
    "wagtailusers_": NOBODY,
    "wagtailsnippets": NOBODY,
    # Snippet choosers list for every admin user (to pick a snippet in a page); creating needs the permission.
    # Editors keep the personas and service categories they file content under.
    "wagtailsnippets:index": EDITOR,
    "wagtailsnippets_content_persona": EDITOR,
    "wagtailsnippetchoosers_content_persona:create": EDITOR,
    "wagtailsnippets_content_servicecategory": EDITOR,
    "wagtailsnippetchoosers_content_servicecategory:create": EDITOR,
    # Media for editors and moderators; forum categories for moderators; the rewards catalogue for editors.
    "wagtaildocs:": ADMIN_USERS,
    "wagtaildocs_chooser:create": ADMIN_USERS,
    "wagtailimages:": ADMIN_USERS,
    "wagtailimages_chooser:create": ADMIN_USERS,
    "wagtailadmin_workflows:task_chooser": ADMIN_USERS | {"staff_a", "staff_b"},
    "wagtailsnippets_community_category": MODERATOR,
    "wagtailsnippetchoosers_community_category:create": MODERATOR,
    "wagtailsnippets_events_reward": ADMIN_USERS,
    "wagtailsnippetchoosers_events_reward:create": ADMIN_USERS,
    # Moderators' own pages.
    "wagtailadmin_reports:locked": MODERATOR,
    "provider_applications": MODERATOR,
    "rewards_": MODERATOR,
}
GET = {
    "healthz": EVERYONE,
    "set_language": NOBODY,
    "js_catalog": EVERYONE,
    "referral": EVERYONE,
    "search": EVERYONE,
    "feed_tips": EVERYONE,
    "feed_stories": EVERYONE,
    "sitemap.xml": EVERYONE,
    "wagtail_serve": EVERYONE,
    "wagtailcore_login": EVERYONE,
    # A missing object answers 404 to everyone.
    "media/<path:path>": NOBODY,
    "wagtaildocs_serve": NOBODY,
    "wagtaildocs_authenticate_with_password": NOBODY,
    "wagtailcore_authenticate_with_password": NOBODY,
    # Pages of a signed-in account.
    "account_email": SIGNED_IN,
    "account_change_password": SIGNED_IN,
    "account_set_password": SIGNED_IN,
    "account_reauthenticate": SIGNED_IN,
    # Only during a login that waits for a code or a second factor.
    "account_confirm_login_code": SIGNED_IN,
    "mfa_reauthenticate": SIGNED_IN,
    "mfa_authenticate": SIGNED_IN,
    # Need an authenticator first.
    "mfa_deactivate_totp": NOBODY,
    "mfa_view_recovery_codes": NOBODY,
    "mfa_download_recovery_codes": NOBODY,
    "portal:notification_read": NOBODY,
    "portal:notifications_read_all": NOBODY,
    "community:post_report": SIGNED_IN,
    # Wagtail: its catch-all redirects, the JS catalogue is public, the choosers' API wants parameters.
    "admin/^.*/$": EVERYONE,
    "wagtailadmin_javascript_catalog": EVERYONE,
    "wagtailadmin_api:documents:find": NOBODY,
    "wagtailadmin_api:images:find": NOBODY,
    "wagtailadmin_api:pages:find": NOBODY,
    "wagtailadmin_block_preview": NOBODY,
    "wagtailadmin_sprite": EVERYONE,
    "wagtailadmin_logout": NOBODY,
    # Every login and reset goes through allauth (portal.views.admin_login).
    "admin_login": NOBODY,
    "admin_password_reset": EVERYONE,
    "wagtailadmin_login": NOBODY,
    "wagtailadmin_password_reset": EVERYONE,
    "wagtailadmin_password_reset_done": EVERYONE,
    "wagtailadmin_password_reset_complete": EVERYONE,
    # Another member's ticket: only staff of the event's store (and moderators) besides the owner.
    "events:ticket": STAFF_A,
    "events:calendar": EVERYONE,
    "events:checkin": STAFF,
    "events:checkin_event": STAFF_A,
    "events:attendees": STAFF_A,
    "events:attendees_csv": STAFF_A,
    "events:moderate_photos": MODERATOR,
    # Another member's provider certificate (portal.private_media): moderators only.
    "private_file": MODERATOR,
    # Rewards: a member's own points and coupons; another member's coupon only for moderators.
    "events:rewards": SIGNED_IN,
    "events:points": SIGNED_IN,
    "events:points_balance": SIGNED_IN,
    "events:coupons": SIGNED_IN,
    "events:coupon": MODERATOR,
    "events:redeem": NOBODY,
    "events:checkin_coupon": STAFF,
    # State-changing routes answer GET with 405 or a redirect; see POST for who may use them.
    "events:register": NOBODY,
    "events:cancel": NOBODY,
    "events:rate": NOBODY,
    "events:upload_photo": NOBODY,
    # Direct messages between two other people.
    "community:chat_room": NOBODY,
    "community:chat_history": NOBODY,
    # Only the author edits, moderators hide instead.
    "community:post_edit": NOBODY,
    "community:post_history": MODERATOR,
    "community:review_answer": STAFF_A - MODERATOR,
    "community:chat_moderate": NOBODY,
    "community:moderation": MODERATOR,
    "community:reviews": SIGNED_IN,
    "community:review_visit": NOBODY,
    "community:record_visit": STAFF - MODERATOR,
    "community:new_topic": SIGNED_IN - {"suspended"},
    # POST only: GET answers 405.
    "community:chat_open_direct": NOBODY,
    "community:chat_open_service": NOBODY,
    "community:chat_open_object": NOBODY,
    "community:chat_settings": NOBODY,
    "community:post_delete": NOBODY,
    "community:post_react": NOBODY,
    "community:topic_watch": NOBODY,
    "community:category_watch": NOBODY,
    "community:moderate_post": NOBODY,
    "community:moderate_topic": NOBODY,
    "community:moderate_user": NOBODY,
}
# POST: who may change state. Routes not named here are only read (GET) in this matrix.
POST = {
    "set_language": EVERYONE,
    "portal:profile": SIGNED_IN,
    "portal:notification_settings": SIGNED_IN,
    "portal:notifications_read_all": SIGNED_IN,
    # Answers with a redirect; only the caller's own notifications are touched (see the owner check).
    "portal:notification_read": SIGNED_IN,
    "portal:provider_application": SIGNED_IN,
    # Registration, rating and photos answer with a redirect to the event page; the services refuse
    # an audience or attendance they do not allow with an error message there (tests/events).
    "events:register": SIGNED_IN,
    "events:cancel": NOBODY,
    "events:rate": SIGNED_IN,
    "events:upload_photo": SIGNED_IN,
    "events:checkin_event": STAFF_A,
    # Redeeming with too few points answers with a redirect and a message (tests/events).
    "events:redeem": SIGNED_IN,
    "events:checkin_coupon": STAFF,
    "community:chat_open_direct": SIGNED_IN,
    "community:chat_open_service": SIGNED_IN,
    # Store A's event: its staff and moderators (the owner, its one attendee, is no role here).
    "community:chat_open_object": STAFF_A,
    "community:chat_settings": SIGNED_IN,
    "community:post_edit": NOBODY,
    "community:post_delete": MODERATOR,
    # The members' forum is open to every signed-in account.
    "community:post_react": SIGNED_IN,
    "community:post_report": SIGNED_IN,
    "community:topic_watch": SIGNED_IN,
    "community:category_watch": SIGNED_IN,
    "community:moderate_post": MODERATOR,
    "community:moderate_topic": MODERATOR,
    "community:moderate_user": MODERATOR,
    "community:review_visit": NOBODY,
    "community:review_answer": STAFF_A - MODERATOR,
    "community:chat_moderate": MODERATOR,
    "community:record_visit": STAFF - MODERATOR,
    "community:new_topic": SIGNED_IN - {"suspended"},
}


def expected(table: dict, name: str, defaults: dict | None = None) -> frozenset:
    if name in table:
        return table[name]
    for prefix in sorted(defaults or {}, key=len, reverse=True):
        if name.startswith(prefix):
            return defaults[prefix]
    raise AssertionError(f"route {name!r} has no entry in the authorization matrix")


def routes():
    """(name, has_args) of every URL pattern; unnamed patterns are keyed by their path."""

    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace
                ns = f"{namespace}:{ns}" if namespace and ns else ns or namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern):
                name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
                path = prefix + str(pattern.pattern)
                yield name or path, path

    seen = {}
    for name, path in walk(get_resolver().url_patterns):
        # Wagtail's admin has hundreds of routes behind one gate (access_admin): its routes without
        # parameters stand for the rest.
        if name == "wagtailadmin_error_test":  # Wagtail's deliberate 500 page
            continue
        if not path.startswith("admin/") or ("<" not in path and "(?P" not in path):
            seen.setdefault(name, path)
    return seen


def url_for(name: str, path: str, world) -> list[str]:
    if name == "wagtail_serve":
        return world["pages"]
    if name == path:  # an unnamed pattern
        return ["/" + path.replace("<path:path>", world["args"]["path"])]
    override = world["overrides"].get(name)
    if isinstance(override, tuple):
        return [reverse(name, args=override)]
    return [reverse(name, kwargs=override or _kwargs_for(name, world) or None)]


def _kwargs_for(name: str, world) -> dict:
    """Each parameter the pattern names, filled from the world's objects of that name."""
    *namespaces, short = name.split(":")
    resolver = get_resolver()
    for namespace in namespaces:
        resolver = resolver.namespace_dict[namespace][1]
    params = set()
    for possibility, *_rest in resolver.reverse_dict.getlist(short):
        for _result, names in possibility:
            params.update(names)
    missing = params - world["args"].keys()
    assert not missing, f"route {name!r} needs {missing}: add them to the world fixture's args"
    return {param: world["args"][param] for param in params}


def _outcome(response) -> str:
    status = response.status_code
    if status >= 500:
        return "error"
    if status in (301, 302, 303, 307, 308):
        location = response["Location"]
        # Wagtail answers a missing admin permission with a redirect to the admin's home.
        refusals = (reverse("account_login"), "/admin/login/", "/_util/login/", "/admin/")
        return "refused" if location.split("?")[0] in refusals else "allowed"
    return "allowed" if status < 400 else "refused"


def _sessions(world) -> dict[str, str | None]:
    cookies = {"anonymous": None}
    for role, user in world["users"].items():
        client = Client()
        client.force_login(user)
        cookies[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return cookies


def _request(cookie, method: str, url: str):
    client = Client(raise_request_exception=False)
    if cookie:
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    cache.clear()
    with transaction.atomic():
        response = getattr(client, method)(url, secure=False)
        transaction.set_rollback(True)
    return response


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world and a session per role, built once for the whole file inside a transaction that is
    rolled back after its last cell. Module scope is set up before each cell's own transaction (a
    savepoint in this one), and each request is rolled back at once besides (see _request)."""
    media = tmp_path_factory.mktemp("matrix-media")
    paths = {"MEDIA_ROOT": media / "public", "PRIVATE_MEDIA_ROOT": media / "private"}
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=hashers, **paths):
        with transaction.atomic():
            cache.clear()
            world = build_world(home_page(), StorePageFactory(title="Xinyi", slug="xinyi"))
            world["cookies"] = _sessions(world)
            world["media"] = paths
            yield world
            transaction.set_rollback(True)


@pytest.fixture
def cell_world(matrix_world, settings, _media_root):
    # Each test gets empty media folders (tests/conftest.py); the world's files are in its own.
    for name, path in matrix_world["media"].items():
        setattr(settings, name, path)
    return matrix_world


def _routes():
    """One test id per route and method: `GET-<route name>`, and `POST-<route name>` where the route has
    a POST entry. Each checks every role and reports every wrong cell."""
    for name, path in sorted(routes().items()):
        for method in ("get", "post") if name in POST else ("get",):
            yield pytest.param(method, name, path, id=f"{method.upper()}-{name}")


ROUTES = list(_routes())


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "name", "path"), ROUTES)
def test_route_for_every_role(method, name, path, cell_world):
    defaults = ADMIN_DEFAULTS if path.startswith("admin/") else GET_DEFAULTS
    allowed = expected(GET, name, defaults) if method == "get" else POST[name]
    wrong = []
    for url in url_for(name, path, cell_world):
        for role in ROLES:
            outcome = _outcome(_request(cell_world["cookies"][role], method, url))
            want = "allowed" if role in allowed else "refused"
            if outcome != want:
                wrong.append(f"{method.upper()} {url} ({name}) as {role}: {outcome}, want {want}")
    assert not wrong, "\n".join(wrong)


def test_the_matrix_has_a_cell_per_route_method_and_role():
    cells = len(ROUTES) * len(ROLES)
    print(f"authorization matrix: {cells} cells, {len(ROUTES)} tests")  # the README's figure (pytest -s)
    assert cells > 500


def test_unknown_route_fails_the_matrix():
    with pytest.raises(AssertionError, match="no entry"):
        expected(GET, "rewards:brand_new_route", GET_DEFAULTS)
