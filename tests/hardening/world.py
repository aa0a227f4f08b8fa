"""The authorization matrix's world: two stores, one user per role, and objects that belong to `owner` (not
to any role), with the values each route's parameters take. Built by the hardening tests' `world` fixture
for each test, and once for the whole matrix (test_authorization_matrix.py)."""

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from community.chat.services import ensure_lounges, open_direct_room
from community.models import Category, Forum, MessageReport, ServiceReview, ServiceVisit
from events.models import EventIndexPage, EventPage
from events.rewards import services as reward_services
from portal.models import Notification, ProviderApplication
from tests.factories import (
    EditorFactory,
    MemberFactory,
    MessageFactory,
    ModeratorFactory,
    ProviderFactory,
    RegistrationFactory,
    RewardFactory,
    StaffFactory,
    StorePageFactory,
    make_topic,
    seed_forums,
)


def build_world(site_tree, store) -> dict:
    seed_forums()
    store_b = StorePageFactory(parent=store.get_parent(), title="Da'an", slug="daan")
    users = {
        "member": MemberFactory(email="member@example.com", display_name="Mei"),
        "provider": ProviderFactory(email="provider@example.com"),
        "staff_a": StaffFactory(email="staff-a@example.com", home_store=store, store=store),
        "staff_b": StaffFactory(email="staff-b@example.com", home_store=store_b, store=store_b),
        "editor": EditorFactory(email="editor@example.com"),
        "moderator": ModeratorFactory(email="moderator@example.com"),
        "suspended": MemberFactory(email="suspended@example.com", suspended=True),
    }
    owner = MemberFactory(email="owner@example.com", display_name="Owen")
    friend = ProviderFactory(email="friend@example.com", display_name="Fay")

    index = EventIndexPage.objects.first() or site_tree.add_child(
        instance=EventIndexPage(title="Events", slug="events"))
    now = timezone.now()
    event = index.add_child(instance=EventPage(
        title="Nail day", slug="nail-day", store=store, start=now + timedelta(days=3),
        end=now + timedelta(days=3, hours=2), capacity=5, registration_opens=now - timedelta(days=1),
        registration_closes=now + timedelta(days=2), cancellation_deadline=now + timedelta(days=2),
        audience=EventPage.Audience.MEMBERS,
    ))
    registration = RegistrationFactory(event=event, member=owner, ticket_code="OWNERTICKET1")
    notification = Notification.objects.create(user=owner, kind="system", message="Yours", url="/")
    ensure_lounges()
    room = open_direct_room(user=owner, other=friend)
    forum = Forum.objects.get(slug="members")
    category = Category.objects.filter(forum=forum).first()
    topic = make_topic(category, owner)
    post = topic.posts.first()
    visit = ServiceVisit.objects.create(member=owner, store=store, recorded_by=users["staff_a"],
                                        date=date.today())
    review = ServiceReview.objects.create(visit=visit, process=4, courtesy=4, technique=4, text="Fine",
                                          html="<p>Fine</p>")
    message = MessageFactory(room=room, seq=1, author=owner, client_id="m1", body="Hi")
    # Reported: the moderators' queue acts on reported messages only.
    MessageReport.objects.create(message=message, reporter=users["staff_a"], reason="rude")
    reward = RewardFactory(title="Gloss", points_cost=0, validity_days=90)
    coupon = reward_services.redeem_reward(member=owner, reward=reward)
    certificate = ProviderApplication.objects.create(
        user=owner, specialties="Nails", years_experience=1,
        certificate=ContentFile(b"\x89PNG", name="owner.png")).certificate
    args = {
        "notification_id": notification.pk,
        "review_id": review.pk,
        "message_id": message.pk,
        "reward_id": reward.pk,
        "code": registration.ticket_code,
        "slug": event.slug,
        "event_id": event.pk,
        "room": room.slug,
        "post_id": post.pk,
        "kind": "like",
        "topic_id": topic.pk,
        "category_id": category.pk,
        "action": "hide",
        "user_id": owner.pk,
        "visit_id": visit.pk,
        "forum": forum.slug,
        "key": "not-a-real-key",
        "uidb36": "zz",
        "restriction_id": 999_999,
        "page_view_restriction_id": 999_999,
        "page_id": site_tree.pk,
        "path": "missing.png",
        "name": certificate.name,
    }
    overrides = {
        "referral": {"code": owner.referral_code},
        "js_catalog": {"language": "zh-hant", "version": "0"},
        "community:topic": {"forum": forum.slug, "topic_id": topic.pk, "slug": topic.slug or "topic"},
        "community:topic_unread": {"forum": forum.slug, "topic_id": topic.pk,
                                   "slug": topic.slug or "topic"},
        "wagtaildocs_serve": ("999999", "missing.pdf"),
        "community:moderate_topic": {"topic_id": topic.pk, "action": "lock"},
        "community:chat_moderate": {"message_id": message.pk, "action": "dismiss"},
        "events:coupon": {"code": coupon.code},
        "community:chat_open_object": {"kind": "event", "ref_id": event.pk},
    }
    return {"users": users, "args": args, "overrides": overrides,
            "pages": ["/", store.url, store_b.url, event.url]}
