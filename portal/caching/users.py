"""What every signed-in page asks about its visitor, kept in the cache between requests.

The authentication backends read the user's row, the header and the role checks the user's group
names, whether Wagtail's user bar shows (the `access_admin` permission) and the bell's unread
count: five queries on every signed-in page (`make bench`). Each entry is dropped by the writes
declared in connect(), now and again after commit: a request between the change and the commit
would otherwise store the old value again.
Changes that may touch many users at once (a group renamed or deleted, a group's permissions, a
group's members edited from the group's side) drop the token every user's roles are kept under.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache

from portal.caching.keys import Key, kept, peek

# A bound on staleness should a write ever bypass the declarations (e.g. raw SQL).
SECONDS = 300
ROLES = Key("user-roles")  # per user: a token
EVERYONE_ROLES = Key("user-roles:everyone")  # a token
EVERYONE_ROLES_KEY = EVERYONE_ROLES()
UNREAD = Key("unread-notifications")  # per user: the count
ROW = Key("user-row")  # per user: the model instance


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

    return kept(ROLES(user.pk), [EVERYONE_ROLES_KEY], read, SECONDS)


def unread_count(user, count) -> int:
    """The cached unread count; `count()` queries it on a miss. user_row read it ahead with the row
    (a round trip less on every signed-in page); that copy is used unless a notification was
    written in this process since (this request's own, say), which dropped the count."""
    ahead = getattr(user, "_unread_ahead", None)  # request.user is a lazy object: no __dict__
    user._unread_ahead = None  # used once
    if ahead is not None and ahead[0] == UNREAD.drops:
        return ahead[1]
    return cache.get_or_set(UNREAD(user.pk), count, SECONDS)


def user_row(user_id, read):
    """The user's model instance, with their roles when current and the bell's count (fetched in
    the same round trip: every signed-in page asks for them); `read()` fetches the user on a miss
    (None: no such user, not kept)."""
    key = ROW(user_id)
    drops = UNREAD.drops  # before the read: a drop during it makes the count read again
    found = cache.get_many([key, ROLES(user_id), EVERYONE_ROLES_KEY, UNREAD(user_id)])
    user = found.get(key)
    if user is None:
        user = read()
        if user is None:
            return None
        cache.set(key, user, SECONDS)
    current = peek(found, ROLES(user_id), [EVERYONE_ROLES_KEY])
    if current is not None:
        user.__dict__["_roles"] = current  # User._roles, a cached_property, asks no more
    unread = found.get(UNREAD(user_id))
    if unread is not None:
        user._unread_ahead = (drops, unread)  # for unread_count
    return user


def _users_side(instance, action, **kwargs):
    """An m2m change made from a user's side changes that user's roles."""
    return (instance.pk,) if action.startswith("post_") and _is_user(instance) else None


def _groups_side(instance, action, **kwargs):
    """One made from a group's or a permission's side may change anyone's."""
    return () if action.startswith("post_") and not _is_user(instance) else None


def _is_user(instance) -> bool:
    return isinstance(instance, get_user_model())


def connect() -> None:
    """The writes that drop what is kept here (called from PortalConfig.ready)."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete, post_save

    # From the app registry: portal.models reads roles from here, so this module cannot import it.
    User, Notification = get_user_model(), apps.get_model("portal", "Notification")

    # Any field may have changed (password, is_active, name, home store): the whole row is read again.
    ROW.depends_on(User, "pk")
    UNREAD.depends_on(Notification, "user_id")
    for through in (User.groups.through, User.user_permissions.through,
                    Group.permissions.through):
        ROLES.drops_on(m2m_changed, _users_side, sender=through)
        EVERYONE_ROLES.drops_on(m2m_changed, _groups_side, sender=through)
    for model in (Group, Permission):  # saving a permission changes no one's
        EVERYONE_ROLES.drops_on(post_delete, sender=model)
    EVERYONE_ROLES.drops_on(post_save, sender=Group)
