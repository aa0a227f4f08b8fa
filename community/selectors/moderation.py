"""The moderators' queue of the forums."""

from community.models import (
    Category,
    ModerationAction,
    Post,
    Report,
)


def moderation_queue():
    """Open reports, held posts and the latest audit rows for the moderators' page (its reported chat
    messages: community.chat.selectors.list_reported_messages)."""
    reports = (
        Report.objects.filter(resolved_at__isnull=True)
        .select_related("post__author", "post__topic__forum", "reporter")
    )
    held = (
        Post.objects.filter(status=Post.Status.HELD)
        .select_related("author", "topic__forum")
    )
    hidden = (
        Post.objects.filter(status=Post.Status.HIDDEN)
        .select_related("author", "topic__forum")
        .order_by("-pk")[:20]
    )
    log = ModerationAction.objects.select_related(
        "moderator", "post", "topic", "target_user"
    )[:50]
    return {"reports": list(reports), "held": list(held), "hidden": list(hidden),
            "log": list(log), "categories": list(Category.objects.select_related("forum"))}
