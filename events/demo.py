"""Demo events at the demo stores, with a few registrations; safe to run again."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from content.demo import home_page
from content.models import StorePage
from events import services
from events.models import EventIndexPage, EventPage
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
