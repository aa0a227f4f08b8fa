from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from portal import notifications

        notifications.register_kind(
            "provider_application", _("Provider application decisions"), notifications.EMAIL
        )
        notifications.register_kind("account", _("Account and security"), notifications.EMAIL)
