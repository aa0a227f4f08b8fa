"""Demo events at the demo stores: events to come with a few registrations, past events with their
attendees' photos and ratings, each with a cover drawn for its kind; a rewards catalogue; and (with
--scale) many events for benchmarks. Safe to run again."""

from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from content import demo_art
from content.demo import STORES, draw_image, home_page
from content.models import ServiceCategory, StorePage
from events import services
from events.models import (
    CheckIn,
    Coupon,
    EventIndexPage,
    EventPage,
    EventPhoto,
    EventRating,
    PointsEntry,
    Registration,
    Reward,
    new_ticket_code,
)
from events.rewards import services as reward_services
from portal.models import User
from portal.progress import progress

STEP = "Events, past events with photos and ratings, rewards"

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

# Ended events: slug, title, store, kind, days ago, hour, capacity, summary, photo captions,
# ratings (score, text) in the attendees' order.
PAST_EVENTS = [
    ("autumn-nail-art-workshop", "Autumn nail art workshop 秋季手繪指彩工作坊", "xinyi", "experience_day",
     18, 14, 10, "Maple reds and hand-painted leaves for the season 楓紅與手繪葉片的秋季指彩。",
     ["Our maple-red sets 大家的楓紅指彩", "Ya-Ting showing the leaf brush stroke 雅婷示範葉片筆觸"],
     [(5, "Ya-Ting made hand-painting look easy, and mine still looks great. 雅婷老師教得好清楚！"),
      (4, "Lovely afternoon; I wish it were a little longer. 很愉快的下午，希望時間再長一點。"),
      (5, "Came alone and left with two new friends. 一個人來，帶著兩個新朋友回家。")]),
    ("scalp-care-open-day", "Scalp care open day 頭皮護理開放日", "daan", "beta_test", 33, 11, 8,
     "A free scalp check under the microscope and a short massage 顯微鏡頭皮檢測與舒壓按摩。",
     ["Seeing my scalp under the microscope 第一次在顯微鏡下看頭皮", "The quiet room at Da'an 大安店的包廂"],
     [(5, "Hao explained everything he saw. I booked a full treatment. 陳浩解說得很仔細，已經預約完整療程。"),
      (4, "Very relaxing; the wait at the start was a bit long. 很放鬆，只是一開始等了一下。")]),
    ("family-care-afternoon", "Family care afternoon 親子保養午後", "taichung", "gathering", 9, 15, 16,
     "Hand care for parents and a first polish for the little ones 爸媽的手部保養，孩子的第一次指彩。",
     ["Tea and biscuits in the family corner 親子區的午茶", "Three generations at one table 三代同桌"],
     [(5, "My daughter has not stopped showing everyone her nails. 女兒一直向大家展示她的指甲。"),
      (5, "Warm, unhurried, and the tea was good too. 溫暖不趕時間，茶也很好喝。"),
      (4, "Great for kids; a bit noisy for grandma. 很適合小孩，對奶奶來說有點吵。")]),
    ("winter-routines-meetup", "Winter routines meetup 冬季保養交流會", "daan", "meetup", 52, 19, 12,
     "Members swap their winter hand and foot routines 會員交流冬天的手足保養心得。",
     ["Swapping hand creams 交換護手霜"],
     [(4, "Practical tips from real members, not an ad. 真實會員的實用分享，不是廣告。"),
      (5, "Mei-Ling answered every foot care question. 美玲回答了所有足部問題。")]),
]
# Attendees of the ended events besides the demo logins: members who only show by name.
GUESTS = [("amber.tsai@tend.example", "Amber Tsai 蔡安柏"), ("kevin.lo@tend.example", "Kevin Lo 羅凱文")]
PALETTE_OF_STORE = {row[0]: row[6] for row in STORES}


