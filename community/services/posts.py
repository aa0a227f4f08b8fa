"""Writing in the forums: topics and replies (pace, new members' limits, held posts, mentions), edits,
reactions, watching, reading and reports."""

import time
from datetime import timedelta

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_noop

from community import permissions
from community.errors import ForumCode, ForumError
from community.models import (
    Category,
    Post,
    PostImage,
    PostRevision,
    Reaction,
    Report,
    ServiceVisit,
    Topic,
    TopicRead,
    Watch,
)
from community.selectors import list_mentioned_users, mention_links
from portal.models import User
from portal.notifications import Text
from portal.sanitize import render_markdown
from portal.services import notify

PACE_SECONDS = 15
NEW_MEMBER_AGE = timedelta(days=1)
NEW_MEMBER_POSTS = 3
NEW_MEMBER_TOPICS_A_DAY = 3
NEW_MEMBER_REPLIES_A_DAY = 10
NEW_MEMBER_LINKS = 2


def sanitise_post_body(source: str) -> str:
    """Markdown to the stored clean HTML, through the portal's one sanitiser; an @mention links
    to the member's profile."""
    return render_markdown(source, mentions=mention_links(source))


def topic_group(topic_id: int) -> str:
    return f"topic.{topic_id}"


def _pace(user: User) -> None:
    """One post per PACE_SECONDS per user, shared by every process through the cache."""
    if permissions.is_moderator(user):
        return
    key = f"community:pace:{user.pk}"
    now = time.time()
    if not cache.add(key, now, PACE_SECONDS):
        started = cache.get(key) or now
        raise ForumError(ForumCode.TOO_FAST, wait=max(1, int(PACE_SECONDS - (now - started)) + 1))


def _is_new_member(user: User) -> bool:
    if user.date_joined > timezone.now() - NEW_MEMBER_AGE:
        return True
    approved = Post.objects.filter(
        author=user, status=Post.Status.PUBLISHED, deleted_at__isnull=True
    ).count()
    return approved < NEW_MEMBER_POSTS


def _hold_reason(user: User, html: str, *, is_topic: bool) -> str:
    """Why a new member's post waits for a moderator, or "" when it can go live."""
    if permissions.is_moderator(user) or not _is_new_member(user):
        return ""
    if html.count("<a ") > NEW_MEMBER_LINKS:
        return "links"
    since = timezone.now() - timedelta(days=1)
    topics = Topic.objects.filter(author=user, created_at__gte=since).count()
    if is_topic:
        return "topics_a_day" if topics >= NEW_MEMBER_TOPICS_A_DAY else ""
    # Each topic opens with one post by its author; the rest of the day's posts are replies.
    replies = Post.objects.filter(author=user, created_at__gte=since).count() - topics
    return "replies_a_day" if replies >= NEW_MEMBER_REPLIES_A_DAY else ""


def _check_can_post(user: User, forum) -> None:
    if not user.is_authenticated:
        raise ForumError(ForumCode.FORBIDDEN)
    if user.is_suspended:
        raise ForumError(ForumCode.SUSPENDED)
    if not permissions.can_post_in_forum(user, forum):
        raise ForumError(ForumCode.FORBIDDEN)


def _earlier_submission(author: User, token: str) -> Post | None:
    """The post this form already made, when it is sent again. Locking the author's row orders two
    sendings of one form, so the second finds the first's post rather than breaking the constraint."""
    if not token:
        return None
    list(User.objects.select_for_update().filter(pk=author.pk).values_list("pk", flat=True))
    return Post.objects.filter(author=author, client_token=token).select_related("topic").first()


def _add_post(*, topic: Topic, author: User, body: str, image, is_topic: bool, token: str) -> Post:
    html = sanitise_post_body(body)
    reason = _hold_reason(author, html, is_topic=is_topic)
    post = Post.objects.create(
        topic=topic,
        author=author,
        source=body,
        html=html,
        status=Post.Status.HELD if reason else Post.Status.PUBLISHED,
        hold_reason=reason,
        client_token=token,
    )
    if image is not None:
        PostImage.objects.create(post=post, image=image)
    Watch.objects.get_or_create(user=author, topic=topic)
    if post.status == Post.Status.PUBLISHED:
        announce_post(post, is_topic=is_topic)
    return post


def _mentioned_users(post: Post) -> list[User]:
    users = list_mentioned_users(post.source, author_id=post.author_id)
    return [u for u in users if permissions.can_see_topic(u, post.topic)]


def announce_post(post: Post, *, is_topic: bool) -> None:
    """A post went live: bump the topic, tell mentioned users and watchers, push to readers."""
    topic = post.topic
    topic.last_post_at = post.created_at
    topic.save(update_fields=["last_post_at"])
    url = post.get_absolute_url()
    told = {post.author_id}
    for user in _mentioned_users(post):
        message = Text(gettext_noop("%(name)s mentioned you in “%(title)s”"), name=post.author.name,
                       title=topic.title)
        notify(user, "forum_mention", message, url)
        told.add(user.pk)
    if is_topic:
        watchers = Watch.objects.filter(category_id=topic.category_id)
        kind = "forum_topic"
        template = gettext_noop("%(name)s started “%(title)s”")
    else:
        watchers = Watch.objects.filter(topic=topic)
        kind = "forum_reply"
        template = gettext_noop("%(name)s replied in “%(title)s”")
    for watch in watchers.exclude(user_id__in=told).select_related("user"):
        if not permissions.can_see_topic(watch.user, topic):
            continue
        notify(watch.user, kind, Text(template, name=post.author.name, title=topic.title), url)
    payload = {
        "id": post.pk,
        "author": post.author.name,
        "html": post.html,
        "url": url,
        "created": post.created_at.isoformat(),
    }
    layer = get_channel_layer()
    transaction.on_commit(lambda: async_to_sync(layer.group_send)(
        topic_group(topic.pk), {"type": "topic.post", "payload": payload}))


