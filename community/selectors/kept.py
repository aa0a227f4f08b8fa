"""What the forum pages keep in the cache and the writes that drop it: the forums, a forum's topic list,
a topic's pages (until the topic changes or an author's name or marks do), a reader's own marks."""

from django.core.paginator import Paginator

from community.models import (
    Post,
    Reaction,
    Topic,
)
from portal.cache import drop_now_and_after_commit

FORUMS_KEY = "community:forums"
# A bound for changes no signal reports: a data migration's, made with historical models.
FORUMS_SECONDS = 600


def forums_changed(**_signal_kwargs) -> None:
    """Receiver for a forum or a category saved or deleted (connected in CommunityConfig)."""
    drop_now_and_after_commit(FORUMS_KEY)


def _reader_key(user_id: int, topic_id: int) -> str:
    return f"community:reader:{user_id}:{topic_id}"


def reader_changed(user_id: int, topic_id: int) -> None:
    """For a write to what a reader's view of a topic shows of them: their read mark, watch or
    reactions (the receivers below; mark_read, which writes by update(), calls it)."""
    drop_now_and_after_commit(_reader_key(user_id, topic_id))


def reader_record_saved(sender, instance, **_signal_kwargs) -> None:
    """Receiver for read marks and watches saved or deleted (connected in CommunityConfig)."""
    if instance.topic_id is not None:  # not a category's watch
        reader_changed(instance.user_id, instance.topic_id)


PAGE_SECONDS = 600
PEOPLE_KEY = "community:people"
# What a post shows of its author (post cards): a change to any of these drops PEOPLE_KEY.
SHOWN_USER_FIELDS = frozenset({"display_name", "email", "avatar", "provider_tier", "badges"})


def _topic_key(topic_id: int) -> str:
    return f"community:topic:{topic_id}"


def _forum_key(forum_id: int) -> str:
    return f"community:forum:{forum_id}"


def topic_changed(topic_id: int, forum_id: int | None = None) -> None:
    """For a write that changes what a topic's pages show (its posts, their status, photos or
    reactions) and, given its forum, what the forum's topic list shows of it (title, marks,
    category, post count, last post). The receivers below hear model saves and deletes; writes by
    update() call it themselves."""
    drop_now_and_after_commit(_topic_key(topic_id))
    if forum_id is not None:
        drop_now_and_after_commit(_forum_key(forum_id))


def topic_content_saved(sender, instance, **_signal_kwargs) -> None:
    """Receiver for topics, posts, photos and reactions saved or deleted (connected in
    CommunityConfig): photos and reactions are not in the topic list."""
    if isinstance(instance, Topic):
        topic_changed(instance.pk, instance.forum_id)
    elif isinstance(instance, Post):
        topic_changed(instance.topic_id, instance.topic.forum_id)
    else:
        topic_changed(instance.post.topic_id)
        if isinstance(instance, Reaction):
            reader_changed(instance.user_id, instance.post.topic_id)


def people_changed(sender, instance, update_fields=None, **_signal_kwargs) -> None:
    """Receiver for users saved or deleted: a post shows its author's name, avatar and marks."""
    if update_fields is None or SHOWN_USER_FIELDS.intersection(update_fields):
        drop_now_and_after_commit(PEOPLE_KEY)


def _page_number(page_number) -> str:
    """A page number for a cache key: what Paginator.get_page would take (anything else is 1)."""
    return str(page_number) if str(page_number).isdigit() else "1"


def _kept_page(count: int, number: int, items: list, per_page: int):
    """A Paginator page of kept items, for the pagination links."""
    page = Paginator(range(count), per_page).page(number)
    page.object_list = items
    return page
