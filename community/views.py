"""Thin views: parse input, call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community import permissions, selectors, services
from community.errors import ForumError, ReviewError
from community.forms import (
    AnswerForm,
    EditForm,
    MoveForm,
    ReplyForm,
    ReportForm,
    ReviewForm,
    SuspendForm,
    TopicForm,
    VisitForm,
)
from community.models import Category, Post, Topic
from content.selectors import staffed_store_ids
from portal.caching import Key, digest
from portal.ids import parse_id
from portal.models import User
from portal.redirects import next_url

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


def index(request):
    return render(request, "community/index.html", {"forums": selectors.list_forums(request.user)})


def member(request, user_id):
    """A member's public profile, where an @mention in a post leads."""
    return render(request, "community/member.html",
                  selectors.get_member_profile(user_id=user_id, viewer=request.user))


@_forum_view
def forum(request, forum):
    forum = _readable_forum(request, forum)
    categories = selectors.list_categories(forum)
    category_id = parse_id(request.GET.get("category"))
    category = next((c for c in categories if c.pk == category_id), None)
    page, rows, rows_key = selectors.topic_list_page(
        forum=forum, user=request.user, category=category, page_number=request.GET.get("page"))
    return render(request, "community/forum.html", {
        "forum": forum,
        "categories": categories,
        "category": category,
        "page": page,
        "rows": rows,
        "rows_key": rows_key,
        "query_string": f"category={category.pk}" if category else "",
        "can_post": permissions.can_post_in_forum(request.user, forum),
        "watching_category": category is not None
        and selectors.is_watching_category(user=request.user, category=category),
    })