@transaction.atomic
def create_topic(*, author: User, category: Category, title: str, body: str, store=None,
                 image=None, practitioner=None, event=None, token: str = "") -> Topic:
    """Open a topic with its first post; new members may be held, everyone is paced. A show-off
    may link the store, the practitioner and an event the author attended. The same form sent
    again (same token) returns the topic it opened."""
    forum = category.forum
    _check_can_post(author, forum)
    if event is not None and not ServiceVisit.objects.filter(member=author,
                                                            event_id=event.pk).exists():
        raise ForumError(ForumCode.FORBIDDEN)
    earlier = _earlier_submission(author, token)
    if earlier is not None:
        return earlier.topic
    _pace(author)
    topic = Topic.objects.create(
        forum=forum,
        category=category,
        author=author,
        title=title.strip(),
        slug=slugify(title, allow_unicode=True)[:80],
        store=store,
        practitioner=practitioner,
        event=event,
    )
    post = _add_post(topic=topic, author=author, body=body, image=image, is_topic=True,
                     token=token)
    if post.status == Post.Status.HELD:
        topic.held = True
        topic.save(update_fields=["held"])
    return topic


@transaction.atomic
def create_reply(*, author: User, topic: Topic, body: str, image=None, token: str = "") -> Post:
    """Reply to an open topic; locked topics take replies from moderators only. The same form sent
    again (same token) returns the reply it made."""
    topic = Topic.objects.select_for_update().select_related("forum").get(pk=topic.pk)
    _check_can_post(author, topic.forum)
    if not permissions.can_see_topic(author, topic):
        raise ForumError(ForumCode.FORBIDDEN)
    if not permissions.can_reply(author, topic):
        raise ForumError(ForumCode.LOCKED)  # (whether they may post in the forum was checked above)
    earlier = _earlier_submission(author, token)
    if earlier is not None:
        return earlier
    _pace(author)
    return _add_post(topic=topic, author=author, body=body, image=image, is_topic=False, token=token)


@transaction.atomic
def edit_post(*, editor: User, post: Post, body: str) -> Post:
    """Only the author, within 30 minutes; the previous text is kept as a revision."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if editor.is_suspended:
        raise ForumError(ForumCode.SUSPENDED)
    if post.author_id != editor.pk or post.deleted_at:
        raise ForumError(ForumCode.FORBIDDEN)
    if not permissions.in_edit_window(post):
        raise ForumError(ForumCode.EDIT_WINDOW_OVER)
    if body == post.source:
        return post
    PostRevision.objects.create(post=post, source=post.source, html=post.html)
    post.source = body
    post.html = sanitise_post_body(body)
    post.edited_at = timezone.now()
    post.save(update_fields=["source", "html", "edited_at"])
    return post


def toggle_reaction(*, user: User, post: Post, kind: str) -> bool:
    """One reaction of each kind per user and post; a second press takes it back."""
    if kind not in Reaction.Kind.values:
        raise ForumError(ForumCode.BAD_REACTION)
    if user.is_suspended:
        raise ForumError(ForumCode.SUSPENDED)
    if post.status != Post.Status.PUBLISHED or post.deleted_at:
        raise ForumError(ForumCode.FORBIDDEN)
    deleted, _count = Reaction.objects.filter(post=post, user=user, kind=kind).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            Reaction.objects.create(post=post, user=user, kind=kind)
    except IntegrityError:
        pass
    return True


def set_watch(*, user: User, watching: bool, topic: Topic | None = None,
              category: Category | None = None) -> None:
    """Follow or stop following a topic or a category; repeating changes nothing."""
    target = {"topic": topic} if topic is not None else {"category": category}
    if watching:
        try:
            with transaction.atomic():
                Watch.objects.get_or_create(user=user, **target)
        except IntegrityError:
            pass
    else:
        Watch.objects.filter(user=user, **target).delete()


def mark_read(*, user: User, topic: Topic, up_to_post_id: int) -> None:
    """The read mark only moves forward."""
    if not user.is_authenticated or not up_to_post_id:
        return
    try:
        with transaction.atomic():
            TopicRead.objects.get_or_create(user=user, topic=topic)
    except IntegrityError:
        pass
    TopicRead.objects.filter(
        user=user, topic=topic, last_read_post_id__lt=up_to_post_id
    ).update(last_read_post_id=up_to_post_id)


def report_post(*, reporter: User, post: Post, reason: str, text: str) -> Report:
    """One open report per reporter and post; reporting again returns the open one."""
    if not reporter.is_authenticated:
        raise ForumError(ForumCode.FORBIDDEN)
    existing = Report.objects.filter(post=post, reporter=reporter, resolved_at__isnull=True).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Report.objects.create(post=post, reporter=reporter, reason=reason, text=text)
    except IntegrityError:
        return Report.objects.get(post=post, reporter=reporter, resolved_at__isnull=True)
