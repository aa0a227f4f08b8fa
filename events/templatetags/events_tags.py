from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.images.shortcuts import get_renditions_or_not_found

from events import selectors
from events.rewards import selectors as reward_selectors
from portal.caching import generation, kept, with_generation

register = template.Library()


@register.filter
def card_cover(image):
    """An event card's picture from the renditions read with the events (selectors.COVER_RENDITION).
    Not `{% image %}`: Wagtail's get_rendition writes the rendition back to the cache on every call,
    a round trip per card even when it was read with the events."""
    return get_renditions_or_not_found(image, [selectors.COVER_RENDITION])[selectors.COVER_RENDITION]

SECTION_SECONDS = 600


SECTIONS = ("my_events", "my_rewards")


def _section_key(user, name: str) -> str:
    return f"events:section:{user.pk}:{name}:{get_language()}"


def _sections_found(request) -> dict:
    """Both sections, their token and the page-tree generation, read in one round trip by the first
    section a request renders (one each was most of /me/'s Redis time, bench/cost.py)."""
    found = getattr(request, "_member_sections", None)
    if found is None:
        user = request.user
        _generation, found = with_generation(request, [
            reward_selectors.MEMBER(user.pk), *(_section_key(user, name) for name in SECTIONS)])
        request._member_sections = found
    return found


def _member_section(context, name: str, read) -> str:
    """A dashboard section (events/includes/<name>.html) as its member sees it. Reading and
    rendering them was a third of /me/'s time (`make bench`), so each is kept per member and
    language until a write drops the member's token (events.rewards.selectors.MEMBER), a page is
    published (event titles, times and stores: the page-tree generation), the member's badges
    change, or the time `read` gives passes (an event ends, a coupon expires)."""
    request = context["request"]
    user = request.user

    def render():
        data, until = read(user)
        return until, render_to_string(f"events/includes/{name}.html", data, request=request)

    found = _sections_found(request)
    _until, html = kept(
        _section_key(user, name), [reward_selectors.MEMBER(user.pk)],
        render, SECTION_SECONDS, vary=(generation(request), tuple(user.badges)),
        good=lambda value: value[0] is None or timezone.now() < value[0], found=found)
    # Our template's output, kept or fresh.
    return mark_safe(html)  # noqa: S308  # nosec


def _events(user):
    upcoming, past, changes_at = selectors.list_member_registrations(user)
    return {"upcoming": upcoming, "past": past[:10]}, changes_at


def _rewards(user):
    usable, changes_at = reward_selectors.count_usable_coupons(user)
    return {
        "balance": reward_selectors.get_balance(user),
        "usable": usable,
        "badges": user.badge_labels,
    }, changes_at


@register.simple_tag(takes_context=True)
def my_events(context):
    return _member_section(context, "my_events", _events)


@register.simple_tag(takes_context=True)
def my_rewards(context):
    return _member_section(context, "my_rewards", _rewards)
