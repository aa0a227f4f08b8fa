"""What the forum views share: the held-post notice, the forum a reader may
read, and sending a reader who must sign in to the sign-in page."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy

from community import permissions, selectors

HOLD_TEXT = gettext_lazy(
    "Thanks! As a new member your post waits for a moderator before it appears. "
    "It is saved; you don't need to post it again."
)


def _readable_forum(request, slug, found=None):
    forum = selectors.get_forum(slug, found)
    if not permissions.can_read_forum(request.user, forum):
        if not request.user.is_authenticated:
            raise _LoginNeeded
        raise PermissionDenied
    return forum


class _LoginNeeded(Exception):
    pass


def _forum_view(view):
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _LoginNeeded:
            return redirect_to_login(request.get_full_path())
    wrapper.__name__ = view.__name__
    return wrapper
