"""Reads shaped for the forum pages: a fixed number of queries whatever the page size."""

from datetime import datetime, timedelta
from typing import NamedTuple

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import (
    Avg,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    prefetch_related_objects,
)
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from community import permissions
from community.chat_models import Message, MessageReport
from community.models import (
    Category,
    Forum,
    ModerationAction,
    Post,
    PostImage,
    Reaction,
    Report,
    ReviewAnswer,
    ServiceReview,
    ServiceVisit,
    Topic,
    TopicRead,
    Watch,
)
from content.selectors import staffed_store_ids
from portal.caching import Key, digest, kept
from portal.caching.pages import GENERATION
from portal.models import User
from portal.queries import count_per_row
from portal.sanitize import MENTION

POSTS_PER_PAGE = 20
TOPICS_PER_PAGE = 50

FORUMS = Key("community:forums")
FORUMS_KEY = FORUMS()
FORUMS.depends_on(Forum)
FORUMS.depends_on(Category)
# A bound for changes no signal reports: a data migration's, made with historical models.
FORUMS_SECONDS = 600


def _forums() -> list[Forum]:
    """Every forum with its categories, in order: a handful of rows that change only when an editor
    changes them, yet two queries on every forum page (`make bench`). Kept in the cache and dropped
    when a forum or a category is written (FORUMS)."""
    forums = cache.get(FORUMS_KEY)
    if forums is None:
        forums = list(Forum.objects.prefetch_related("categories"))
        cache.set(FORUMS_KEY, forums, FORUMS_SECONDS)
    return forums


def list_forums(user):
    return [forum for forum in _forums() if permissions.can_read_forum(user, forum)]

def readable_forum_ids(user) -> list[int]:
    return [forum.pk for forum in list_forums(user)]

def list_readable_topics(user):
    """The topics this user may see in the forums they may read (permissions.can_see_topic): plain
    members never see providers' topics, hidden ones, or held ones but their own."""
    topics = Topic.objects.filter(forum__in=readable_forum_ids(user)).select_related("forum")
    if permissions.is_moderator(user):
        return topics
    topics = topics.filter(hidden=False)
    if not user.is_authenticated:
        return topics.filter(held=False)
    return topics.filter(Q(held=False) | Q(author=user))


def list_matching_topics(*, user, words: list[str], limit: int):
    """The topics this user may see whose title or one of the posts they may read holds every
    word: a held, hidden or deleted post's text finds nothing for those who may not read it."""
    posts = Post.objects.filter(_visible_posts(user), topic=OuterRef("pk"))
    if not permissions.is_moderator(user):
        posts = posts.filter(deleted_at__isnull=True)
    condition = Q()
    for word in words:
        condition &= Q(title__icontains=word) | Exists(posts.filter(source__icontains=word))
    return list(list_readable_topics(user).filter(condition)[:limit])


def list_busy_topics(*, user, limit: int = 5):
    """The most replied-to topics of the last two weeks, for the home page. Never a held topic,
    even its author's: the list is shared by every reader of the same forums (community.slots),
    and a held topic has no published post to be busy with."""
    since = timezone.now() - timedelta(days=14)
    return list(
        list_readable_topics(user)
        .filter(last_post_at__gte=since, held=False)
        .annotate(post_count=Count("posts", filter=Q(posts__status=Post.Status.PUBLISHED,
                                                     posts__deleted_at__isnull=True)))
        .select_related("author")
        .order_by("-post_count", "-last_post_at")[:limit]
    )


def _published_post_count():
    return count_per_row(
        Post.objects.filter(status=Post.Status.PUBLISHED, deleted_at__isnull=True), "topic")

def get_forum(slug: str) -> Forum:
    """The forum with its categories (list_categories reads no more)."""
    forum = next((forum for forum in _forums() if forum.slug == slug), None)
    if forum is None:
        raise Http404
    return forum

def list_categories(forum: Forum):
    return list(forum.categories.all())

def _visible_posts(user) -> Q:
    if permissions.is_moderator(user):
        return Q()
    visible = Q(status=Post.Status.PUBLISHED)
    if user.is_authenticated:
        visible |= Q(status=Post.Status.HELD, author=user)
    return visible

