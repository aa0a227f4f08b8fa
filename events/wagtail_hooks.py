from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from events import services
from events.models import EventPage, Reward


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
