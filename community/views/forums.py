"""Thin views of the forums: a forum's topics, a topic's posts (each post's card kept), new topics and
replies, watching, a member's profile."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community import permissions, selectors, services
from community.errors import ForumError
from community.forms import (
    MoveForm,
    ReplyForm,
    TopicForm,
)
from community.models import Category, Post, Topic
from community.views.common import HOLD_TEXT, _forum_view, _LoginNeeded, _readable_forum
from portal.caching import Key, digest
from portal.errors import error_message
from portal.ids import parse_id
from portal.redirects import next_url
from portal.templatetags.blank_forms import blank_form_key


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
            form.add_error(None, error_message(exc))
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


def _post_cards(request, posts, *, last_read, can_post: bool, is_moderator: bool,
                back: str = "") -> None:
    """Set each post's `card`: the post as this reader sees it (head, text, photos, counts and the
    buttons they may press). Rendering them was most of a topic page's time (`make bench`); each is
    kept under a digest of the context it is rendered from (portal.caching.digest: every field of
    the post and its author and photos, and what the view set on it), so an edit, a reaction, a
    moderation, a new photo, a renamed author or a field the card starts to show is never stale,
    readers in the same position (most members, most visitors) share a copy, and a page's cards are
    fetched in one round trip."""
    user = request.user
    # Moderators' buttons bring them back to this page (or to `back`, the page a card fetched on its
    # own is shown on); no one else's card holds the address.
    back = (back or request.get_full_path()) if is_moderator else ""
    # A suspended reader may still report, but reacts to and messages no one (the page says why).
    may_act = user.is_authenticated and not user.is_suspended
    context = {"signed_in": user.is_authenticated, "may_act": may_act, "can_post": can_post,
               "is_moderator": is_moderator, "next": back}
    # The template, the reader's language and zone and the page's context, described once.
    shared = digest(POST_CARD, (get_language(), timezone.get_current_timezone_name()), context)
    keys = {}
    for post in posts:
        mine = post.author_id == user.pk
        post.history = is_moderator or mine
        post.is_new = last_read is not None and post.pk > last_read
        post.editable = mine and permissions.in_edit_window(post)
        post.deletable = permissions.can_delete_post(user, post)
        # A direct message is started from a person, never from a typed address.
        post.messageable = may_act and not mine and post.author.is_active
        keys[post] = POST_CARDS(digest(shared, post))
    stored = cache.get_many(list(keys.values()))
    rendered = {}
    for post, key in keys.items():
        if key not in stored:
            rendered[key] = render_to_string(POST_CARD, {"post": post, **context})
        # Our template's output, cached or fresh: the post's text in it is the stored clean HTML.
        post.card = mark_safe(stored.get(key) or rendered[key])  # noqa: S308  # nosec
    cache.set_many(rendered, POST_CARDS_SECONDS)


def _readable_topic(request, forum_slug, topic_id, found=None) -> Topic:
    """The topic, once the reader may read its forum: a forum the reader may not read answers as it
    does at any of its addresses (sign in, or 403) whether or not the topic exists, so ids are not
    probed. `found`: a get_many of the forums' and the topic's keys (topic_page_keys)."""
    forum = _readable_forum(request, forum_slug, found)
    topic = selectors.find_topic(forum=forum, topic_id=topic_id, user=request.user, found=found)
    if topic is None:
        raise Http404
    return topic


@_forum_view
def topic(request, forum, topic_id, slug):
    # What the page keeps in the cache (forums, topic, reader's marks, the page of posts, the blank
    # reply form) in one round trip: one each was most of the page's Redis time (bench/cost.py).
    page_number = request.GET.get("page")
    found = cache.get_many([
        selectors.FORUMS_KEY, blank_form_key(ReplyForm),
        *selectors.topic_page_keys(topic_id=topic_id, user=request.user, page_number=page_number)])
    topic = _readable_topic(request, forum, topic_id, found)
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
                form.add_error(None, error_message(exc))
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
    state = selectors.topic_page(topic=topic, user=request.user, page_number=page_number,
                                 found=found)
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
        "found": found,
        **state,
    }, status=400 if request.method == "POST" else 200)


def post_card(request, post_id):
    """One post's card as this reader sees it on its topic page, from the same template and the same
    kept copies: a topic page open in the browser shows it when the topic's socket announces the
    post (static/js/community.js), so a live post and a reloaded one are drawn alike."""
    found = Post.objects.filter(pk=post_id).values_list("topic_id", "topic__forum__slug").first()
    if found is None:
        raise Http404
    try:
        topic = _readable_topic(request, found[1], found[0])
    except _LoginNeeded:
        raise PermissionDenied from None  # a fragment for a page's script: no login redirect
    post = selectors.get_topic_post(topic=topic, user=request.user, post_id=post_id)
    if post is None:
        raise Http404
    is_moderator = permissions.is_moderator(request.user)
    _post_cards(request, [post], last_read=topic.last_read,
                can_post=permissions.can_reply(request.user, topic), is_moderator=is_moderator,
                back=next_url(request, topic.get_absolute_url()))
    return HttpResponse(post.card)


@_forum_view
def topic_unread(request, forum, topic_id, slug):
    topic = _readable_topic(request, forum, topic_id)
    if not request.user.is_authenticated:
        return redirect(topic)
    post = selectors.first_unread_post(topic=topic, user=request.user)
    return redirect(post or topic)


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