ROW_FIELDS = ("pk", "slug", "title", "pinned", "locked", "hidden", "held", "last_post_at",
              "category_id", "author_id", "author__display_name", "author__email", "post_count",
              "last_poster_name", "last_poster_email", "last_post_shown_at")


def _list_topics(*, forum: Forum, moderator: bool, category: Category | None):
    """The forum's topics as dicts of ROW_FIELDS (_topic_values): the same for every reader
    (moderators also see hidden and held topics)."""
    topics = Topic.objects.filter(forum=forum)
    if not moderator:
        topics = topics.filter(hidden=False, held=False)
    return _topic_values(topics, category)


def _topic_values(topics, category: Category | None):
    """Topics as dicts of ROW_FIELDS, newest first, with their published post count, newest
    published post, and the author and time of the newest one readers see (last poster)."""
    shown = Post.objects.filter(topic=OuterRef("pk"), status=Post.Status.PUBLISHED,
                                deleted_at__isnull=True).order_by("-pk")
    topics = (
        topics
        # A subquery, not a join and GROUP BY: only the page's 50 topics are counted (the join
        # counted every post of the forum, 50,000 in `make bench`'s set, for each page view).
        .annotate(
            post_count=_published_post_count(),
            newest_post=Subquery(
                Post.objects.filter(topic=OuterRef("pk"), status=Post.Status.PUBLISHED)
                .order_by("-pk").values("pk")[:1]
            ),
            # Subqueries of the same read, not a query per row.
            last_poster_name=Subquery(shown.values("author__display_name")[:1]),
            last_poster_email=Subquery(shown.values("author__email")[:1]),
            last_post_shown_at=Subquery(shown.values("created_at")[:1]),
        )
        .order_by("-pinned", "-last_post_at", "-pk")
    )
    if category is not None:
        topics = topics.filter(category=category)
    # Plain values: building 50 topics with 50 users and categories was a quarter of the signed-in
    # topic list's time (py-spy on `make bench`); the category's name comes from the forum.
    return topics.values(*ROW_FIELDS, "newest_post")


def topic_list_page(*, forum: Forum, user, category: Category | None, page_number):
    """One page of the forum's topic list: the page, its rows (topic_rows) and their key. The
    page's topics are the same for every reader in the same position (moderator or not): reading
    them was half the list's time (`make bench`), so they are kept until a topic of the forum
    changes (FORUM) or an author's name does (PEOPLE); only the reader's read marks
    are read for each view. Held topics are not in the shared list but a moderator's: their
    authors (`held_by`, kept with it) also see their own at the head of the first page."""
    moderator = permissions.is_moderator(user)
    number = _page_number(page_number)

    def read():
        page = Paginator(_list_topics(forum=forum, moderator=moderator, category=category),
                         TOPICS_PER_PAGE).get_page(number)
        held_by = set() if moderator else set(
            Topic.objects.filter(forum=forum, held=True, hidden=False)
            .values_list("author_id", flat=True))
        return page.paginator.count, page.number, list(page.object_list), held_by

    count, number, topics, held_by = kept(
        f"community:topics:{forum.pk}:{category.pk if category else 0}:{int(moderator)}:"
        f"{number}", [FORUM(forum.pk), PEOPLE_KEY], read, PAGE_SECONDS)
    if user.pk in held_by and number == 1:
        topics = list(_topic_values(
            Topic.objects.filter(forum=forum, author=user, held=True, hidden=False), category
        )) + topics
    page = _kept_page(count, number, topics, TOPICS_PER_PAGE)
    last_read = {}
    if user.is_authenticated:
        last_read = dict(TopicRead.objects.filter(user=user, topic__in=[t["pk"] for t in topics])
                         .values_list("topic_id", "last_read_post_id"))
    return (page, *topic_rows(page, forum, last_read, reader_id=user.pk))


class TopicRow(NamedTuple):
    """What a topic list shows of a topic."""

    pk: int
    forum_slug: str
    slug: str
    title: str
    pinned: bool
    locked: bool
    hidden: bool
    held: bool
    unread: bool
    new: bool
    last_post_at: datetime
    post_count: int
    author_name: str
    category_name: str
    last_poster_name: str

    @property
    def url(self) -> str:
        """Reversed only when the rows are rendered."""
        return Topic.address(self.forum_slug, self.pk, self.slug)


