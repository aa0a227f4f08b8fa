"""Who may read and write where. Used by views, consumers and services alike."""

from datetime import timedelta

from django.utils import timezone

from community.models import Forum, Post

EDIT_WINDOW = timedelta(minutes=30)


def can_read_forum(user, forum: Forum) -> bool:
    if forum.audience == Forum.Audience.MEMBERS:
        return True
    return bool(
        user.is_authenticated and (user.is_provider or user.is_moderator or user.is_staff)
    )


def can_see_post(user, post) -> bool:
    """The forum's readers see a published post; its author also sees it while it is held; only
    moderators see it once it, or its topic, is hidden or deleted."""
    if not can_read_forum(user, post.topic.forum):
        return False
    if is_moderator(user):
        return True
    if post.topic.hidden or post.deleted_at or post.status == Post.Status.HIDDEN:
        return False
    return post.status == Post.Status.PUBLISHED or post.author_id == user.pk


def can_post_in_forum(user, forum: Forum) -> bool:
    return user.is_authenticated and not user.is_suspended and can_read_forum(user, forum)


def is_moderator(user) -> bool:
    return bool(user.is_authenticated and (user.is_moderator or user.is_staff))


def can_see_topic(user, topic) -> bool:
    """Hidden topics are the moderators'; a held one (its first post waits for a moderator) is also
    its author's. `topic.forum` is read."""
    if not can_read_forum(user, topic.forum):
        return False
    if is_moderator(user):
        return True
    return not topic.hidden and (not topic.held or topic.author_id == user.pk)


def can_reply(user, topic) -> bool:
    """Locked topics take replies from moderators only."""
    return can_post_in_forum(user, topic.forum) and (not topic.locked or is_moderator(user))


def in_edit_window(post) -> bool:
    """Its author may edit a post for EDIT_WINDOW after posting it."""
    return timezone.now() - post.created_at <= EDIT_WINDOW


def can_delete_post(user, post) -> bool:
    """Its author or a moderator."""
    return post.author_id == user.pk or is_moderator(user)
