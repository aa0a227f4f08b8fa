"""Reads shaped for events pages: one query per list, never one per row."""

from datetime import date, datetime, time, timedelta

from django.db.models import Avg, Case, Count, F, Prefetch, Q, QuerySet, When
from django.utils import timezone
from wagtail.images import get_image_model

from content.selectors import is_staff_of_store, staffed_store_ids
from events.models import SEAT_STATUSES, EventPage, EventPhoto, EventRating, Registration
from portal import roles
from portal.caching.pages import GENERATION
from portal.models import User
from portal.pages import public
from portal.queries import count_per_row

COVER_RENDITION = "fill-640x360"


def can_manage_store(user, store_id: int | None) -> bool:
    """Superusers and moderators manage every store; store staff only the stores whose staff
    group they are in (content decides that)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_moderator:
        return True
    return is_staff_of_store(user, store_id)


def audience_allows(audience: str, user) -> bool:
    """The one audience rule, for registering for an event and for redeeming a reward: a providers'
    audience takes verified providers, a members' audience members and providers, any other
    (everyone signed in) every signed-in account."""
    if not user.is_authenticated:
        return False
    # Rewards name their audiences with the same values (events.rewards.models.Reward.Audience).
    if audience == EventPage.Audience.PROVIDERS:
        return user.is_provider
    if audience == EventPage.Audience.MEMBERS:
        return user.is_provider or roles.MEMBERS in user.group_names
    return True


def list_counter_stores(user: User) -> list:
    """The stores where this person may take coupons at the counter: every live store for moderators,
    else the stores they are staff of."""
    from content.models import StorePage

    stores = StorePage.objects.live().order_by("title")
    if not (user.is_superuser or user.is_moderator):
        stores = stores.filter(pk__in=staffed_store_ids(user))
    return list(stores)


def count_taken_seats(event_id: int) -> int:
    return Registration.objects.filter(event_id=event_id, status__in=SEAT_STATUSES).count()


def _with_seats(qs: QuerySet) -> QuerySet:
    # Not a join grouped by every column of the page, its event and its store: the home page's
    # three upcoming events took 5 ms that way, 3 ms this way (bench data).
    taken = count_per_row(Registration.objects.filter(status__in=SEAT_STATUSES), "event")
    return qs.annotate(seats_taken=taken).annotate(seats_left=F("capacity") - F("seats_taken"))


def list_upcoming_events(*, store: str = "", kind: str = "", date_from: date | None = None,
                         date_to: date | None = None, seats_left: bool = False) -> QuerySet:
    """Live events that have not ended, soonest first, with seats and cover renditions."""
    qs = (
        EventPage.objects.live()
        .filter(end__gt=timezone.now())
        .select_related("store")
        .prefetch_related(
            Prefetch(
                "cover_image",
                queryset=get_image_model().objects.prefetch_renditions(COVER_RENDITION),
            )
        )
        .order_by("start", "pk")
    )
    if store:
        qs = qs.filter(store__slug=store)
    if kind:
        qs = qs.filter(kind=kind)
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(end__gte=timezone.make_aware(datetime.combine(date_from, time.min), tz))
    if date_to:
        qs = qs.filter(
            start__lt=timezone.make_aware(datetime.combine(date_to + timedelta(days=1), time.min), tz)
        )
    qs = _with_seats(qs)
    if seats_left:
        qs = qs.filter(seats_left__gt=0)
    return qs


# What an event card shows (events/includes/event_card.html): a page row is ~45 columns otherwise,
# its store's as many, and compiling and reading them cost more than the query itself.
CARD_FIELDS = ("title", "url_path", "path", "depth", "kind", "start", "end", "capacity", "summary",
               "cover_image", "store__title", "store__url_path", "store__time_zone")


def get_next_experience_day(*, store_id: int | None = None, for_provider: bool = False):
    """The soonest public experience day that has not ended, at `store_id` first when given; not
    one for providers only unless the reader is one. One query (two more when it has a cover)."""
    events = public(
        EventPage.objects.live()
        .filter(end__gt=timezone.now(), kind=EventPage.Kind.EXPERIENCE_DAY)
    )
    if not for_provider:
        events = events.exclude(audience=EventPage.Audience.PROVIDERS)
    order = ("start", "pk")
    if store_id:
        order = (Case(When(store_id=store_id, then=0), default=1), *order)
    taken = count_per_row(Registration.objects.filter(status__in=SEAT_STATUSES), "event")
    return (
        events.select_related("store").only(*CARD_FIELDS)
        .prefetch_related(Prefetch(
            "cover_image", queryset=get_image_model().objects.prefetch_renditions(COVER_RENDITION)))
        .annotate(seats_left=F("capacity") - taken)
        .order_by(*order).first()
    )


def list_event_practitioners(event: EventPage) -> QuerySet:
    """Their names and links: a practitioner's row is ~40 columns with the bio."""
    return event.practitioners.live().only("title", "url_path").order_by("title")


