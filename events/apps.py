from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from events import slots
        from portal.notifications import register_kind

        slots.register()

        register_kind("event_promoted", _("A waitlisted seat of yours was confirmed"))
        register_kind("event_reminder", _("Event reminders, 24 hours before"))
        # An event's chat room: its registered attendees and the staff of its store.
        from events.models import SEAT_STATUSES, EventPage, Registration
        from events.selectors import can_manage_store
        from portal.rooms import register_room_access

        register_room_access("event", lambda user, event_id: Registration.objects.filter(
            event_id=event_id, member_id=user.pk, status__in=SEAT_STATUSES).exists() or can_manage_store(
            user, EventPage.objects.filter(pk=event_id).values_list("store_id", flat=True).first()))
