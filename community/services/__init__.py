"""Rules that change forum state, one module per concern: posts (writing, reactions, reading,
reports), moderation (and deleting a post) and reviews (service visits and reviews)."""

from community.errors import ForumError

from .moderation import (
    approve_post,
    delete_post,
    dismiss_reports,
    hide_post,
    move_topic,
    restore_post,
    set_topic_locked,
    set_topic_pinned,
    suspend_user,
)
from .posts import (
    NEW_MEMBER_AGE,
    NEW_MEMBER_LINKS,
    NEW_MEMBER_POSTS,
    NEW_MEMBER_REPLIES_A_DAY,
    NEW_MEMBER_TOPICS_A_DAY,
    PACE_SECONDS,
    announce_post,
    create_reply,
    create_topic,
    edit_post,
    mark_read,
    report_post,
    sanitise_post_body,
    set_watch,
    toggle_reaction,
    topic_group,
)
from .reviews import (
    answer_review,
    can_answer_review,
    create_service_review,
    record_attended_visit,
    record_service_visit,
)

