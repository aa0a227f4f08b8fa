"""The authentication backends, with the signed-in user's row kept in the cache between requests.

Every signed-in request and WebSocket read the user's whole row by primary key: a query and a
model built from it, most of what a signed-in request costs before its view runs (`make bench`).
The row is dropped whenever a user is saved or deleted (portal.caching.users); is_active
and the session hash are still checked against it on every request."""

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends as django_backends

from portal.caching import users

ADMIN_ACCESS = "wagtailadmin.access_admin"


class CachedUserMixin:
    def get_user(self, user_id):
        user = users.user_row(user_id, lambda: super(CachedUserMixin, self).get_user(user_id))
        return user if user is not None and self.user_can_authenticate(user) else None

    def has_perm(self, user_obj, perm, obj=None):
        # Wagtail's user bar asks on every page it is on (each ticket a store's staff scan at the
        # door), its admin on every request: the kept roles answer (User.can_access_admin, the
        # same rule), where the backend made two queries on the permission tables.
        if perm == ADMIN_ACCESS and obj is None and user_obj.is_authenticated:
            return user_obj.can_access_admin
        return super().has_perm(user_obj, perm, obj)


class ModelBackend(CachedUserMixin, django_backends.ModelBackend):
    pass


class AuthenticationBackend(CachedUserMixin, allauth_backends.AuthenticationBackend):
    """allauth's: signs in by e-mail (its login form and login codes)."""
