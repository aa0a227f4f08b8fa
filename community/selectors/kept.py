"""What the forum pages keep in the cache and the writes that drop it: the forums, a forum's topic list,
a topic's pages (until the topic changes or an author's name or marks do), a reader's own marks."""

from django.core.paginator import Paginator

from community.models import (
    Category,
    Forum,
    Post,
    PostImage,
    Reaction,
    Topic,
    TopicRead,
    Watch,
)
from portal.caching import Key
from portal.models import User

FORUMS = Key("community:forums")
FORUMS_KEY = FORUMS()
FORUMS.depends_on(Forum)
FORUMS.depends_on(Category)
# A bound for changes no signal reports: a data migration's, made with historical models.
FORUMS_SECONDS = 600

# A token for what a reader's view of a topic shows of them: their read mark, watch and reactions.
READER = Key("community:reader")
READER.depends_on(TopicRead, "user_id", "topic_id")
READER.depends_on(Watch, "user_id", "topic_id")  # a category's watch has no topic: none dropped
READER.depends_on(Reaction, "user_id", "post__topic_id")
# A token per reader for their read marks anywhere, which topic lists show: moving any drops it.
MARKS = Key("community:marks")
MARKS.depends_on(TopicRead, "user_id")


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
