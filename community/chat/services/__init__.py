"""Chat rules, one module per concern: access (who may join, post and type; frames and their
announcement), limits (how fast), rooms (opening them), messages (storing, telling, editing,
reporting, reading)."""

from community.errors import ChatError

from .access import (
    answered_by_store,
    can_join_room,
    can_post_in_room,
    message_frame,
    room_group,
    serves_store,
    typing_allowed,
)
from .limits import LOCK_PAUSE, LOCK_TRIES, RATE_BURST, RATE_PER_SECOND
from .messages import (
    EDIT_WINDOW,
    MAX_LENGTH,
    NOTIFY_EMAIL_QUIET_SECONDS,
    delete_message,
    edit_message,
    mark_room_read,
    moderate_reported_message,
    post_message,
    report_message,
)
from .rooms import (
    DIRECT_ROOMS_PER_HOUR,
    LOUNGE_SLUG,
    PROVIDERS_SLUG,
    allows_direct,
    ensure_lounges,
    open_direct_room,
    open_object_room,
    open_service_room,
    set_allow_direct,
)