def can_join_event_room(user, event: EventPage, registration: Registration | None) -> bool:
    """An event's chat room: members holding a seat there (`registration` is theirs) and the staff
    of its store."""
    held = registration is not None and registration.status in SEAT_STATUSES
    return held or can_manage_store(user, event.store_id)


def get_registration(event: EventPage, user) -> Registration | None:
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(event=event, member=user).select_related("check_in").first()
    )


def waitlist_position(registration: Registration) -> int:
    return Registration.objects.filter(
        Q(queued_at__lt=registration.queued_at)
        | Q(queued_at=registration.queued_at, pk__lte=registration.pk),
        event_id=registration.event_id,
        status=Registration.Status.WAITLISTED,
    ).count()


def get_ticket(code: str) -> Registration | None:
    return (
        Registration.objects.filter(ticket_code=code)
        .select_related("event__store", "member", "check_in__checked_in_by")
        .first()
    )


# The event page shows an approved photo to anonymous visitors at once.
GENERATION.depends_on(EventPhoto, fields={"approved_at"})


def list_member_registrations(user: User) -> tuple[list, list, datetime | None]:
    """The member's registrations split into upcoming and past, each event fetched with its store,
    and when the split next changes (the next end of one of their events, cancelled ones too)."""
    # Only what the dashboard shows: each event and store page row is ~40 columns otherwise.
    regs = list(
        Registration.objects.filter(member=user)
        .select_related("event__store")
        .only("status", "ticket_code", "event__title", "event__url_path", "event__start",
              "event__end", "event__store__title", "event__store__time_zone")
        .order_by("event__start")
    )
    now = timezone.now()
    upcoming = [r for r in regs if r.event.end > now and r.status != Registration.Status.CANCELLED]
    past = [r for r in regs if r.event.end <= now][::-1]
    return upcoming, past, min((r.event.end for r in regs if r.event.end > now), default=None)


def list_checkin_events(user: User) -> list:
    """Events of today (in each store's zone, a day around now) the user may check people in for."""
    now = timezone.now()
    qs = (
        EventPage.objects.live()
        .filter(start__lt=now + timedelta(hours=18), end__gt=now - timedelta(hours=6))
        .select_related("store")
        .order_by("start")
    )
    if not (user.is_superuser or user.is_moderator):
        qs = qs.filter(store_id__in=staffed_store_ids(user))
    return list(_with_seats(qs))


def list_attendees(event: EventPage) -> list:
    return list(
        Registration.objects.filter(event=event)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("member", "check_in__checked_in_by")
        .order_by("status", "member__display_name", "member__email")
    )


def list_approved_photos(event: EventPage) -> list:
    return list(
        EventPhoto.objects.filter(event=event, approved_at__isnull=False).select_related("author")
    )


def list_pending_photos() -> list:
    return list(
        EventPhoto.objects.filter(approved_at__isnull=True).select_related("author", "event")
    )


def rating_summary(event: EventPage) -> dict:
    return EventRating.objects.filter(event=event).aggregate(average=Avg("score"), count=Count("id"))


def has_rated(event: EventPage, user) -> bool:
    return EventRating.objects.filter(event=event, member=user).exists()
