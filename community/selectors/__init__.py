"""Reads shaped for the forum pages, a fixed number of queries whatever the page size; one module per
concern: forums (topic lists), topics (a topic's pages), kept (what those pages keep in the cache and
what drops it), members, reviews, moderation."""

from .forums import (
    ROW_FIELDS,
    TOPICS_PER_PAGE,
    TopicRow,
    get_forum,
    is_watching_category,
    list_busy_topics,
    list_categories,
    list_forums,
    list_matching_topics,
    list_readable_topics,
    readable_forum_ids,
    topic_list_page,
    topic_rows,
)
from .kept import (
    FORUM,
    FORUMS,
    FORUMS_KEY,
    FORUMS_SECONDS,
    MARKS,
    PAGE_SECONDS,
    PEOPLE,
    PEOPLE_KEY,
    READER,
    SHOWN_USER_FIELDS,
    TOPIC,
)
from .members import (
    MAX_MENTIONS,
    PROFILE_TOPICS,
    get_member_profile,
    list_mentioned_users,
    mention_links,
)
from .moderation import (
    moderation_queue,
)
from .reviews import (
    attended_events,
    get_review,
    get_user_visit,
    list_reviewable_visits,
    practitioner_review_summary,
    store_review_summary,
)
from .topics import (
    LINKED_PAGES,
    POSTS_PER_PAGE,
    find_topic,
    first_unread_post,
    get_topic_post,
    list_post_revisions,
    post_page_number,
    topic_page,
    topic_page_keys,
)
