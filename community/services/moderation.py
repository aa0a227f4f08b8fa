"""Moderation: deleting, hiding, restoring and approving posts, locking, pinning and moving topics,
suspending members. Every moderator's action checks the role and writes one audit row."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from community import permissions
from community.errors import ForumCode, ForumError
from community.models import (
    Category,
    ModerationAction,
    Post,
    Report,
    Topic,
)
from community.services.posts import announce_post
from portal.models import User
from portal.notifications import Text
from portal.services import end_user_sockets, notify


@transaction.atomic
def delete_post(*, user: User, post: Post) -> Post:
    """Soft delete by the author or a moderator; the text stays for the audit, hidden from readers."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if not permissions.can_delete_post(user, post):
        raise ForumError(ForumCode.FORBIDDEN)
    if post.deleted_at:
        return post
    post.deleted_at = timezone.now()
    post.save(update_fields=["deleted_at"])
    if post.author_id != user.pk:
        _log(user, ModerationAction.Action.DELETE, post=post, topic=post.topic)
    return post


def _require_moderator(user: User) -> None:
    if not permissions.is_moderator(user):
        raise ForumError(ForumCode.FORBIDDEN)


def _log(moderator, action, *, post=None, topic=None, target_user=None, note="") -> None:
    ModerationAction.objects.create(
        moderator=moderator, action=action, post=post, topic=topic, target_user=target_user,
        note=note[:300],
    )


def _release_topic(post: Post) -> bool:
    """Whether `post`, going live, is its topic's first post; if so a held topic is held no more
    (before it is announced: watchers are told only of topics they may see)."""
    topic = post.topic
    first = topic.posts.order_by("pk").values_list("pk", flat=True).first() == post.pk
    if first and topic.held:
        topic.held = False
        topic.save(update_fields=["held"])
    return first


def _resolve_reports(post: Post, moderator: User) -> None:
    Report.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=moderator
    )


@transaction.atomic
def hide_post(*, moderator: User, post: Post, note: str = "") -> Post:
    """Hidden posts stay stored and can be restored."""
    _require_moderator(moderator)
    post.status = Post.Status.HIDDEN
    post.save(update_fields=["status"])
    _resolve_reports(post, moderator)
    _log(moderator, ModerationAction.Action.HIDE, post=post, topic=post.topic, note=note)
    post.refresh_from_db()
    return post


@transaction.atomic
def restore_post(*, moderator: User, post: Post) -> Post:
    """A hidden post comes back as it was."""
    _require_moderator(moderator)
    restored = Post.objects.filter(pk=post.pk, status=Post.Status.HIDDEN).update(
        status=Post.Status.PUBLISHED
    )
    if restored:
        _release_topic(post)  # a held first post a moderator hid, then thought better of
    _log(moderator, ModerationAction.Action.RESTORE, post=post, topic=post.topic)
    post.refresh_from_db()
    return post


@transaction.atomic
def approve_post(*, moderator: User, post: Post) -> Post:
    """A held post goes live once, then notifies and appears like any other."""
    _require_moderator(moderator)
    post = Post.objects.select_for_update().select_related("topic__forum", "author").get(
        pk=post.pk
    )
    if post.status != Post.Status.HELD:
        return post
    post.status = Post.Status.PUBLISHED
    post.save(update_fields=["status"])
    announce_post(post, is_topic=_release_topic(post))
    _log(moderator, ModerationAction.Action.APPROVE, post=post, topic=post.topic)
    return post


@transaction.atomic
def dismiss_reports(*, moderator: User, post: Post) -> None:
    """Close the open reports on a post that breaks no rule."""
    _require_moderator(moderator)
    _resolve_reports(post, moderator)
    _log(moderator, ModerationAction.Action.DISMISS, post=post, topic=post.topic)


@transaction.atomic
def set_topic_locked(*, moderator: User, topic: Topic, locked: bool) -> None:
    """Locked topics take no replies from members."""
    _require_moderator(moderator)
    topic.locked = locked
    topic.save(update_fields=["locked"])
    action = ModerationAction.Action.LOCK if locked else ModerationAction.Action.UNLOCK
    _log(moderator, action, topic=topic)


@transaction.atomic
def set_topic_pinned(*, moderator: User, topic: Topic, pinned: bool) -> None:
    """Pinned topics head their forum's list."""
    _require_moderator(moderator)
    topic.pinned = pinned
    topic.save(update_fields=["pinned"])
    action = ModerationAction.Action.PIN if pinned else ModerationAction.Action.UNPIN
    _log(moderator, action, topic=topic)


@transaction.atomic
def move_topic(*, moderator: User, topic: Topic, category: Category) -> Topic:
    """A topic moves with all its posts, possibly to the other forum."""
    _require_moderator(moderator)
    note = f"{topic.category} → {category}"
    # update(): the topic lists of the forum it leaves and of the one it joins are dropped.
    Topic.objects.filter(pk=topic.pk).update(category=category, forum=category.forum)
    _log(moderator, ModerationAction.Action.MOVE, topic=topic, note=note)
    topic.refresh_from_db()
    return topic


@transaction.atomic
def suspend_user(*, moderator: User, user: User, days: int, note: str) -> User:
    """A suspended user can read but not post, react or chat until the date passes; the
    moderator's note says why, and the member is told both wherever they would act."""
    _require_moderator(moderator)
    note = note.strip()
    if days < 1 or user.pk == moderator.pk:
        raise ForumError(ForumCode.BAD_SUSPENSION)
    if not note:
        raise ForumError(ForumCode.NO_REASON)
    user.suspended_until = timezone.now() + timedelta(days=days)
    user.suspension_note = note[:300]
    user.save(update_fields=["suspended_until", "suspension_note"])
    _log(moderator, ModerationAction.Action.SUSPEND, target_user=user, note=f"{days}d {note}")
    message = Text(gettext_noop("Your account may not post until %(date)s. The moderator's reason: "
                                "%(reason)s"),
                   date=timezone.localtime(user.suspended_until).strftime("%Y-%m-%d %H:%M"), reason=note)
    notify(user, "forum_moderation", message, "/community/")
    # Open chat pages reload to show the suspension notice instead of the composer.
    end_user_sockets(user, reason="suspended")
    return user
