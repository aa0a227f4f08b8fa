from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Community")

    def ready(self):
        from community import receivers, selectors, slots  # noqa: F401 - selectors declares cached values
        from community.chat.services import NOTIFY_EMAIL_QUIET_SECONDS
        from portal.notifications import EMAIL, IN_APP, register_conversation_kind, register_kind
        from portal.private_media import register_private_folder
        from portal.rooms import register_live_count

        slots.register()
        receivers.connect()

        register_kind("forum_mention", _("Someone mentions me in the forums"))
        register_kind("forum_reply", _("New replies in topics I watch"))
        register_kind("forum_topic", _("New topics in categories I watch"))
        register_kind("forum_moderation", _("Moderation of my account"))
        register_kind("service_review", _("Reviews of my services and answers to my reviews"))
        register_conversation_kind("chat_direct", _("Direct messages to me"), EMAIL,
                                   email_quiet_seconds=NOTIFY_EMAIL_QUIET_SECONDS)
        register_conversation_kind("chat_mention", _("Someone mentions me in a chat"), IN_APP,
                                   email_quiet_seconds=NOTIFY_EMAIL_QUIET_SECONDS)
        register_private_folder("forum", _may_see_post_image)
        register_live_count(_chat_unread_frame)


def _chat_unread_frame(user) -> dict | None:
    from community.chat.unread import unread_total

    total = unread_total(user.pk)
    return {"type": "unread", "total": total} if total else None


def _may_see_post_image(user, name) -> bool:
    """A post's photo is seen by whoever may see the post."""
    from community.models import PostImage
    from community.permissions import can_see_post

    image = PostImage.objects.select_related("post__topic__forum").filter(image=name).first()
    return image is not None and can_see_post(user, image.post)
