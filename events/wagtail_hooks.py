from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from events import services
from events.models import EventPage, Reward
from events.rewards import admin_views as reward_admin_views


@hooks.register("after_publish_page")
def fill_seats_after_publish(request, page):
    # A published capacity increase hands the new seats to the waitlist (EventPage.clean refuses decreases).
    if isinstance(page, EventPage):
        services.promote_from_waitlist(event=page)


class RewardViewSet(SnippetViewSet):
    """Editors manage the rewards catalogue (permissions granted to Editors by events' migration)."""

    model = Reward
    icon = "pick"
    menu_label = _("Rewards")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["title", "kind", "points_cost", "stock", "audience", "available_until"]
    list_filter = ["kind", "audience", "welcome_gift"]


register_snippet(RewardViewSet)


@hooks.register("register_admin_urls")
def register_rewards_admin_urls():
    return [
        path("rewards/ledgers/", reward_admin_views.ledger_search, name="rewards_ledgers"),
        path("rewards/ledgers/<id:user_id>/", reward_admin_views.member_ledger,
             name="rewards_member_ledger"),
        path("rewards/reports/", reward_admin_views.reports, name="rewards_reports"),
    ]


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_moderator


@hooks.register("register_admin_menu_item")
def register_ledgers_menu_item():
    return ModeratorMenuItem(_("Points and reports"), reverse("rewards_ledgers"), icon_name="pick", order=910)
