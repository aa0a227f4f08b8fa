"""What the forum views share: the text of each error code, the held-post notice, the forum a reader may
read, and sending a reader who must sign in to the sign-in page."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy, ngettext

from community import permissions, selectors
from community.errors import ForumError

ERROR_TEXT = {
    "forbidden": gettext_lazy("You can't do that here."),
    "suspended": gettext_lazy("Your account is suspended: you can read, but not post."),
    "locked": gettext_lazy("This topic is locked: it takes no new replies."),
    "edit_window_over": gettext_lazy("Posts can be edited for 30 minutes after posting."),
    "bad_reaction": gettext_lazy("Unknown reaction."),
    "bad_suspension": gettext_lazy("Choose at least one day, for someone else."),
    "no_reason": gettext_lazy("Tell the member why: the reason is shown to them."),
    "not_your_visit": gettext_lazy("Only the member who was served can review this visit."),
    "already_reviewed": gettext_lazy("You have already reviewed this visit."),
    "bad_score": gettext_lazy("Scores go from 1 to 5."),
    "empty": gettext_lazy("Write a few words about the service."),
    "not_store_practitioner": gettext_lazy("Choose a practitioner who works at this store."),
    "already_answered": gettext_lazy("This review already has an answer."),
}
HOLD_TEXT = gettext_lazy(
    "Thanks! As a new member your post waits for a moderator before it appears. "
    "It is saved; you don't need to post it again."
)


def _error_text(exc: ForumError) -> str:
    if exc.code == "too_fast":
        return ngettext("You are posting too fast. Please wait %(seconds)s second and try again.",
                        "You are posting too fast. Please wait %(seconds)s seconds and try again.",
                        exc.wait) % {"seconds": exc.wait}
    return str(ERROR_TEXT.get(exc.code, ERROR_TEXT["forbidden"]))


def _readable_forum(request, slug):
    forum = selectors.get_forum(slug)
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
