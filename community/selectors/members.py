"""Members as others see them: @mentions and their links, a member's profile."""

from django.db.models import (
    Q,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse

from community.selectors.forums import list_readable_topics
from portal.models import User
from portal.sanitize import MENTION

MAX_MENTIONS = 10


def list_mentioned_users(text: str, *, author_id: int) -> list[User]:
    """The people an @name in a forum post or chat message names (display name, or the part of the
    e-mail before the @), at most MAX_MENTIONS, never the author; one query, none without an @.
    Whether each may see where they were named is the caller's rule."""
    handles = {h.rstrip(".").lower() for h in MENTION.findall(text)}
    if not handles:
        return []
    query = Q()
    for handle in list(handles)[:MAX_MENTIONS]:
        query |= Q(display_name__iexact=handle) | Q(email__istartswith=f"{handle}@")
    users = User.objects.filter(query).exclude(pk=author_id).prefetch_related("groups")
    return list(users[:MAX_MENTIONS])


def mention_links(text: str) -> dict[str, str]:
    """Each @handle in `text` that names someone (list_mentioned_users), lower-cased, with the
    address of their profile: what portal.sanitize.render_markdown links. A handle two people
    answer to links the earlier account."""
    handles = {h.rstrip(".").lower() for h in MENTION.findall(text)}
    links = {}
    for user in sorted(list_mentioned_users(text, author_id=None), key=lambda user: user.pk):
        for handle in (user.display_name.lower(), user.email.split("@")[0].lower()):
            if handle in handles:
                links.setdefault(handle, reverse("community:member", args=[user.pk]))
    return links


PROFILE_TOPICS = 10


def get_member_profile(*, user_id: int, viewer) -> dict:
    """What anyone may see of a member (where an @mention leads): name, marks, since when, their
    practitioner page if one is live, and the newest topics they opened that `viewer` may see."""
    from content.models import PractitionerPage

    person = get_object_or_404(User, pk=user_id, is_active=True)
    topics = (list_readable_topics(viewer).filter(author=person, held=False)
              .order_by("-last_post_at")[:PROFILE_TOPICS])
    return {
        "person": person,
        "practitioner": PractitionerPage.objects.live().filter(user=person)
        .only("title", "url_path").first(),
        "topics": list(topics),
    }
