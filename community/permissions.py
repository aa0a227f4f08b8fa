"""Who may read and write where. Used by views, consumers and services alike."""

from community.models import Forum


def can_read_forum(user, forum: Forum) -> bool:
    if forum.audience == Forum.Audience.MEMBERS:
        return True
    return bool(
        user.is_authenticated and (user.is_provider or user.is_moderator or user.is_staff)
    )


def can_post_in_forum(user, forum: Forum) -> bool:
    return user.is_authenticated and not user.is_suspended and can_read_forum(user, forum)


def is_moderator(user) -> bool:
    return bool(user.is_authenticated and (user.is_moderator or user.is_staff))
