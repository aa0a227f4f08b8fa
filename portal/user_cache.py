"""What every signed-in page asks about its visitor, kept in the cache between requests.

The authentication backends read the user's row, the header and the role checks the user's group
names, whether Wagtail's user bar shows (the `access_admin` permission) and the bell's unread
count: five queries on every signed-in page (`make bench`). Each entry is dropped by the write
that changes it, now and again after commit: a request between the change and the commit would
otherwise store the old value again.
Changes that may touch many users at once (a group renamed or deleted, a group's permissions, a
group's members edited from the group's side) drop the token every user's roles are kept under.
"""

from django.conf import settings
from django.core.cache import cache

from portal.cache import drop_now_and_after_commit, kept, peek

# A bound on staleness should a write ever bypass the invalidation below (e.g. raw SQL).
SECONDS = 300
EVERYONE_ROLES_KEY = "user-roles:everyone"


def _roles_key(user_id: int) -> str:
    return f"user-roles:{user_id}"


def roles(user) -> dict:
    """{"groups": frozenset of group names, "admin": holds access_admin through a group or itself}.

    `admin` ignores is_active and is_superuser: read from the user row on every request, they are
    combined by User.can_access_admin, so a changed flag needs no invalidation here."""
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    def read():
        return {
            "groups": frozenset(user.groups.values_list("name", flat=True)),
            "admin": Permission.objects.filter(
                Q(group__user=user) | Q(user=user),
                content_type__app_label="wagtailadmin", codename="access_admin",
            ).exists(),
        }

    return kept(_roles_key(user.pk), [EVERYONE_ROLES_KEY], read, SECONDS)


def roles_changed(sender, instance, action=None, **kwargs) -> None:
    """Receiver for group membership, permission and group changes (connected in PortalConfig). The
    user model is told by its label, as Django refers to it (portal.models imports this module)."""
    if action is not None and not action.startswith("post_"):
        return
    drop_now_and_after_commit(
        _roles_key(instance.pk) if instance._meta.label == settings.AUTH_USER_MODEL else EVERYONE_ROLES_KEY)


def _unread_key(user_id: int) -> str:
    return f"unread-notifications:{user_id}"


def unread_count(user, count) -> int:
    """The cached unread count; `count()` queries it on a miss."""
    return cache.get_or_set(_unread_key(user.pk), count, SECONDS)


def unread_changed(user_id: int) -> None:
    drop_now_and_after_commit(_unread_key(user_id))


def _row_key(user_id) -> str:
    return f"user-row:{user_id}"


def user_row(user_id, read):
    """The user's model instance, with their roles when current (fetched in the same round trip:
    every signed-in page asks for them); `read()` fetches the user on a miss (None: no such user,
    not kept)."""
    key = _row_key(user_id)
    found = cache.get_many([key, _roles_key(user_id), EVERYONE_ROLES_KEY])
    user = found.get(key)
    if user is None:
        user = read()
        if user is None:
            return None
        cache.set(key, user, SECONDS)
    current = peek(found, _roles_key(user_id), [EVERYONE_ROLES_KEY])
    if current is not None:
        user.__dict__["_roles"] = current  # User._roles, a cached_property, asks no more
    return user


def user_changed(sender, instance, **kwargs) -> None:
    """Receiver for a user saved or deleted (connected in PortalConfig): any field may have changed
    (password, is_active, name, home store), so the whole row is read again."""
    drop_now_and_after_commit(_row_key(instance.pk))
