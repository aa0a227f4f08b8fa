"""Demo events at the demo stores, with a few registrations, a rewards catalogue, and (with --scale)
many events for benchmarks; safe to run again."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from content.demo import home_page
from content.models import ServiceCategory, StorePage
from events import reward_services, services
from events.models import (
    Coupon,
    EventIndexPage,
    EventPage,
    PointsEntry,
    Registration,
    Reward,
    new_ticket_code,
)
from portal.models import User

EVENTS = [
    ("gel-nail-experience-day", "Gel nail experience day 凝膠指甲體驗日", "xinyi", "experience_day", 3, 14, 8,
     "Try a long-lasting gel manicure and learn three steps to keep it 凝膠美甲三步驟保養。"),
    ("scalp-care-beta-test", "New scalp care beta test 頭皮養護新服務試做", "daan", "beta_test", 5, 19, 6,
     "Help us design our new scalp treatment 一起設計新的頭皮護理療程。"),
    ("members-tea-gathering", "Members' tea gathering 會員午茶聚會", "taichung", "gathering", 8, 15, 20,
     "Meet other members over tea and share your care routines 與會員們喝茶交流保養心得。"),
    ("provider-training-lash-lift", "Provider training: lash lift 美睫技師培訓", "xinyi", "training",
     10, 10, 12,
     "Hands-on training for verified providers 認證技師實作培訓。"),
]


def seed(stdout, scale: int = 0) -> None:
    home = home_page()
    index = EventIndexPage.objects.first()
    if index is None:
        index = home.add_child(instance=EventIndexPage(
            title="Events 活動", slug="events", intro="Experience days, meetups and trainings at our stores."
        ))
    stores = {store.slug: store for store in StorePage.objects.all()}
    today = timezone.localdate()
    for slug, title, store_slug, kind, days, hour, capacity, summary in EVENTS:
        if EventPage.objects.filter(slug=slug).exists() or store_slug not in stores:
            continue
        start = timezone.make_aware(datetime.combine(today + timedelta(days=days), time(hour)))
        audience = EventPage.Audience.PROVIDERS if kind == "training" else EventPage.Audience.MEMBERS
        event = EventPage(
            title=title, slug=slug, store=stores[store_slug], kind=kind, capacity=capacity,
            start=start, end=start + timedelta(hours=2), audience=audience, summary=summary,
            registration_opens=timezone.now() - timedelta(days=1),
            registration_closes=start - timedelta(hours=2),
            cancellation_deadline=start - timedelta(days=1), reward_points=50,
        )
        # The store's own practitioners take part, so their pages list the event.
        event.practitioners = list(stores[store_slug].practitioners.order_by("title")[:2])
        index.add_child(instance=event)
        stdout.write(f"  created event {slug}")
        for member in User.objects.filter(groups__name="Members", is_superuser=False)[:3]:
            if audience == EventPage.Audience.MEMBERS:
                services.register_for_event(event=event, member=member)
    User.objects.filter(email="staff@tend.example").update(home_store=stores.get("xinyi"))

    _seed_rewards(stdout)
    if scale and stores:
        seed_bench_events(stdout, index, list(stores.values()), count=300 * scale)


# title, service category (content.demo.CATEGORIES), kind, percent off, amount off, uses, points cost,
# stock, welcome gift
REWARDS = [
    ("Free trial manicure 免費體驗美甲", "nails", "gift", None, None, 1, 0, None, True),
    ("10% off any nail service 美甲九折", "nails", "coupon", 10, None, 1, 100, None, False),
    ("NT$200 off a scalp treatment 頭皮護理折抵200元", "hair-scalp", "coupon", None, 200, 1, 250, 50,
     False),
    ("Five manicures card 美甲五次卡", "nails", "service_card", None, None, 5, 800, 20, False),
]


def _seed_rewards(stdout) -> None:
    services_by_slug = {category.slug: category for category in ServiceCategory.objects.all()}
    for title, service, kind, percent, amount, uses, cost, stock, welcome in REWARDS:
        _reward, created = Reward.objects.get_or_create(title=title, defaults={
            "kind": kind, "percent_off": percent, "amount_off": amount, "uses": uses, "points_cost": cost,
            "stock": stock, "welcome_gift": welcome, "service": services_by_slug.get(service),
            "validity_days": 60,
            "description": "Show the QR code at any Tend store 到任一門市出示 QR 碼即可使用。",
        })
        if created:
            stdout.write(f"  created reward {title}")
    member = User.objects.filter(email="member@tend.example").first()
    if member is None:
        return
    # Keyed lines only, so a second run finds them and changes nothing.
    PointsEntry.objects.get_or_create(
        user=member, reason=PointsEntry.Reason.FIRST_ATTENDANCE, source_type="user", source_id=member.pk,
        defaults={"amount": reward_services.FIRST_ATTENDANCE_BONUS},
    )
    PointsEntry.objects.get_or_create(
        user=member, reason=PointsEntry.Reason.ADJUSTMENT, source_type="demo", source_id=1,
        defaults={"amount": 300, "note": "Demo points"},
    )
    reward_services.issue_welcome_coupon(user=member)
    if not Coupon.objects.filter(owner=member, origin=Coupon.Origin.REDEMPTION).exists():
        reward_services.redeem_reward(member=member, reward=Reward.objects.get(title=REWARDS[1][0]))


def seed_bench_events(stdout, index, stores, *, count: int) -> None:
    """`bench-event-N`, half past and half to come, across the stores, each with a few confirmed
    members (bulk: no ticket e-mails). Wagtail pages need add_child, which keeps it to seconds."""
    existing = EventPage.objects.filter(slug__startswith="bench-event-").count()
    if existing >= count:
        return
    members = list(User.objects.filter(email__startswith="bench-").order_by("pk")[:10])
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    kinds = [kind for kind in EventPage.Kind.values if kind != EventPage.Kind.TRAINING]
    for n in range(existing, count):
        start = now + timedelta(days=n - count // 2, hours=n % 6)
        event = index.add_child(instance=EventPage(
            title=f"Bench event {n} 活動", slug=f"bench-event-{n}", store=stores[n % len(stores)],
            kind=kinds[n % len(kinds)], capacity=20, start=start, end=start + timedelta(hours=2),
            audience=EventPage.Audience.MEMBERS, summary="A benchmark event 基準測試活動。",
            registration_opens=start - timedelta(days=30), registration_closes=start,
            cancellation_deadline=start - timedelta(days=1), reward_points=10,
        ))
        Registration.objects.bulk_create(
            Registration(event=event, member=member, status=Registration.Status.CONFIRMED,
                         ticket_code=new_ticket_code(), confirmed_at=event.registration_opens)
            for member in members[: n % 10]
        )
    stdout.write(f"  {count - existing} bench events")