def seed(stdout, scale: int = 0) -> None:
    home = home_page()
    index = EventIndexPage.objects.first()
    if index is None:
        index = home.add_child(instance=EventIndexPage(
            # No intro: the page then says its house line in the reader's language.
            title="Events 活動", slug="events",
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
            cover_image=_cover(title, store_slug, kind),
        )
        # The store's own practitioners take part, so their pages list the event.
        event.practitioners = list(stores[store_slug].practitioners.order_by("title")[:2])
        index.add_child(instance=event)
        stdout.write(f"  created event {slug}")
        for member in User.objects.filter(groups__name="Members", is_superuser=False)[:3]:
            if audience == EventPage.Audience.MEMBERS:
                services.register_for_event(event=event, member=member)
    User.objects.filter(email="staff@tend.example").update(home_store=stores.get("xinyi"))
    _seed_past_events(stdout, index, stores, today)
    # Events from an older demo database get their covers too.
    for event in EventPage.objects.filter(cover_image__isnull=True, slug__in=[row[0] for row in EVENTS]):
        cover = _cover(event.title, event.store.slug, event.kind)
        EventPage.objects.filter(pk=event.pk).update(cover_image=cover)

    _seed_rewards(stdout)
    if scale and stores:
        seed_bench_events(stdout, index, list(stores.values()), count=300 * scale)


def _cover(title, store_slug, kind):
    return draw_image(f"{title} cover", PALETTE_OF_STORE.get(store_slug, "rose"), kind="event", variant=kind,
                      seed=sum(map(ord, title)) % 1000)


def _seed_past_events(stdout, index, stores, today) -> None:
    """Ended events, attended (checked in by the store's staff), with approved photos and ratings, and
    one photo left for the moderator. No ticket e-mails, no points: they happened before the demo."""
    people = {u.email: u for u in User.objects.filter(email__endswith="@tend.example")}
    for email, name in GUESTS:
        if email not in people:
            guest = User(email=email, display_name=name)
            guest.set_unusable_password()
            guest.save()
            people[email] = guest
    attendees = [people.get(email) for email in ("member@tend.example", "member2@tend.example",
                                                 *(email for email, _name in GUESTS))]
    attendees = [person for person in attendees if person is not None]
    staff, moderator = people.get("staff@tend.example"), people.get("moderator@tend.example")
    for number, row in enumerate(PAST_EVENTS):
        slug, title, store_slug, kind, days_ago, hour, capacity, summary, captions, ratings = row
        if EventPage.objects.filter(slug=slug).exists() or store_slug not in stores:
            continue
        start = timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(hour)))
        event = EventPage(
            title=title, slug=slug, store=stores[store_slug], kind=kind, capacity=capacity, start=start,
            end=start + timedelta(hours=2), audience=EventPage.Audience.MEMBERS, summary=summary,
            registration_opens=start - timedelta(days=30), registration_closes=start - timedelta(hours=2),
            cancellation_deadline=start - timedelta(days=1), reward_points=50,
            cover_image=_cover(title, store_slug, kind),
        )
        event.practitioners = list(stores[store_slug].practitioners.order_by("title")[:2])
        index.add_child(instance=event)
        # A different few attend each event; the first member of the list came to every one.
        came = [attendees[0]] + attendees[1 + number % 2::2][: len(ratings) - 1] if attendees else []
        for member in came:
            registration = Registration.objects.create(
                event=event, member=member, status=Registration.Status.ATTENDED,
                queued_at=start - timedelta(days=7), confirmed_at=start - timedelta(days=7),
                ticket_code=new_ticket_code())
            CheckIn.objects.create(registration=registration, checked_in_by=staff,
                                   checked_in_at=start + timedelta(minutes=5))
        for member, (score, text) in zip(came, ratings, strict=False):
            EventRating.objects.create(event=event, member=member, score=score, text=text,
                                       created_at=event.end + timedelta(hours=3))
        palette = PALETTE_OF_STORE.get(store_slug, "rose")
        for k, caption in enumerate(captions):
            author = came[k % len(came)] if came else None
            if author is None:
                break
            picture = demo_art.draw("photo", palette, seed=number * 10 + k, size=(960, 720), variant=kind)
            EventPhoto.objects.create(
                event=event, author=author, caption=caption,
                image=ContentFile(demo_art.jpeg(picture), name=f"demo-{slug}-{k}.jpg"),
                created_at=event.end + timedelta(hours=1),
                approved_at=None if (number, k) == (0, 1) else event.end + timedelta(hours=5),
                approved_by=None if (number, k) == (0, 1) else moderator)
        stdout.write(f"  created past event {slug}")


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
    bar = progress(stdout, "events", count - existing)
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
        bar.advance()
    bar.done()
