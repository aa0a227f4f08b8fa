"""What signed-in pages read from the cache (portal.caching.users) is never stale after a change."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from portal import notifications, roles, services

pytestmark = pytest.mark.django_db
ADMIN_LINK = b'href="/admin/"'
USERBAR = b"wagtail-userbar"


@pytest.fixture(autouse=True)
def _kind():
    notifications.register_kind("test_in_app", "Test", notifications.IN_APP)


def _bell(client) -> bytes:
    page = client.get("/me/").content
    start = page.index(b"data-bell-count")
    return page[start:page.index(b"</span>", start)]


def test_the_bell_shows_a_new_notification_and_a_read_one_at_once(client, member, site_tree):
    client.force_login(member)
    assert _bell(client) == b"data-bell-count hidden>0"  # cached from here on
    first = services.notify(member, "test_in_app", "One")
    assert _bell(client) == b"data-bell-count >1"
    services.notify(member, "test_in_app", "Two")
    assert _bell(client) == b"data-bell-count >2"
    client.post(reverse("portal:notification_read", args=[first.pk]))
    assert _bell(client) == b"data-bell-count >1"
    client.post(reverse("portal:notifications_read_all"))
    assert _bell(client) == b"data-bell-count hidden>0"


def test_the_count_read_with_the_user_row_gives_way_to_a_notification_written_since(member):
    """user_row reads the bell's count in its round trip; a notification written after that (by the
    same request, say) is counted all the same."""
    from portal.backends import ModelBackend

    backend = ModelBackend()
    assert services.unread_count(backend.get_user(member.pk)) == 0  # the row and count kept
    user = backend.get_user(member.pk)  # both read in one round trip
    services.notify(member, "test_in_app", "Since")
    assert services.unread_count(user) == 1
    assert services.unread_count(backend.get_user(member.pk)) == 1


def test_a_notification_rolled_back_leaves_the_count_alone(client, member, site_tree):
    from django.db import transaction

    client.force_login(member)
    services.notify(member, "test_in_app", "Kept")
    assert _bell(client) == b"data-bell-count >1"
    with pytest.raises(RuntimeError), transaction.atomic():
        services.notify(member, "test_in_app", "Rolled back")
        raise RuntimeError
    assert _bell(client) == b"data-bell-count >1"


def test_joining_and_leaving_a_group_shows_at_once(client, member, site_tree):
    client.force_login(member)
    page = client.get("/me/").content  # roles cached from here on
    assert ADMIN_LINK not in page and USERBAR not in page
    editors = Group.objects.get(name=roles.EDITORS)
    member.groups.add(editors)
    page = client.get("/me/").content
    assert ADMIN_LINK in page and USERBAR in page
    member.groups.remove(editors)
    page = client.get("/me/").content
    assert ADMIN_LINK not in page and USERBAR not in page
    editors.user_set.add(member)  # from the group's side
    assert ADMIN_LINK in client.get("/me/").content
    editors.user_set.clear()
    assert ADMIN_LINK not in client.get("/me/").content


def test_admin_access_granted_through_a_group_or_directly_shows_at_once(client, member, site_tree):
    client.force_login(member)
    assert USERBAR not in client.get("/").content
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    members = Group.objects.get(name=roles.MEMBERS)
    members.permissions.add(access)
    assert USERBAR in client.get("/").content
    members.permissions.remove(access)
    assert USERBAR not in client.get("/").content
    member.user_permissions.add(access)
    assert USERBAR in client.get("/").content
    member.user_permissions.remove(access)
    assert USERBAR not in client.get("/").content


def test_the_user_bar_asks_the_kept_roles_not_the_permission_tables(client, member, site_tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    member.user_permissions.add(access)
    client.force_login(member)
    client.get("/")  # keeps the roles
    with CaptureQueriesContext(connection) as queries:
        assert USERBAR in client.get("/").content
    assert not [q["sql"] for q in queries if 'FROM "auth_permission"' in q["sql"]]


def test_a_renamed_group_changes_roles_at_once(client, member, site_tree):
    client.force_login(member)
    assert ADMIN_LINK not in client.get("/me/").content
    Group.objects.filter(name=roles.EDITORS).delete()
    members = Group.objects.get(name=roles.MEMBERS)
    members.name = roles.EDITORS
    members.save()
    assert ADMIN_LINK in client.get("/me/").content


def test_a_group_change_shows_even_after_the_cache_lost_the_roles_token(client, member, site_tree):
    """Redis may evict the token every user's roles are kept under while the roles live on."""
    from django.core.cache import cache

    from portal.caching.users import EVERYONE_ROLES_KEY

    client.force_login(member)
    assert USERBAR not in client.get("/").content
    cache.delete(EVERYONE_ROLES_KEY)
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    Group.objects.get(name=roles.MEMBERS).permissions.add(access)
    assert USERBAR in client.get("/").content


def _user_row_reads(client, path="/me/") -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum('FROM "portal_user" WHERE "portal_user"."id" =' in q["sql"] for q in queries)


def test_the_signed_in_user_s_row_is_read_once_then_kept(client, member, site_tree):
    client.force_login(member)
    assert _user_row_reads(client) == 1
    assert _user_row_reads(client) == 0


def test_a_renamed_or_recognised_user_shows_at_once(client, member, site_tree):
    from events.rewards.services import refresh_member_recognition

    client.force_login(member)
    client.get("/me/")
    member.display_name = "Mei Lin"
    member.save(update_fields=["display_name"])
    assert b"Hello, Mei Lin" in client.get("/me/").content
    member.badges = ["first_event"]
    member.save(update_fields=["badges"])
    refresh_member_recognition(user=member)  # attended nothing: the badge is taken back
    assert _user_row_reads(client) == 1


def test_a_deactivated_user_or_a_changed_password_signs_the_session_out_at_once(
        client, member, other_member, site_tree):
    from django.test import Client

    client.force_login(member)
    assert client.get("/me/").status_code == 200
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert client.get("/me/").status_code == 302
    other = Client()
    other.force_login(other_member)
    assert other.get("/me/").status_code == 200
    other_member.set_password("a whole new secret 42")
    other_member.save()
    assert other.get("/me/").status_code == 302


def test_the_user_row_and_roles_come_in_one_cache_round_trip(client, member, site_tree,
                                                             monkeypatch):
    from django.core.cache import cache

    client.force_login(member)
    client.get("/me/")  # fills the cache
    asked, depth = [], []
    for name in ("get", "get_many", "get_or_set"):
        real = getattr(cache, name)

        def spy(key, *args, _real=real, **kwargs):
            if not depth:  # the calls made, not the backend's own (get_many calls get)
                asked.append(key)
            depth.append(1)
            try:
                return _real(key, *args, **kwargs)
            finally:
                depth.pop()
        monkeypatch.setattr(cache, name, spy)
    assert client.get("/me/").status_code == 200
    roles_reads = [key for key in asked if "user-roles" in str(key)]
    assert len(roles_reads) == 1 and "user-row:" in str(roles_reads[0])
