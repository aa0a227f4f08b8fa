from django.utils.functional import SimpleLazyObject

from portal.services import unread_count


def portal(request):
    """Header data. The bell's count is lazy, so a page that never shows it never counts, and read
    once however often the template prints it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
