from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from allauth.account.signals import email_confirmed

        # The selectors modules declare their cached values.
        from events import pages, selectors, slots  # noqa: F401
        from events.rewards import selectors as reward_selectors  # noqa: F401
        from portal.notifications import register_kind
        from portal.private_media import register_private_folder
        from portal.rooms import ObjectRoomKind, register_room_kind
        from portal.signals import service_review_published

        pages.register()
        slots.register()
        register_kind("event_promoted", _("A waitlisted seat of yours was confirmed"))
        register_kind("event_reminder", _("Event reminders, 24 hours before"))
        register_kind("points", _("Points I earn"))
        register_kind("rewards", _("Rewards I redeem or receive"))
        register_kind("coupon_expiry", _("Coupons about to expire, 7 days before"))
        register_room_kind("event", ObjectRoomKind(
            may_join=_may_join_event_room, title=_event_room_title, refs=_event_room_refs))
        register_private_folder("event-photos", _may_see_event_photo)
        service_review_published.connect(_pay_review, dispatch_uid="events.pay_review")
        email_confirmed.connect(_welcome_gift, dispatch_uid="events.welcome_gift")


def _may_join_event_room(user, event_id) -> bool:
    from events.models import EventPage
    from events.selectors import can_join_event_room, get_registration

    event = EventPage.objects.filter(pk=event_id).only("store_id").first()
    return event is not None and can_join_event_room(user, event, get_registration(event, user))


def _may_see_event_photo(user, name) -> bool:
    """An approved photo is shown on its event's page to everyone; until then it is for the member who
    took it and the moderators who decide on it."""
    from events.models import EventPhoto

    photo = EventPhoto.objects.filter(image=name).values("approved_at", "author_id").first()
    if photo is None:
        return False
    return (photo["approved_at"] is not None or photo["author_id"] == user.pk
            or (user.is_authenticated and user.is_moderator))


def _event_room_title(event_id) -> str | None:
    from events.models import EventPage

    return EventPage.objects.live().filter(pk=event_id).values_list("title", flat=True).first()


def _event_room_refs(user):
    """Events the person holds a seat at; the store's staff reach a room from the event page."""
    from events.models import SEAT_STATUSES, Registration

    return Registration.objects.filter(member_id=user.pk, status__in=SEAT_STATUSES).values("event_id")


def _pay_review(sender, *, review_id, member, store_id, score, **kwargs):
    from events.rewards.services import award_review_points

    award_review_points(review_id=review_id, member=member, store_id=store_id, score=score)


def _welcome_gift(sender, *, email_address, **kwargs):
    from events.rewards.services import issue_welcome_coupon

    issue_welcome_coupon(user=email_address.user)
