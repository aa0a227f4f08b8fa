"""Chat pages and the JSON history endpoint; the socket does the live part."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from community.chat import selectors as chat_selectors
from community.chat import services as chat_services
from community.chat.models import Message
from community.errors import ChatError
from content.models import StorePage
from portal.errors import error_message
from portal.ids import parse_id
from portal.models import User


def _room_or_404(user, slug):
    room = chat_selectors.get_room(slug)
    if room is None:
        raise Http404
    return room, chat_services.can_join_room(user, room)


@login_required
@require_GET
def chat_index(request):
    rooms = list(chat_selectors.list_rooms(request.user))
    for room in rooms:
        room.display_title = chat_selectors.room_title(room, request.user)
    return render(request, "community/chat/index.html", {
        "rooms": rooms,
        "stores": StorePage.objects.live().order_by("title").only("pk", "title"),
        "allow_direct": chat_services.allows_direct(request.user),
    })


@login_required
@require_GET
def chat_room(request, room):
    room, allowed = _room_or_404(request.user, room)
    if not allowed:
        return render(request, "403.html", status=403)
    return render(request, "community/chat/room.html", {
        "room": room,
        "title": chat_selectors.room_title(room, request.user),
        "can_post": not request.user.is_suspended,
        "time_zone": chat_selectors.room_time_zone(room),
        # Where the unread divider goes as the page opens (the socket moves the marker on at once).
        "last_read": chat_selectors.read_seq(room, request.user),
    })


@login_required
@require_GET
def chat_history(request, room):
    room, allowed = _room_or_404(request.user, room)
    if not allowed:
        return JsonResponse({"error": "forbidden"}, status=403)
    try:
        before = int(request.GET.get("before", ""))
    except ValueError:
        return JsonResponse({"error": "bad_request"}, status=400)
    page = chat_selectors.list_messages_before(room, before)
    return JsonResponse({"messages": page, "more": bool(page) and page[0]["seq"] > 1})


@login_required
@require_POST
def chat_open_service(request):
    store_id = parse_id(request.POST.get("store"))
    store = StorePage.objects.live().filter(pk=store_id).first() if store_id else None
    if store is None:
        messages.error(request, _("Choose a store."))
        return redirect("community:chat_index")
    try:
        room = chat_services.open_service_room(member=request.user, store=store)
    except ChatError as exc:
        messages.error(request, error_message(exc))
        return redirect("community:chat_index")
    return redirect("community:chat_room", room=room.slug)


@login_required
@require_POST
def chat_open_object(request, kind, ref_id):
    try:
        room = chat_services.open_object_room(user=request.user, kind=kind, ref_id=ref_id)
    except ChatError:
        # Only a forged request gets here: the event page shows the button to those who may join.
        return render(request, "403.html", status=403)
    return redirect("community:chat_room", room=room.slug)


@login_required
@require_POST
def chat_open_direct(request, user_id):
    """The "Message" button beside a person (a post's author, a chat room's member list)."""
    try:
        room = chat_services.open_direct_room(
            user=request.user, other=User.objects.filter(pk=user_id).first())
    except ChatError as exc:
        messages.error(request, error_message(exc))
        back = request.headers.get("Referer", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            back = reverse("community:chat_index")
        return redirect(back)
    return redirect("community:chat_room", room=room.slug)


@login_required
@require_POST
def chat_settings(request):
    chat_services.set_allow_direct(user=request.user, allow=request.POST.get("allow_direct") == "on")
    messages.success(request, _("Chat settings saved."))
    return redirect("community:chat_index")


@login_required
@require_POST
def chat_moderate(request, message_id, action):
    """The moderation queue's buttons for a reported chat message."""
    if action not in ("delete", "dismiss"):
        raise Http404
    try:
        chat_services.moderate_reported_message(
            moderator=request.user, message_id=message_id, delete=action == "delete"
        )
    except ChatError:
        return render(request, "403.html", status=403)
    except Message.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("Message deleted.") if action == "delete" else _("Reports dismissed."))
    return redirect("community:moderation")
