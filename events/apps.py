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
