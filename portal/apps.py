from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from allauth.account import signals as account_signals
        from django.contrib.auth.models import Group, Permission
        from django.contrib.auth.signals import user_logged_in, user_logged_out
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from django.urls import register_converter
        from wagtail.models import Page, Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from portal import cache, exports, ids, notifications, receivers, user_cache
        from portal.models import User
        from portal.private_media import register_private_folder

        # Before any URL pattern is built (URL confs and socket routes are imported after setup).
        register_converter(ids.IdConverter, "id")
        register_converter(ids.UnicodeSlugConverter, "uslug")
        exports.take_over_wagtail_exports()

        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(cache.page_changed, dispatch_uid=f"page-cache-{id(signal)}")
        post_delete.connect(cache.page_changed, sender=Page, dispatch_uid="page-cache-delete")
        # Routes keep the site they were found for (portal.views.serve).
        for signal in (post_save, post_delete):
            signal.connect(cache.page_changed, sender=Site, dispatch_uid=f"page-cache-site-{id(signal)}")
        post_save.connect(_live_page_created, dispatch_uid="page-cache-create")
        for through in (User.groups.through, User.user_permissions.through,
                        Group.permissions.through):
            m2m_changed.connect(user_cache.roles_changed, sender=through,
                                dispatch_uid=f"user-roles-{through._meta.label}")
        for signal in (post_save, post_delete):
            signal.connect(user_cache.user_changed, sender=User,
                           dispatch_uid=f"user-row-{id(signal)}")
        for signal, model in ((post_save, Group), (post_delete, Group), (post_delete, Permission)):
            signal.connect(user_cache.roles_changed, sender=model,
                           dispatch_uid=f"user-roles-{id(signal)}-{model._meta.label}")

        # Sockets end with their session (portal.receivers).
        user_logged_in.connect(receivers.session_signed_in, dispatch_uid="socket-session-in")
        user_logged_out.connect(receivers.session_signed_out, dispatch_uid="socket-session-out")
        user_logged_in.connect(receivers.language_kept, dispatch_uid="language-kept")
        account_signals.password_changed.connect(receivers.password_changed, dispatch_uid="socket-pw-change")
        account_signals.password_set.connect(receivers.password_changed, dispatch_uid="socket-pw-set")
        account_signals.password_reset.connect(receivers.password_reset, dispatch_uid="socket-pw-reset")
        post_save.connect(receivers.user_saved, sender=User, dispatch_uid="socket-user-saved")

        notifications.register_kind(
            "provider_application", _("Provider application decisions"), notifications.EMAIL
        )
        notifications.register_kind("account", _("Account and security"), notifications.EMAIL)
        register_private_folder("certificates", _may_see_certificate)


def _may_see_certificate(user, name) -> bool:
    """A certificate is for its applicant and the moderators who decide the application."""
    from portal.models import ProviderApplication

    if not user.is_authenticated:
        return False
    applications = ProviderApplication.objects.filter(certificate=name)
    return (applications if user.is_moderator else applications.filter(user=user)).exists()


def _live_page_created(sender, instance, created, **kwargs):
    """A page added already live (add_child in code, imports, demo data) sends no page_published."""
    from wagtail.models import Page

    from portal import cache

    if created and isinstance(instance, Page) and instance.live:
        cache.page_changed()