def topic_rows(topics, forum: Forum, last_read: dict,
               reader_id: int | None = None) -> tuple[list[TopicRow], str]:
    """One topic-list page's rows, each marked `unread` (new posts since the reader's last visit)
    or, for a signed-in reader (`reader_id`), `new` (never opened, and not theirs), and a name for
    their rendering made of everything a row shows: a cached copy is never stale, since a reply,
    an edit, a pin or a renamed author or category names other rows. Rendering the 50 rows was
    most of a signed-in topic list's time (`make bench`); readers with the same marks share a
    copy."""
    categories = {category.pk: category.name for category in forum.categories.all()}
    rows = []
    for topic in topics:
        read, newest = last_read.get(topic["pk"]), topic["newest_post"]
        rows.append(TopicRow(
            pk=topic["pk"], forum_slug=forum.slug, slug=topic["slug"],
            title=topic["title"], pinned=topic["pinned"], locked=topic["locked"],
            hidden=topic["hidden"], held=topic["held"],
            unread=read is not None and newest is not None and newest > read,
            new=(reader_id is not None and read is None and newest is not None
                 and topic["author_id"] != reader_id),
            last_post_at=topic["last_post_shown_at"] or topic["last_post_at"],
            post_count=topic["post_count"],
            author_name=User.display_name_of(topic["author__display_name"],
                                             topic["author__email"]),
            category_name=categories.get(topic["category_id"], ""),  # "" until the cache knows it
            last_poster_name=User.display_name_of(topic["last_poster_name"],
                                                  topic["last_poster_email"])
            if topic["last_poster_email"] else "",
        ))
    return rows, digest(rows)


# A topic's linked pages show a title and a link: joining the three page models' ~40 columns
# each was a third of the topic view's time (cProfile on `make bench`'s topic).
LINKED_PAGES = ("store", "practitioner", "event")


# A token for what a reader's view of a topic shows of them: their read mark, watch and reactions.
READER = Key("community:reader")
READER.depends_on(TopicRead, "user_id", "topic_id")
READER.depends_on(Watch, "user_id", "topic_id")  # a category's watch has no topic: none dropped
READER.depends_on(Reaction, "user_id", "post__topic_id")


def _reader_state(found: dict, user, topic_id: int) -> dict:
    """The reader's read mark (`last_read`), watch (`watching`) and reactions in the topic
    (`my_kinds`: post id -> kinds), kept under the reader's token for the topic."""
    def read():
        mine = {}
        for post_id, kind in Reaction.objects.filter(user=user, post__topic=topic_id).values_list(
                "post_id", "kind"):
            mine.setdefault(post_id, set()).add(kind)
        return {
            "last_read": TopicRead.objects.filter(user=user, topic=topic_id)
            .values_list("last_read_post_id", flat=True).first(),
            "watching": Watch.objects.filter(user=user, topic=topic_id).exists(),
            "my_kinds": mine,
        }

    key = READER(user.pk, topic_id)
    return kept(f"{key}:state", [key], read, PAGE_SECONDS, found=found)


def find_topic(*, forum: Forum, topic_id: int, user) -> Topic | None:
    """The topic of `forum` (from get_forum, with its categories: neither is joined) and, for a
    signed-in reader, their read mark (`last_read`), watch (`watching`) and reactions
    (`my_kinds`); None when there is none or this reader may not see it (hidden, or held and not
    theirs: permissions.can_see_topic). Whether the reader
    may read the forum is the caller's to ask. The topic is kept under its token (TOPIC), the
    reader's part under theirs (READER): a topic page reads nothing else of them."""
    keys = [TOPIC(topic_id), f"community:topic-row:{topic_id}"]
    if user.is_authenticated:
        keys += [READER(user.pk, topic_id), f"{READER(user.pk, topic_id)}:state"]
    found = cache.get_many(keys)  # the topic's and the reader's parts in one round trip
    topic = kept(f"community:topic-row:{topic_id}", [TOPIC(topic_id)],
                 Topic.objects.filter(pk=topic_id).first, PAGE_SECONDS, found=found)
    if topic is None or topic.forum_id != forum.pk:
        return None
    topic.forum = forum
    if not permissions.can_see_topic(user, topic):
        return None
    state = _reader_state(found, user, topic_id) if user.is_authenticated else {}
    topic.last_read = state.get("last_read")
    topic.watching = state.get("watching", False)
    topic.my_kinds = state.get("my_kinds", {})
    # From the cached forum; a category it does not know yet (one no signal reported) is read.
    category = next((c for c in forum.categories.all() if c.pk == topic.category_id), None)
    if category is not None:
        topic.category = category
    # Most topics link no page, and an empty prefetch still cost half the topic's read.
    linked = [
        Prefetch(name, Topic._meta.get_field(name).related_model.objects.only("title", "url_path"))
        for name in LINKED_PAGES if getattr(topic, f"{name}_id")
    ]
    if linked:
        prefetch_related_objects([topic], *linked)
    return topic


