"""Thin views of one post: its permalink, history, edit, delete, reactions and reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community import permissions, selectors, services
from community.errors import ForumError
from community.forms import (
    EditForm,
    ReportForm,
)
from community.models import Post
from portal.errors import error_message


def _post_for(request, post_id) -> Post:
    post = get_object_or_404(Post.objects.select_related("topic__forum", "author"), pk=post_id)
    forum = post.topic.forum
    if not permissions.can_read_forum(request.user, forum):
        raise PermissionDenied
    moderator = permissions.is_moderator(request.user)
    if not permissions.can_see_topic(request.user, post.topic):
        raise Http404
    if post.status == Post.Status.HIDDEN and not moderator:
        raise Http404
    if post.status == Post.Status.HELD and not (moderator or post.author_id == request.user.pk):
        raise Http404
    return post


def post(request, post_id):
    """The stable permalink: finds the page the post is on today."""
    post = _post_for(request, post_id)
    number = selectors.post_page_number(post=post, user=request.user)
    return redirect(f"{post.topic.get_absolute_url()}?page={number}#post-{post.pk}")


@login_required
def post_history(request, post_id):
    """Earlier versions of an edited post, for its author and moderators: readers see the
    "edited" marker, but text the author took back (a phone number, a name) stays out of view."""
    post = _post_for(request, post_id)
    if not (post.author_id == request.user.pk or permissions.is_moderator(request.user)):
        raise PermissionDenied
    return render(request, "community/post_history.html", {
        "post": post, "revisions": selectors.list_post_revisions(post)})


@login_required
def post_edit(request, post_id):
    post = _post_for(request, post_id)
    # Only the author edits (services.edit_post); others get no form holding someone else's text.
    if post.author_id != request.user.pk:
        raise PermissionDenied
    form = EditForm(request.POST or None, initial={"body": post.source})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_post(editor=request.user, post=post, body=form.cleaned_data["body"])
        except ForumError as exc:
            form.add_error(None, error_message(exc))
        else:
            messages.success(request, _("Your post is updated."))
            return redirect(post)
    return render(request, "community/post_edit.html", {"post": post, "form": form})


@login_required
@require_POST
def post_delete(request, post_id):
    post = _post_for(request, post_id)
    try:
        services.delete_post(user=request.user, post=post)
    except ForumError as exc:
        raise PermissionDenied from exc
    messages.success(request, _("The post is deleted."))
    return redirect(post)


@login_required
@require_POST
def post_react(request, post_id, kind):
    post = _post_for(request, post_id)
    try:
        services.toggle_reaction(user=request.user, post=post, kind=kind)
    except ForumError as exc:
        messages.error(request, error_message(exc))
    return redirect(post)


@login_required
def post_report(request, post_id):
    post = _post_for(request, post_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_post(reporter=request.user, post=post, **form.cleaned_data)
        messages.success(request, _("Thank you. A moderator will look at this post."))
        return redirect(post)
    return render(request, "community/post_report.html", {"post": post, "form": form})
