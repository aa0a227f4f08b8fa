"""Bilingual demo topics by the demo members and provider, and (with --scale) a large forum for
benchmarks. Safe to run again."""

import datetime
from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

from community import services
from community.chat import demo as chat_demo
from community.models import Category, Post, ReviewAnswer, ServiceReview, Topic, Watch
from content.models import StorePage
from portal.models import User
from portal.progress import progress
from portal.sanitize import render_markdown

STEP = "Forums, chat and a service review"

TOPICS = [
    ("members", 0, "member@tend.example", "Gel manicure after two weeks 凝膠美甲兩週後",
     "Two weeks after my visit and still no chips! 兩週了還沒有剝落 💅\n\n"
     "**Tip:** base coat + cuticle oil every night.",
     [("member2@tend.example", "Looks great! Which colour is it? 好美，是哪個顏色？"),
      ("provider@tend.example", "Thank you @member! Keep the cuticle oil going. 記得每天擦指緣油喔！")]),
    ("members", 1, "member2@tend.example", "First time for a home visit? 第一次預約到府服務？",
     "What should I prepare before the technician arrives? 技師到府前需要準備什麼？",
     [("member@tend.example", "A table near a window and good light. 靠窗的桌子、光線充足就好。")]),
    ("members", 2, "member@tend.example", "Hand care in winter 冬天的手部保養",
     "My hands get so dry in December. Any routine? 十二月手超乾，大家怎麼保養？", []),
    ("providers", 0, "provider@tend.example", "Faster cuticle prep 更快的指緣處理",
     "I save five minutes per client with a damp-towel step first. 先用溫毛巾可以省五分鐘。", []),
    ("providers", 2, "provider@tend.example", "Evening shifts 晚班太多",
     "Can we rotate Friday evenings fairly? 週五晚班可以公平輪流嗎？", []),
]


def seed(stdout, scale: int = 0) -> None:
    users = {u.email: u for u in User.objects.filter(email__endswith="@tend.example")}
    for forum_slug, position, email, title, body, replies in TOPICS:
        author = users.get(email)
        category = Category.objects.filter(forum__slug=forum_slug).order_by("position")[
            position:position + 1].first()
        if author is None or category is None or Topic.objects.filter(title=title).exists():
            continue
        topic = Topic.objects.create(forum=category.forum, category=category, author=author,
                                     title=title, slug=slugify(title, allow_unicode=True)[:80])
        Post.objects.create(topic=topic, author=author, source=body, html=render_markdown(body))
        Watch.objects.get_or_create(user=author, topic=topic)
        for reply_email, text in replies:
            if reply_email in users:
                Post.objects.create(topic=topic, author=users[reply_email], source=text,
                                    html=render_markdown(text))
        stdout.write(f"  topic {title}")
    _seed_review(users, stdout)
    chat_demo.seed(stdout, scale=scale)
    if scale:
        seed_bench_topics(stdout, topics=2_000 * scale, posts_per_topic=25)


def _seed_review(users, stdout) -> None:
    """Xinyi's staff record a visit; the member reviews the practitioner, the staff answer."""
    staff, member = users.get("staff@tend.example"), users.get("member@tend.example")
    store = StorePage.objects.live().filter(slug="xinyi").first()
    if staff is None or member is None or store is None:
        return
    practitioner = store.practitioners.live().order_by("title").first()
    visit = services.record_service_visit(staff=staff, member=member, store=store,
                                          date=datetime.date(2026, 11, 1),
                                          practitioner=practitioner)
    review = ServiceReview.objects.filter(visit=visit).first()
    if review is None:
        review = services.create_service_review(
            member=member, visit=visit, process=5, courtesy=5, technique=4,
            text="Careful and gentle, my gel lasted three weeks. 很細心，凝膠撐了三週！")
        stdout.write("  review of Xinyi")
    if not ReviewAnswer.objects.filter(review=review).exists():
        services.answer_review(author=staff, review=review,
                               text="Thank you! See you next time. 謝謝您，下次見！")


BENCH_BODY = "Bench post: **gel** care after two weeks, cuticle oil every night. 兩週後的保養心得。"


def seed_bench_topics(stdout, *, topics: int, posts_per_topic: int) -> None:
    """`Bench topic N` in the members' forum by the bench members, bulk-inserted: no notifications,
    no per-row rendering (one rendered body shared). Activity spreads over the last 60 days, so the
    home page's busy topics and the topic list see realistic dates."""
    existing = Topic.objects.filter(title__startswith="Bench topic ").count()
    if existing >= topics:
        return
    authors = list(User.objects.filter(email__startswith="bench-").order_by("pk")
                   .values_list("pk", flat=True)[:2_000])
    categories = list(Category.objects.filter(forum__slug="members").order_by("position"))
    if not authors or not categories:
        return
    html = render_markdown(BENCH_BODY)
    now = timezone.now()
    bar = progress(stdout, "forum topics", topics - existing)
    for start in range(existing, topics, 500):
        batch = []
        for n in range(start, min(start + 500, topics)):
            last = now - timedelta(minutes=43 * n)
            category = categories[n % len(categories)]
            batch.append(Topic(
                forum_id=category.forum_id, category=category, author_id=authors[n % len(authors)],
                title=f"Bench topic {n}", slug=f"bench-topic-{n}",
                created_at=last - timedelta(hours=posts_per_topic), last_post_at=last,
            ))
        Topic.objects.bulk_create(batch)
        Post.objects.bulk_create(
            (Post(topic=topic, author_id=authors[(topic.pk + k) % len(authors)], source=BENCH_BODY,
                  html=html, created_at=topic.created_at + timedelta(hours=k))
             for topic in batch for k in range(posts_per_topic)),
            batch_size=5_000,
        )
        bar.advance(len(batch))
    bar.done()
