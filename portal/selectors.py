from django.core.paginator import Paginator

from portal.models import Notification, ProviderApplication, User


def list_notifications(user: User):
    return Notification.objects.filter(user=user)


def get_notifications_page(user: User, page: int | str | None, per_page: int = 20):
    return Paginator(list_notifications(user), per_page).get_page(page)


def get_latest_application(user: User) -> ProviderApplication | None:
    return ProviderApplication.objects.filter(user=user).first()


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