PAGE_SECONDS = 600
# A token for what a topic's pages show: its posts, their status, photos and reactions.
TOPIC = Key("community:topic")
TOPIC.depends_on(Topic, "pk")
TOPIC.depends_on(Post, "topic_id")
TOPIC.depends_on(PostImage, "post__topic_id")
TOPIC.depends_on(Reaction, "post__topic_id")
# A token for what a forum's topic list shows of its topics (title, marks, category, post count,
# last post): photos and reactions are not in it. A topic moved by update() drops both forums'.
FORUM = Key("community:forum")
FORUM.depends_on(Topic, "forum_id")
FORUM.depends_on(Post, "topic__forum_id")
# A token for what a post and a topic row show of their authors: their name, avatar and marks.
PEOPLE = Key("community:people")
PEOPLE_KEY = PEOPLE()
SHOWN_USER_FIELDS = frozenset({"display_name", "email", "avatar", "provider_tier", "badges"})
PEOPLE.depends_on(User, fields=SHOWN_USER_FIELDS)


def _page_number(page_number) -> str:
    """A page number for a cache key: what Paginator.get_page would take (anything else is 1)."""
    return str(page_number) if str(page_number).isdigit() else "1"


def _kept_page(count: int, number: int, items: list, per_page: int):
    """A Paginator page of kept items, for the pagination links."""
    page = Paginator(range(count), per_page).page(number)
    page.object_list = items
    return page


def _read_page(posts, page_number):
    """One page of `posts` with authors, photos and reaction counts (`likes`, `helpfuls`)."""
    page = Paginator(posts.order_by("pk"), POSTS_PER_PAGE).get_page(page_number)
    page.object_list = posts = list(page.object_list.select_related("author"))
    ids = [post.pk for post in posts]
    # Each post's `photos`: one plain read, a third of prefetch_related's cost for the usual none.
    photos = {}
    for image in PostImage.objects.filter(post__in=ids).order_by("pk"):
        photos.setdefault(image.post_id, []).append(image)
    # The page's reactions counted in one small grouped read: two count subqueries per post cost
    # more to build and plan than to run (`make bench`).
    reactions = (Reaction.objects.filter(post__in=ids).order_by().values_list("post_id", "kind")
                 .annotate(n=Count("pk")))
    counts = {(post_id, kind): n for post_id, kind, n in reactions}
    for post in posts:
        post.photos = photos.get(post.pk, [])
        post.likes = counts.get((post.pk, Reaction.Kind.LIKE), 0)
        post.helpfuls = counts.get((post.pk, Reaction.Kind.HELPFUL), 0)
    return page


def _shared_page(topic: Topic, user, page_number):
    """The page as every reader sees it who has no post of theirs waiting for a moderator in the
    topic (None for one who has): reading it was most of a topic page's time (`make bench`), so it
    is kept until the topic changes (TOPIC) or an author's name or marks do (PEOPLE)."""
    number = _page_number(page_number)

    def read():
        held_by = set(Post.objects.filter(topic=topic, status=Post.Status.HELD)
                      .values_list("author_id", flat=True))
        page = _read_page(Post.objects.filter(topic=topic, status=Post.Status.PUBLISHED), number)
        return held_by, page.paginator.count, page.number, page.object_list

    held_by, count, number, posts = kept(
        f"community:topic-page:{topic.pk}:{number}", [TOPIC(topic.pk), PEOPLE_KEY], read,
        PAGE_SECONDS)
    if user.pk in held_by:
        return None
    return _kept_page(count, number, posts, POSTS_PER_PAGE)


