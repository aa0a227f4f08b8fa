"""The moderators' views: the queue, and actions on posts, topics and members."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from community import permissions, selectors, services
from community.chat import selectors as chat_selectors
from community.errors import ForumError
from community.forms import (
    MoveForm,
    SuspendForm,
)
from community.models import Post, Topic
from community.views.common import _forum_view, _LoginNeeded
from portal.errors import error_message
from portal.models import User
from portal.redirects import next_url


def _moderator_only(request):
    if not request.user.is_authenticated:
        raise _LoginNeeded
    if not permissions.is_moderator(request.user):
        raise PermissionDenied


@_forum_view
def moderation(request):
    _moderator_only(request)
    chat_reports, chat_reports_more = chat_selectors.list_reported_messages()
    return render(request, "community/moderation.html", {
        **selectors.moderation_queue(), "chat_reports": chat_reports, "chat_reports_more": chat_reports_more,
        "suspend_form": SuspendForm()})


POST_ACTIONS = {
    "hide": services.hide_post,
    "restore": services.restore_post,
    "approve": services.approve_post,
    "dismiss": services.dismiss_reports,
}
POST_ACTION_DONE = {
    "hide": gettext_lazy("The post is hidden."),
    "restore": gettext_lazy("The post is restored."),
    "approve": gettext_lazy("The post is approved and published."),
    "dismiss": gettext_lazy("The reports are dismissed."),
}
TOPIC_ACTION_DONE = {
    "lock": gettext_lazy("The topic is locked."),
    "unlock": gettext_lazy("The topic is open for replies again."),
    "pin": gettext_lazy("The topic is pinned."),
    "unpin": gettext_lazy("The topic is no longer pinned."),
    "move": gettext_lazy("The topic is moved."),
}


@_forum_view
@require_POST
def moderate_post(request, post_id, action):
    _moderator_only(request)
    post = get_object_or_404(Post.objects.select_related("topic__forum"), pk=post_id)
    if action not in POST_ACTIONS:
        raise Http404
    POST_ACTIONS[action](moderator=request.user, post=post)
    messages.success(request, POST_ACTION_DONE[action])
    return redirect(next_url(request, reverse("community:moderation")))


@_forum_view
@require_POST
def moderate_topic(request, topic_id, action):
    _moderator_only(request)
    topic = get_object_or_404(Topic.objects.select_related("forum"), pk=topic_id)
    if action in ("lock", "unlock"):
        services.set_topic_locked(moderator=request.user, topic=topic, locked=action == "lock")
    elif action in ("pin", "unpin"):
        services.set_topic_pinned(moderator=request.user, topic=topic, pinned=action == "pin")
    elif action == "move":
        form = MoveForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a category to move the topic to."))
            return redirect(topic)
        topic = services.move_topic(moderator=request.user, topic=topic,
                                    category=form.cleaned_data["category"])
    else:
        raise Http404
    messages.success(request, TOPIC_ACTION_DONE[action])
    topic.refresh_from_db()
    return redirect(topic)


@_forum_view
@require_POST
def moderate_user(request, user_id):
    _moderator_only(request)
    target = get_object_or_404(User, pk=user_id)
    form = SuspendForm(request.POST)
    if form.is_valid():
        try:
            services.suspend_user(moderator=request.user, user=target, **form.cleaned_data)
        except ForumError as exc:
            messages.error(request, error_message(exc))
        else:
            messages.success(request, _("%(name)s is suspended.") % {"name": target.name})
    else:
        messages.error(request, _("Choose between 1 and 365 days and give the member a reason."))
    return redirect(next_url(request, reverse("community:moderation")))
