"""Thin views: parse input, call one service or selector, render. One module per concern: forums
(topic lists and topics), posts, moderation, reviews; common holds what they share."""

from .forums import (
    category_watch,
    forum,
    index,
    member,
    new_topic,
    post_card,
    topic,
    topic_unread,
    topic_watch,
)
from .moderation import moderate_post, moderate_topic, moderate_user, moderation
from .posts import post, post_delete, post_edit, post_history, post_react, post_report
from .reviews import record_visit, review_answer, review_visit, reviews