def topic_page(*, topic: Topic, user, page_number):
    """One page of posts with authors, photos, reaction counts (`likes`, `helpfuls`) and the
    reader's own reactions (`my_kinds`); `topic` as find_topic read it."""
    page = None if permissions.is_moderator(user) else _shared_page(topic, user, page_number)
    if page is None:
        page = _read_page(Post.objects.filter(_visible_posts(user), topic=topic), page_number)
    for post in page:
        post.my_kinds = topic.my_kinds.get(post.pk, set())
    return {"page": page, "last_read": topic.last_read, "watching": topic.watching}

def list_post_revisions(post: Post) -> list:
    """The texts a post had before each edit, newest first."""
    return list(post.revisions.all())


def post_page_number(*, post: Post, user) -> int:
    """Which page of its topic a post is on for this reader: the permalink's target."""
    before = Post.objects.filter(_visible_posts(user), topic=post.topic, pk__lt=post.pk).count()
    return before // POSTS_PER_PAGE + 1

def first_unread_post(*, topic: Topic, user) -> Post | None:
    last_read = (
        TopicRead.objects.filter(user=user, topic=topic)
        .values_list("last_read_post_id", flat=True).first()
    ) or 0
    return (
        Post.objects.filter(_visible_posts(user), topic=topic, pk__gt=last_read)
        .order_by("pk").first()
    )

def is_watching_category(*, user, category: Category) -> bool:
    return user.is_authenticated and Watch.objects.filter(user=user, category=category).exists()

def moderation_queue():
    """Open reports, held posts and the latest audit rows for the moderators' page."""
    reports = (
        Report.objects.filter(resolved_at__isnull=True)
        .select_related("post__author", "post__topic__forum", "reporter")
    )
    held = (
        Post.objects.filter(status=Post.Status.HELD)
        .select_related("author", "topic__forum")
    )
    hidden = (
        Post.objects.filter(status=Post.Status.HIDDEN)
        .select_related("author", "topic__forum")
        .order_by("-pk")[:20]
    )
    log = ModerationAction.objects.select_related(
        "moderator", "post", "topic", "target_user"
    )[:50]
    chat_reports, chat_reports_more = list_reported_messages()
    return {"reports": list(reports), "held": list(held), "hidden": list(hidden),
            "chat_reports": chat_reports, "chat_reports_more": chat_reports_more,
            "log": list(log), "categories": list(Category.objects.select_related("forum"))}


# Messages shown either side of a reported chat message, and how many reported messages the queue
# shows at once (the oldest first): the context's read names each one's room and seq range.
CHAT_CONTEXT = 2
CHAT_QUEUE_LIMIT = 50


def list_reported_messages() -> tuple[list[Message], bool]:
    """The first CHAT_QUEUE_LIMIT chat messages with an open report, oldest first, and whether
    there are more. Each comes with its open reports (`open_reports`, reporters joined) and up to
    CHAT_CONTEXT messages either side in its room (`before`, `after`): what a moderator needs to
    judge it, and nothing else of a conversation, which may be private (direct and
    customer-service rooms). Three queries whatever the count."""
    open_reports = MessageReport.objects.filter(resolved_at__isnull=True)
    # Exists, not a filter across the relation: that is a LEFT JOIN, which also matched every
    # message never reported.
    messages = list(
        Message.objects.filter(Exists(open_reports.filter(message=OuterRef("pk"))))
        .select_related("author", "room")
        .prefetch_related(Prefetch(
            "reports", open_reports.select_related("reporter").order_by("created_at", "pk"),
            to_attr="open_reports"))
        .order_by("pk")[:CHAT_QUEUE_LIMIT + 1]
    )
    more = len(messages) > CHAT_QUEUE_LIMIT
    messages = messages[:CHAT_QUEUE_LIMIT]
    if not messages:
        return [], False
    near = Q()
    for message in messages:
        near |= Q(room=message.room_id, seq__gte=message.seq - CHAT_CONTEXT,
                  seq__lte=message.seq + CHAT_CONTEXT)
    by_room = {}
    for line in Message.objects.filter(near).select_related("author").order_by("room", "seq"):
        by_room.setdefault(line.room_id, []).append(line)
    for message in messages:
        lines = by_room.get(message.room_id, [])
        message.before = [m for m in lines if message.seq - CHAT_CONTEXT <= m.seq < message.seq]
        message.after = [m for m in lines if message.seq < m.seq <= message.seq + CHAT_CONTEXT]
    return messages, more


