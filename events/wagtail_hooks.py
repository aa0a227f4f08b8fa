from wagtail import hooks

from events import services
from events.models import EventPage


@hooks.register("after_publish_page")
def fill_seats_after_publish(request, page):
    # A published capacity increase hands the new seats to the waitlist (EventPage.clean refuses decreases).
    if isinstance(page, EventPage):
        services.promote_from_waitlist(event=page)
