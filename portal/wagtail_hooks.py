"""Moderators review provider applications in the Wagtail admin."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from portal import admin_views


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "provider-applications/",
            admin_views.provider_applications,
            name="provider_applications",
        ),
        path(
            "provider-applications/<id:application_id>/",
            admin_views.provider_application_decide,
            name="provider_application_decide",
        ),
    ]


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_moderator


@hooks.register("register_admin_menu_item")
def register_applications_menu_item():
    return ModeratorMenuItem(
        _("Provider applications"),
        reverse("provider_applications"),
        icon_name="user",
        order=900,
    )