# Store and practitioner pages show reviews and their answers to anonymous visitors at once.
GENERATION.depends_on(ServiceReview)
GENERATION.depends_on(ReviewAnswer)


def _review_summary(reviews, user=None) -> dict:
    """Averages and count of some reviews, with the latest few, their answers and, for a signed-in
    reader, which of them the reader may still answer (the practitioner or the store's staff)."""
    summary = reviews.aggregate(
        count=Count("pk"), process=Avg("process"), courtesy=Avg("courtesy"),
        technique=Avg("technique"),
    )
    latest = list(reviews.select_related("visit__member", "visit__store", "practitioner",
                                         "answer__author")[:5])
    staffed = staffed_store_ids(user) if user is not None else frozenset()
    for review in latest:
        # A missing reverse one-to-one raises an AttributeError subclass: no answer yet.
        answer = getattr(review, "answer", None)
        review.public_answer = answer
        review.can_answer = bool(
            answer is None and user is not None and user.is_authenticated
            and not user.is_suspended
            and ((review.practitioner and review.practitioner.user_id == user.pk)
                 or review.visit.store_id in staffed)
        )
    summary["latest"] = latest
    return summary


def store_review_summary(store, user=None) -> dict:
    return _review_summary(ServiceReview.objects.filter(visit__store=store), user)


def practitioner_review_summary(practitioner, user=None) -> dict:
    return _review_summary(ServiceReview.objects.filter(practitioner=practitioner), user)


def attended_events(user):
    """Live event pages the user checked in at (their visits proven by attendance), newest
    first; plain pages because community may not import events."""
    if not user.is_authenticated:
        return Page.objects.none()
    visits = ServiceVisit.objects.filter(member=user, event__isnull=False)
    return Page.objects.live().filter(pk__in=visits.values("event_id")).order_by("-pk")


def get_review(review_id: int) -> ServiceReview:
    return get_object_or_404(
        ServiceReview.objects.select_related("visit__store", "visit__member", "practitioner"),
        pk=review_id,
    )


def list_reviewable_visits(member):
    return ServiceVisit.objects.filter(member=member, review__isnull=True).select_related("store")

def get_user_visit(*, member, visit_id: int) -> ServiceVisit:
    return get_object_or_404(
        ServiceVisit.objects.select_related("store"), pk=visit_id, member=member
    )



MAX_MENTIONS = 10


def list_mentioned_users(text: str, *, author_id: int) -> list[User]:
    """The people an @name in a forum post or chat message names (display name, or the part of the
    e-mail before the @), at most MAX_MENTIONS, never the author; one query, none without an @.
    Whether each may see where they were named is the caller's rule."""
    handles = {h.rstrip(".").lower() for h in MENTION.findall(text)}
    if not handles:
        return []
    query = Q()
    for handle in list(handles)[:MAX_MENTIONS]:
        query |= Q(display_name__iexact=handle) | Q(email__istartswith=f"{handle}@")
    users = User.objects.filter(query).exclude(pk=author_id).prefetch_related("groups")
    return list(users[:MAX_MENTIONS])


def mention_links(text: str) -> dict[str, str]:
    """Each @handle in `text` that names someone (list_mentioned_users), lower-cased, with the
    address of their profile: what portal.sanitize.render_markdown links. A handle two people
    answer to links the earlier account."""
    handles = {h.rstrip(".").lower() for h in MENTION.findall(text)}
    links = {}
    for user in sorted(list_mentioned_users(text, author_id=None), key=lambda user: user.pk):
        for handle in (user.display_name.lower(), user.email.split("@")[0].lower()):
            if handle in handles:
                links.setdefault(handle, reverse("community:member", args=[user.pk]))
    return links


PROFILE_TOPICS = 10


def get_member_profile(*, user_id: int, viewer) -> dict:
    """What anyone may see of a member (where an @mention leads): name, marks, since when, their
    practitioner page if one is live, and the newest topics they opened that `viewer` may see."""
    from content.models import PractitionerPage

    person = get_object_or_404(User, pk=user_id, is_active=True)
    topics = (list_readable_topics(viewer).filter(author=person, held=False)
              .order_by("-last_post_at")[:PROFILE_TOPICS])
    return {
        "person": person,
        "practitioner": PractitionerPage.objects.live().filter(user=person)
        .only("title", "url_path").first(),
        "topics": list(topics),
    }
