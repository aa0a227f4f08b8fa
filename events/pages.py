"""What the event pages show beyond their own fields: the filtered, paginated list on the index and,
on an event, the visitor's registration, seats left, the chat, photos and ratings. These reads go
through selectors, services and forms that import the page models, so the models cannot import them:
register() attaches them to the pages (portal.pages.ContextReader), called from EventsConfig.ready()."""

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from content.models import StorePage
from content.selectors import list_stories_at_store
from events import selectors, services
from events.forms import EventFilterForm, PhotoForm, RatingForm
from events.models import EventIndexPage, EventPage, Registration

PER_PAGE = 12


def index_context(request, index: EventIndexPage) -> dict:
    stores = list(StorePage.objects.live().order_by("title"))
    form = EventFilterForm(request.GET or None, stores=stores)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.list_upcoming_events(**{k: v for k, v in filters.items() if v})
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"filter_form": form, "events": page, "page_obj": page, "query_string": query.urlencode()}


def event_context(request, event: EventPage) -> dict:
    user = request.user
    registration = selectors.get_registration(event, user)
    attended = registration is not None and registration.status == Registration.Status.ATTENDED
    context = {
        "event": event,
        "seats_left": max(event.capacity - selectors.count_taken_seats(event.pk), 0),
        "registration": registration,
        "can_manage": selectors.can_manage_store(user, event.store_id),
        "can_chat": selectors.can_join_event_room(user, event, registration),
        # Read only when the page's fragment is not cached (portal.templatetags.page_fragments).
        "practitioners": selectors.list_event_practitioners(event),
        # What earlier days at this store left behind: its customers' stories (lazy, as above).
        "stories": SimpleLazyObject(lambda: list_stories_at_store(event.store_id)),
        "now": timezone.now(),
        "audience_refusal": (services.audience_refusal(event=event, member=user)
                             if user.is_authenticated else ""),
    }
    if registration and registration.status == Registration.Status.WAITLISTED:
        context["waitlist_position"] = selectors.waitlist_position(registration)
    if event.has_ended:
        context["photos"] = selectors.list_approved_photos(event)
        context["rating"] = selectors.rating_summary(event)
        if attended:
            context["photo_form"] = PhotoForm()
            if not selectors.has_rated(event, user):
                context["rating_form"] = RatingForm()
    return context


def register() -> None:
    EventIndexPage.read_context_with(index_context)
    EventPage.read_context_with(event_context)
