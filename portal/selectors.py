from django.core.paginator import Paginator

from portal.caching import Key, kept
from portal.models import Notification, ProviderApplication, User

# A token per member for what /me/ shows of their notifications and provider application (two
# queries, a third of the dashboard's time, bench/cost.py): any write to either drops it.
DASHBOARD = Key("dashboard")
DASHBOARD.depends_on(Notification, "user_id")
DASHBOARD.depends_on(ProviderApplication, "user_id")
DASHBOARD_SECONDS = 600
RECENT_NOTIFICATIONS = 5


def list_notifications(user: User):
    return Notification.objects.filter(user=user)


def get_notifications_page(user: User, page: int | str | None, per_page: int = 20):
    return Paginator(list_notifications(user), per_page).get_page(page)


def get_latest_application(user: User) -> ProviderApplication | None:
    return ProviderApplication.objects.filter(user=user).first()


def dashboard_state(user: User) -> tuple[ProviderApplication | None, list[Notification]]:
    """The member's latest provider application and latest notifications, kept until either
    changes (DASHBOARD). Each notification's text is made when shown, in the reader's language."""
    def read():
        return (get_latest_application(user),
                list(list_notifications(user)[:RECENT_NOTIFICATIONS]))

    return kept(f"{DASHBOARD(user.pk)}:state", [DASHBOARD(user.pk)], read, DASHBOARD_SECONDS)


def list_pending_applications():
    return ProviderApplication.objects.filter(
        status=ProviderApplication.Status.PENDING
    ).select_related("user", "home_store")


def suspension_of(user) -> dict | None:
    """What a suspended member is told wherever they would act (includes/suspension_notice.html):
    until when and the moderator's reason; None for anyone not suspended."""
    if not user.is_authenticated or not user.is_suspended:
        return None
    return {"until": user.suspended_until, "note": user.suspension_note}
