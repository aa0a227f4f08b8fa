"""Forums and topic lists: who reads which forum, which topics they see, a forum's page of topics, the
busy topics on the home page and topic search."""

from datetime import datetime, timedelta
from typing import NamedTuple

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    Subquery,
)
from django.http import Http404
from django.utils import timezone

from community import permissions
from community.models import (
    Category,
    Forum,
    Post,
    Topic,
    TopicRead,
    Watch,
)
from community.selectors.kept import (
    FORUM,
    FORUMS_KEY,
    FORUMS_SECONDS,
    MARKS,
    PAGE_SECONDS,
    PEOPLE_KEY,
    _kept_page,
    _page_number,
)
from portal.caching import digest, kept
from portal.models import User
from portal.queries import count_per_row

TOPICS_PER_PAGE = 50


def _forums(found: dict | None = None) -> list[Forum]:
    """Every forum with its categories, in order: a handful of rows that change only when an editor
    changes them, yet two queries on every forum page (`make bench`). Kept in the cache and dropped
    when a forum or a category is written (FORUMS). `found`: a get_many that asked for FORUMS_KEY,
    to share its round trip."""
    forums = cache.get(FORUMS_KEY) if found is None else found.get(FORUMS_KEY)
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

def get_forum(slug: str, found: dict | None = None) -> Forum:
    """The forum with its categories (list_categories reads no more); `found` as for _forums."""
    forum = next((forum for forum in _forums(found) if forum.slug == slug), None)
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

    where = f"{forum.pk}:{category.pk if category else 0}"
    list_key = f"community:topics:{where}:{int(moderator)}:{number}"
    keys = [list_key, FORUM(forum.pk), PEOPLE_KEY]
    if user.is_authenticated:
        # The reader's marks on the page's topics, kept until they move one (MARKS): reading them
        # was the list's one query on every view (bench/cost.py). Read in the same round trip.
        marks_key = f"{MARKS(user.pk)}:{where}:{number}"
        keys += [marks_key, MARKS(user.pk)]
    found = cache.get_many(keys)
    count, number, topics, held_by = kept(list_key, [FORUM(forum.pk), PEOPLE_KEY], read,
                                          PAGE_SECONDS, found=found)
    if user.pk in held_by and number == 1:
        topics = list(_topic_values(
            Topic.objects.filter(forum=forum, author=user, held=True, hidden=False), category
        )) + topics
    page = _kept_page(count, number, topics, TOPICS_PER_PAGE)
    last_read = {}
    if user.is_authenticated:
        ids = tuple(t["pk"] for t in topics)
        last_read = kept(marks_key, [MARKS(user.pk)], lambda: dict(
            TopicRead.objects.filter(user=user, topic__in=ids)
            .values_list("topic_id", "last_read_post_id")), PAGE_SECONDS, found=found, vary=ids)
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

def is_watching_category(*, user, category: Category) -> bool:
    return user.is_authenticated and Watch.objects.filter(user=user, category=category).exists()
