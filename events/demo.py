"""Demo events at the demo stores, with a few registrations, and (with --scale) many events for
benchmarks; safe to run again."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from content.demo import home_page
from content.models import StorePage
from events import services
from events.models import EventIndexPage, EventPage, Registration, new_ticket_code
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
        event = index.add_child(instance=EventPage(
            title=title, slug=slug, store=stores[store_slug], kind=kind, capacity=capacity,
            start=start, end=start + timedelta(hours=2), audience=audience, summary=summary,
            registration_opens=timezone.now() - timedelta(days=1),
            registration_closes=start - timedelta(hours=2),
            cancellation_deadline=start - timedelta(days=1), reward_points=50,
        ))
        stdout.write(f"  created event {slug}")
        for member in User.objects.filter(groups__name="Members", is_superuser=False)[:3]:
            if audience == EventPage.Audience.MEMBERS:
                services.register_for_event(event=event, member=member)
    User.objects.filter(email="staff@tend.example").update(home_store=stores.get("xinyi"))
    if scale and stores:
        seed_bench_events(stdout, index, list(stores.values()), count=300 * scale)


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