@_forum_view
def new_topic(request, forum):
    forum = _readable_forum(request, forum)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_post_in_forum(request.user, forum):
        raise PermissionDenied
    form = TopicForm(request.POST or None, request.FILES or None, forum=forum, user=request.user,
                     initial={"category": request.GET.get("category")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            topic = services.create_topic(
                author=request.user, category=data["category"], title=data["title"],
                body=data["body"], store=data["store"], image=data["image"],
                practitioner=data["practitioner"], event=data.get("event"), token=data["token"],
            )
        except ForumError as exc:
            form.add_error(None, _error_text(exc))
        else:
            held = topic.posts.filter(status=Post.Status.HELD).exists()
            if held:
                messages.warning(request, HOLD_TEXT)
            else:
                messages.success(request, _("Your topic is posted."))
            return redirect(topic)
    return render(request, "community/topic_form.html", {"forum": forum, "form": form})


POST_CARD = "community/includes/post_card.html"
POST_CARDS_SECONDS = 600
# Keyed by what the card renders: nothing needs to drop it, a change makes a new key.
POST_CARDS = Key("post-card")


def _post_cards(request, posts, *, last_read, can_post: bool, is_moderator: bool) -> None:
    """Set each post's `card`: the post as this reader sees it (head, text, photos, counts and the
    buttons they may press). Rendering them was most of a topic page's time (`make bench`); each is
    kept under a digest of the context it is rendered from (portal.caching.digest: every field of
    the post and its author and photos, and what the view set on it), so an edit, a reaction, a
    moderation, a new photo, a renamed author or a field the card starts to show is never stale,
    readers in the same position (most members, most visitors) share a copy, and a page's cards are
    fetched in one round trip."""
    user = request.user
    # Moderators' buttons bring them back to this page; no one else's card holds the address.
    back = request.get_full_path() if is_moderator else ""
    # A suspended reader may still report, but reacts to and messages no one (the page says why).
    may_act = user.is_authenticated and not user.is_suspended
    context = {"signed_in": user.is_authenticated, "may_act": may_act, "can_post": can_post,
               "is_moderator": is_moderator, "next": back}
    reader = (get_language(), timezone.get_current_timezone_name())
    keys = {}
    for post in posts:
        mine = post.author_id == user.pk
        post.history = is_moderator or mine
        post.is_new = last_read is not None and post.pk > last_read
        post.editable = mine and permissions.in_edit_window(post)
        post.deletable = permissions.can_delete_post(user, post)
        # A direct message is started from a person, never from a typed address.
        post.messageable = may_act and not mine and post.author.is_active
        keys[post] = POST_CARDS(digest(POST_CARD, reader, {"post": post, **context}))
    stored = cache.get_many(list(keys.values()))
    rendered = {}
    for post, key in keys.items():
        if key not in stored:
            rendered[key] = render_to_string(POST_CARD, {"post": post, **context})
        # Our template's output, cached or fresh: the post's text in it is the stored clean HTML.
        post.card = mark_safe(stored.get(key) or rendered[key])  # noqa: S308  # nosec
    cache.set_many(rendered, POST_CARDS_SECONDS)


def _readable_topic(request, forum_slug, topic_id) -> Topic:
    """The topic, once the reader may read its forum: a forum the reader may not read answers as it
    does at any of its addresses (sign in, or 403) whether or not the topic exists, so ids are not
    probed."""
    forum = _readable_forum(request, forum_slug)
    topic = selectors.find_topic(forum=forum, topic_id=topic_id, user=request.user)
    if topic is None:
        raise Http404
    return topic


@_forum_view
def topic(request, forum, topic_id, slug):
    topic = _readable_topic(request, forum, topic_id)
    forum = topic.forum
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not permissions.can_post_in_forum(request.user, forum):
            raise PermissionDenied
        if form.is_valid():
            try:
                post = services.create_reply(author=request.user, topic=topic,
                                             body=form.cleaned_data["body"],
                                             image=form.cleaned_data["image"],
                                             token=form.cleaned_data["token"])
            except ForumError as exc:
                form.add_error(None, _error_text(exc))
            else:
                if post.status == Post.Status.HELD:
                    messages.warning(request, HOLD_TEXT)
                return redirect(post)
    elif quote_id := parse_id(request.GET.get("quote")):
        quoted = Post.objects.filter(
            pk=quote_id, topic=topic, status=Post.Status.PUBLISHED,
            deleted_at__isnull=True,
        ).select_related("author").first()
        if quoted:
            lines = "\n".join(f"> {line}" for line in quoted.source.splitlines())
            form = ReplyForm(initial={"body": f"> **@{quoted.author.name}**\n{lines}\n\n"})
    state = selectors.topic_page(topic=topic, user=request.user, page_number=request.GET.get("page"))
    posts = state["page"].object_list
    is_moderator = permissions.is_moderator(request.user)
    can_post = permissions.can_reply(request.user, topic)
    _post_cards(request, posts, last_read=state["last_read"], can_post=can_post,
                is_moderator=is_moderator)
    # The read mark only moves forward: a page already read writes nothing (two queries less).
    if posts and request.method == "GET" and (state["last_read"] or 0) < posts[-1].pk:
        services.mark_read(user=request.user, topic=topic, up_to_post_id=posts[-1].pk)
    return render(request, "community/topic.html", {
        "forum": forum,
        "topic": topic,
        "posts": posts,
        "form": form,
        "can_post": can_post,
        "is_moderator": is_moderator,
        "move_form": MoveForm() if is_moderator else None,
        **state,
    }, status=400 if request.method == "POST" else 200)


@_forum_view
def topic_unread(request, forum, topic_id, slug):
    topic = _readable_topic(request, forum, topic_id)
    if not request.user.is_authenticated:
        return redirect(topic)
    post = selectors.first_unread_post(topic=topic, user=request.user)
    return redirect(post or topic)


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
            form.add_error(None, _error_text(exc))
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
        messages.error(request, _error_text(exc))
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


@login_required
@require_POST
def topic_watch(request, topic_id):
    topic = get_object_or_404(Topic.objects.select_related("forum"), pk=topic_id)
    if not permissions.can_read_forum(request.user, topic.forum):
        raise PermissionDenied
    if not permissions.can_see_topic(request.user, topic):
        raise Http404
    services.set_watch(user=request.user, topic=topic, watching=request.POST.get("watch") == "1")
    return redirect(topic)


@login_required
@require_POST
def category_watch(request, category_id):
    category = get_object_or_404(Category.objects.select_related("forum"), pk=category_id)
    if not permissions.can_read_forum(request.user, category.forum):
        raise PermissionDenied
    services.set_watch(user=request.user, category=category,
                       watching=request.POST.get("watch") == "1")
    return redirect(f"{category.forum.get_absolute_url()}?category={category.pk}")


def _moderator_only(request):
    if not request.user.is_authenticated:
        raise _LoginNeeded
    if not permissions.is_moderator(request.user):
        raise PermissionDenied


@_forum_view
def moderation(request):
    _moderator_only(request)
    return render(request, "community/moderation.html", {
        **selectors.moderation_queue(), "suspend_form": SuspendForm()})


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
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("%(name)s is suspended.") % {"name": target.name})
    else:
        messages.error(request, _("Choose between 1 and 365 days and give the member a reason."))
    return redirect(next_url(request, reverse("community:moderation")))


@login_required
def reviews(request):
    return render(request, "community/reviews.html", {
        "visits": selectors.list_reviewable_visits(request.user)})


@login_required
def review_visit(request, visit_id):
    visit = selectors.get_user_visit(member=request.user, visit_id=visit_id)
    form = ReviewForm(request.POST or None, visit=visit)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_service_review(member=request.user, visit=visit, **form.cleaned_data)
        except ReviewError as exc:
            form.add_error(None, str(ERROR_TEXT.get(exc.code, ERROR_TEXT["forbidden"])))
        else:
            messages.success(request, _("Thank you for your review."))
            return redirect("community:reviews")
    return render(request, "community/review_form.html", {"visit": visit, "form": form})


@login_required
def record_visit(request):
    user = request.user
    if not (user.is_superuser or user.is_staff or staffed_store_ids(user)):
        raise PermissionDenied
    form = VisitForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_service_visit(staff=request.user, **form.cleaned_data)
        except ReviewError as exc:
            form.add_error(None, str(ERROR_TEXT.get(exc.code, ERROR_TEXT["forbidden"])))
        else:
            messages.success(request, _("Visit recorded: the member can now review it."))
            return redirect("community:record_visit")
    return render(request, "community/visit_form.html", {"form": form})


@login_required
def review_answer(request, review_id):
    review = selectors.get_review(review_id)
    if not services.can_answer_review(request.user, review):
        raise PermissionDenied
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_review(author=request.user, review=review,
                                   text=form.cleaned_data["text"])
        except ReviewError as exc:
            form.add_error(None, str(ERROR_TEXT.get(exc.code, ERROR_TEXT["forbidden"])))
        else:
            messages.success(request, _("Your answer is published."))
            return redirect(review.practitioner.url if review.practitioner else
                            review.visit.store.url)
    return render(request, "community/review_answer.html", {"review": review, "form": form})
