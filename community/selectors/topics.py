"""A topic's pages: the topic with the reader's marks, its pages of posts, a post's page and revisions,
the first unread post."""

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Prefetch,
    prefetch_related_objects,
)

from community import permissions
from community.models import (
    Forum,
    Post,
    PostImage,
    Reaction,
    Topic,
    TopicRead,
    Watch,
)
from community.selectors.forums import _visible_posts
from community.selectors.kept import (
    PAGE_SECONDS,
    PEOPLE_KEY,
    READER,
    TOPIC,
    _kept_page,
    _page_number,
)
from portal.caching import kept, kept_digest

POSTS_PER_PAGE = 20


# A topic's linked pages show a title and a link: joining the three page models' ~40 columns
# each was a third of the topic view's time (cProfile on `make bench`'s topic).
LINKED_PAGES = ("store", "practitioner", "event")


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


def topic_page_keys(*, topic_id: int, user, page_number) -> list[str]:
    """What find_topic and topic_page read from the cache, for a caller to read in one round trip
    with its own keys and hand to both as `found`."""
    keys = [TOPIC(topic_id), f"community:topic-row:{topic_id}",
            _shared_page_key(topic_id, _page_number(page_number)), PEOPLE_KEY]
    if user.is_authenticated:
        keys += [READER(user.pk, topic_id), f"{READER(user.pk, topic_id)}:state"]
    return keys


def find_topic(*, forum: Forum, topic_id: int, user, found: dict | None = None) -> Topic | None:
    """The topic of `forum` (from get_forum, with its categories: neither is joined) and, for a
    signed-in reader, their read mark (`last_read`), watch (`watching`) and reactions
    (`my_kinds`); None when there is none or this reader may not see it (hidden, or held and not
    theirs: permissions.can_see_topic). Whether the reader
    may read the forum is the caller's to ask. The topic is kept under its token (TOPIC), the
    reader's part under theirs (READER): a topic page reads nothing else of them. `found`: a
    get_many of topic_page_keys, to share its round trip."""
    if found is None:
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
        # Described once as read (kept pages are shared), so its card's key (views.forums._post_cards)
        # describes only what the view sets on it: the same key however the post was read.
        kept_digest(post)
    return page


def _shared_page_key(topic_id: int, number: str) -> str:
    return f"community:topic-page:{topic_id}:{number}"


def _shared_page(topic: Topic, user, page_number, found: dict | None):
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
        _shared_page_key(topic.pk, number), [TOPIC(topic.pk), PEOPLE_KEY], read, PAGE_SECONDS,
        found=found)
    if user.pk in held_by:
        return None
    return _kept_page(count, number, posts, POSTS_PER_PAGE)


def topic_page(*, topic: Topic, user, page_number, found: dict | None = None):
    """One page of posts with authors, photos, reaction counts (`likes`, `helpfuls`) and the
    reader's own reactions (`my_kinds`); `topic` as find_topic read it, `found` as there."""
    page = None if permissions.is_moderator(user) else _shared_page(topic, user, page_number,
                                                                     found)
    if page is None:
        page = _read_page(Post.objects.filter(_visible_posts(user), topic=topic), page_number)
    for post in page:
        post.my_kinds = topic.my_kinds.get(post.pk, set())
    return {"page": page, "last_read": topic.last_read, "watching": topic.watching}


def get_topic_post(*, topic: Topic, user, post_id: int) -> Post | None:
    """One post of `topic` read as topic_page reads its posts (author, photos, reaction counts, the
    reader's `my_kinds`), or None when this reader may not see it; `topic` as find_topic read it."""
    posts = Post.objects.filter(_visible_posts(user), topic=topic, pk=post_id)
    post = next(iter(_read_page(posts, 1)), None)
    if post is not None:
        post.my_kinds = topic.my_kinds.get(post.pk, set())
    return post


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
