from portal.services import unread_count


def portal(request):
    """Header data. The bell's count is a callable, so a page that never shows it never counts."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": lambda: unread_count(user)}
