from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Community")

    def ready(self):
        from community import receivers, slots
        from portal.notifications import register_kind

        slots.register()
        receivers.connect()

        register_kind("forum_mention", _("Someone mentions me in the forums"))
        register_kind("forum_reply", _("New replies in topics I watch"))
        register_kind("forum_topic", _("New topics in categories I watch"))
        register_kind("forum_moderation", _("Moderation of my account"))
        register_kind("service_review", _("Reviews of my services and answers to my reviews"))
