"""Rules that change forum state: posting, limits, reactions, reading, moderation, reviews."""

import time
from datetime import timedelta
from decimal import Decimal

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_noop

from community import permissions
from community.errors import ForumError, ReviewError
from community.models import (
    Category,
    ModerationAction,
    Post,
    PostImage,
    PostRevision,
    Reaction,
    Report,
    ReviewAnswer,
    ServiceReview,
    ServiceVisit,
    Topic,
    TopicRead,
    Watch,
)
from community.selectors import list_mentioned_users, mention_links
from content.selectors import is_staff_of_store
from portal.models import User
from portal.notifications import Text
from portal.sanitize import linkify_text, render_markdown
from portal.services import end_user_sockets, notify
from portal.signals import service_review_published

PACE_SECONDS = 15
NEW_MEMBER_AGE = timedelta(days=1)
NEW_MEMBER_POSTS = 3
NEW_MEMBER_TOPICS_A_DAY = 3
NEW_MEMBER_REPLIES_A_DAY = 10
NEW_MEMBER_LINKS = 2


def sanitise_post_body(source: str) -> str:
    """Markdown to the stored clean HTML, through the portal's one sanitiser; an @mention links
    to the member's profile."""
    return render_markdown(source, mentions=mention_links(source))


def topic_group(topic_id: int) -> str:
    return f"topic.{topic_id}"


def _pace(user: User) -> None:
    """One post per PACE_SECONDS per user, shared by every process through the cache."""
    if permissions.is_moderator(user):
        return
    key = f"community:pace:{user.pk}"
    now = time.time()
    if not cache.add(key, now, PACE_SECONDS):
        started = cache.get(key) or now
        raise ForumError("too_fast", wait=max(1, int(PACE_SECONDS - (now - started)) + 1))


def _is_new_member(user: User) -> bool:
    if user.date_joined > timezone.now() - NEW_MEMBER_AGE:
        return True
    approved = Post.objects.filter(
        author=user, status=Post.Status.PUBLISHED, deleted_at__isnull=True
    ).count()
    return approved < NEW_MEMBER_POSTS


def _hold_reason(user: User, html: str, *, is_topic: bool) -> str:
    """Why a new member's post waits for a moderator, or "" when it can go live."""
    if permissions.is_moderator(user) or not _is_new_member(user):
        return ""
    if html.count("<a ") > NEW_MEMBER_LINKS:
        return "links"
    since = timezone.now() - timedelta(days=1)
    topics = Topic.objects.filter(author=user, created_at__gte=since).count()
    if is_topic:
        return "topics_a_day" if topics >= NEW_MEMBER_TOPICS_A_DAY else ""
    # Each topic opens with one post by its author; the rest of the day's posts are replies.
    replies = Post.objects.filter(author=user, created_at__gte=since).count() - topics
    return "replies_a_day" if replies >= NEW_MEMBER_REPLIES_A_DAY else ""


def _check_can_post(user: User, forum) -> None:
    if not user.is_authenticated:
        raise ForumError("forbidden")
    if user.is_suspended:
        raise ForumError("suspended")
    if not permissions.can_post_in_forum(user, forum):
        raise ForumError("forbidden")


def _earlier_submission(author: User, token: str) -> Post | None:
    """The post this form already made, when it is sent again. Locking the author's row orders two
    sendings of one form, so the second finds the first's post rather than breaking the constraint."""
    if not token:
        return None
    list(User.objects.select_for_update().filter(pk=author.pk).values_list("pk", flat=True))
    return Post.objects.filter(author=author, client_token=token).select_related("topic").first()


def _add_post(*, topic: Topic, author: User, body: str, image, is_topic: bool, token: str) -> Post:
    html = sanitise_post_body(body)
    reason = _hold_reason(author, html, is_topic=is_topic)
    post = Post.objects.create(
        topic=topic,
        author=author,
        source=body,
        html=html,
        status=Post.Status.HELD if reason else Post.Status.PUBLISHED,
        hold_reason=reason,
        client_token=token,
    )
    if image is not None:
        PostImage.objects.create(post=post, image=image)
    Watch.objects.get_or_create(user=author, topic=topic)
    if post.status == Post.Status.PUBLISHED:
        _announce(post, is_topic=is_topic)
    return post


def _mentioned_users(post: Post) -> list[User]:
    users = list_mentioned_users(post.source, author_id=post.author_id)
    return [u for u in users if permissions.can_see_topic(u, post.topic)]


def _announce(post: Post, *, is_topic: bool) -> None:
    """A post went live: bump the topic, tell mentioned users and watchers, push to readers."""
    topic = post.topic
    topic.last_post_at = post.created_at
    topic.save(update_fields=["last_post_at"])
    url = post.get_absolute_url()
    told = {post.author_id}
    for user in _mentioned_users(post):
        message = Text(gettext_noop("%(name)s mentioned you in “%(title)s”"), name=post.author.name,
                       title=topic.title)
        notify(user, "forum_mention", message, url)
        told.add(user.pk)
    if is_topic:
        watchers = Watch.objects.filter(category_id=topic.category_id)
        kind = "forum_topic"
        template = gettext_noop("%(name)s started “%(title)s”")
    else:
        watchers = Watch.objects.filter(topic=topic)
        kind = "forum_reply"
        template = gettext_noop("%(name)s replied in “%(title)s”")
    for watch in watchers.exclude(user_id__in=told).select_related("user"):
        if not permissions.can_see_topic(watch.user, topic):
            continue
        notify(watch.user, kind, Text(template, name=post.author.name, title=topic.title), url)
    payload = {
        "id": post.pk,
        "author": post.author.name,
        "html": post.html,
        "url": url,
        "created": post.created_at.isoformat(),
    }
    layer = get_channel_layer()
    transaction.on_commit(lambda: async_to_sync(layer.group_send)(
        topic_group(topic.pk), {"type": "topic.post", "payload": payload}))


@transaction.atomic
def create_topic(*, author: User, category: Category, title: str, body: str, store=None,
                 image=None, practitioner=None, event=None, token: str = "") -> Topic:
    """Open a topic with its first post; new members may be held, everyone is paced. A show-off
    may link the store, the practitioner and an event the author attended. The same form sent
    again (same token) returns the topic it opened."""
    forum = category.forum
    _check_can_post(author, forum)
    if event is not None and not ServiceVisit.objects.filter(member=author,
                                                            event_id=event.pk).exists():
        raise ForumError("forbidden")
    earlier = _earlier_submission(author, token)
    if earlier is not None:
        return earlier.topic
    _pace(author)
    topic = Topic.objects.create(
        forum=forum,
        category=category,
        author=author,
        title=title.strip(),
        slug=slugify(title, allow_unicode=True)[:80],
        store=store,
        practitioner=practitioner,
        event=event,
    )
    post = _add_post(topic=topic, author=author, body=body, image=image, is_topic=True,
                     token=token)
    if post.status == Post.Status.HELD:
        topic.held = True
        topic.save(update_fields=["held"])
    return topic


@transaction.atomic
def create_reply(*, author: User, topic: Topic, body: str, image=None, token: str = "") -> Post:
    """Reply to an open topic; locked topics take replies from moderators only. The same form sent
    again (same token) returns the reply it made."""
    topic = Topic.objects.select_for_update().select_related("forum").get(pk=topic.pk)
    _check_can_post(author, topic.forum)
    if not permissions.can_see_topic(author, topic):
        raise ForumError("forbidden")
    if not permissions.can_reply(author, topic):
        raise ForumError("locked")  # (whether they may post in the forum was checked above)
    earlier = _earlier_submission(author, token)
    if earlier is not None:
        return earlier
    _pace(author)
    return _add_post(topic=topic, author=author, body=body, image=image, is_topic=False, token=token)


@transaction.atomic
def edit_post(*, editor: User, post: Post, body: str) -> Post:
    """Only the author, within 30 minutes; the previous text is kept as a revision."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if editor.is_suspended:
        raise ForumError("suspended")
    if post.author_id != editor.pk or post.deleted_at:
        raise ForumError("forbidden")
    if not permissions.in_edit_window(post):
        raise ForumError("edit_window_over")
    if body == post.source:
        return post
    PostRevision.objects.create(post=post, source=post.source, html=post.html)
    post.source = body
    post.html = sanitise_post_body(body)
    post.edited_at = timezone.now()
    post.save(update_fields=["source", "html", "edited_at"])
    return post


@transaction.atomic
def delete_post(*, user: User, post: Post) -> Post:
    """Soft delete by the author or a moderator; the text stays for the audit, hidden from readers."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if not permissions.can_delete_post(user, post):
        raise ForumError("forbidden")
    if post.deleted_at:
        return post
    post.deleted_at = timezone.now()
    post.save(update_fields=["deleted_at"])
    if post.author_id != user.pk:
        _log(user, ModerationAction.Action.DELETE, post=post, topic=post.topic)
    return post


def toggle_reaction(*, user: User, post: Post, kind: str) -> bool:
    """One reaction of each kind per user and post; a second press takes it back."""
    if kind not in Reaction.Kind.values:
        raise ForumError("bad_reaction")
    if user.is_suspended:
        raise ForumError("suspended")
    if post.status != Post.Status.PUBLISHED or post.deleted_at:
        raise ForumError("forbidden")
    deleted, _count = Reaction.objects.filter(post=post, user=user, kind=kind).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            Reaction.objects.create(post=post, user=user, kind=kind)
    except IntegrityError:
        pass
    return True


def set_watch(*, user: User, watching: bool, topic: Topic | None = None,
              category: Category | None = None) -> None:
    """Follow or stop following a topic or a category; repeating changes nothing."""
    target = {"topic": topic} if topic is not None else {"category": category}
    if watching:
        try:
            with transaction.atomic():
                Watch.objects.get_or_create(user=user, **target)
        except IntegrityError:
            pass
    else:
        Watch.objects.filter(user=user, **target).delete()


def mark_read(*, user: User, topic: Topic, up_to_post_id: int) -> None:
    """The read mark only moves forward."""
    if not user.is_authenticated or not up_to_post_id:
        return
    try:
        with transaction.atomic():
            TopicRead.objects.get_or_create(user=user, topic=topic)
    except IntegrityError:
        pass
    TopicRead.objects.filter(
        user=user, topic=topic, last_read_post_id__lt=up_to_post_id
    ).update(last_read_post_id=up_to_post_id)


def report_post(*, reporter: User, post: Post, reason: str, text: str) -> Report:
    """One open report per reporter and post; reporting again returns the open one."""
    if not reporter.is_authenticated:
        raise ForumError("forbidden")
    existing = Report.objects.filter(post=post, reporter=reporter, resolved_at__isnull=True).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Report.objects.create(post=post, reporter=reporter, reason=reason, text=text)
    except IntegrityError:
        return Report.objects.get(post=post, reporter=reporter, resolved_at__isnull=True)


# Moderation: every action checks the role and writes one audit row.

def _require_moderator(user: User) -> None:
    if not permissions.is_moderator(user):
        raise ForumError("forbidden")


def _log(moderator, action, *, post=None, topic=None, target_user=None, note="") -> None:
    ModerationAction.objects.create(
        moderator=moderator, action=action, post=post, topic=topic, target_user=target_user,
        note=note[:300],
    )


def _release_topic(post: Post) -> bool:
    """Whether `post`, going live, is its topic's first post; if so a held topic is held no more
    (before it is announced: watchers are told only of topics they may see)."""
    topic = post.topic
    first = topic.posts.order_by("pk").values_list("pk", flat=True).first() == post.pk
    if first and topic.held:
        topic.held = False
        topic.save(update_fields=["held"])
    return first


def _resolve_reports(post: Post, moderator: User) -> None:
    Report.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=moderator
    )


@transaction.atomic
def hide_post(*, moderator: User, post: Post, note: str = "") -> Post:
    """Hidden posts stay stored and can be restored."""
    _require_moderator(moderator)
    post.status = Post.Status.HIDDEN
    post.save(update_fields=["status"])
    _resolve_reports(post, moderator)
    _log(moderator, ModerationAction.Action.HIDE, post=post, topic=post.topic, note=note)
    post.refresh_from_db()
    return post


@transaction.atomic
def restore_post(*, moderator: User, post: Post) -> Post:
    """A hidden post comes back as it was."""
    _require_moderator(moderator)
    restored = Post.objects.filter(pk=post.pk, status=Post.Status.HIDDEN).update(
        status=Post.Status.PUBLISHED
    )
    if restored:
        _release_topic(post)  # a held first post a moderator hid, then thought better of
    _log(moderator, ModerationAction.Action.RESTORE, post=post, topic=post.topic)
    post.refresh_from_db()
    return post


@transaction.atomic
def approve_post(*, moderator: User, post: Post) -> Post:
    """A held post goes live once, then notifies and appears like any other."""
    _require_moderator(moderator)
    post = Post.objects.select_for_update().select_related("topic__forum", "author").get(
        pk=post.pk
    )
    if post.status != Post.Status.HELD:
        return post
    post.status = Post.Status.PUBLISHED
    post.save(update_fields=["status"])
    _announce(post, is_topic=_release_topic(post))
    _log(moderator, ModerationAction.Action.APPROVE, post=post, topic=post.topic)
    return post


@transaction.atomic
def dismiss_reports(*, moderator: User, post: Post) -> None:
    """Close the open reports on a post that breaks no rule."""
    _require_moderator(moderator)
    _resolve_reports(post, moderator)
    _log(moderator, ModerationAction.Action.DISMISS, post=post, topic=post.topic)


@transaction.atomic
def set_topic_locked(*, moderator: User, topic: Topic, locked: bool) -> None:
    """Locked topics take no replies from members."""
    _require_moderator(moderator)
    topic.locked = locked
    topic.save(update_fields=["locked"])
    action = ModerationAction.Action.LOCK if locked else ModerationAction.Action.UNLOCK
    _log(moderator, action, topic=topic)


@transaction.atomic
def set_topic_pinned(*, moderator: User, topic: Topic, pinned: bool) -> None:
    """Pinned topics head their forum's list."""
    _require_moderator(moderator)
    topic.pinned = pinned
    topic.save(update_fields=["pinned"])
    action = ModerationAction.Action.PIN if pinned else ModerationAction.Action.UNPIN
    _log(moderator, action, topic=topic)


@transaction.atomic
def move_topic(*, moderator: User, topic: Topic, category: Category) -> Topic:
    """A topic moves with all its posts, possibly to the other forum."""
    _require_moderator(moderator)
    note = f"{topic.category} → {category}"
    # update(): the topic lists of the forum it leaves and of the one it joins are dropped.
    Topic.objects.filter(pk=topic.pk).update(category=category, forum=category.forum)
    _log(moderator, ModerationAction.Action.MOVE, topic=topic, note=note)
    topic.refresh_from_db()
    return topic


@transaction.atomic
def suspend_user(*, moderator: User, user: User, days: int, note: str) -> User:
    """A suspended user can read but not post, react or chat until the date passes; the
    moderator's note says why, and the member is told both wherever they would act."""
    _require_moderator(moderator)
    note = note.strip()
    if days < 1 or user.pk == moderator.pk:
        raise ForumError("bad_suspension")
    if not note:
        raise ForumError("no_reason")
    user.suspended_until = timezone.now() + timedelta(days=days)
    user.suspension_note = note[:300]
    user.save(update_fields=["suspended_until", "suspension_note"])
    _log(moderator, ModerationAction.Action.SUSPEND, target_user=user, note=f"{days}d {note}")
    message = Text(gettext_noop("Your account may not post until %(date)s. The moderator's reason: "
                                "%(reason)s"),
                   date=timezone.localtime(user.suspended_until).strftime("%Y-%m-%d %H:%M"), reason=note)
    notify(user, "forum_moderation", message, "/community/")
    # Open chat pages reload to show the suspension notice instead of the composer.
    end_user_sockets(user, reason="suspended")
    return user


# Service reviews

def _can_record_visits(user: User, store) -> bool:
    return bool(user.is_superuser or user.is_staff or is_staff_of_store(user, store.pk))


def _practitioner_of_store(practitioner, store_id: int) -> bool:
    return practitioner.stores.filter(pk=store_id).exists()


def _get_or_create_visit(*, member: User, store_id: int, date, defaults: dict) -> ServiceVisit:
    """The same member, store and day is one visit, whoever records it first (unique constraint)."""
    try:
        with transaction.atomic():
            visit, _created = ServiceVisit.objects.get_or_create(
                member=member, store_id=store_id, date=date, defaults=defaults
            )
    except IntegrityError:
        visit = ServiceVisit.objects.get(member=member, store_id=store_id, date=date)
    return visit


def record_service_visit(*, staff: User, member: User, store, date,
                         practitioner=None) -> ServiceVisit:
    """Staff of the store record a served member, optionally by whom; a repeat is one visit."""
    if not _can_record_visits(staff, store):
        raise ReviewError("forbidden")
    if practitioner is not None and not _practitioner_of_store(practitioner, store.pk):
        raise ReviewError("not_store_practitioner")
    return _get_or_create_visit(member=member, store_id=store.pk, date=date,
                                defaults={"recorded_by": staff, "practitioner": practitioner})


def record_attended_visit(*, member: User, store_id: int, date, event_id: int,
                          staff: User) -> ServiceVisit:
    """A check-in at an event proves a visit to its store that day (events sends
    portal.signals.event_attended); a second check-in the same day adds nothing."""
    return _get_or_create_visit(member=member, store_id=store_id, date=date,
                                defaults={"recorded_by": staff, "event_id": event_id})


@transaction.atomic
def create_service_review(*, member: User, visit: ServiceVisit, process: int, courtesy: int,
                          technique: int, text: str, practitioner=None) -> ServiceReview:
    """Only the member served may review, once per visit, each score 1 to 5, naming at most one
    of the store's practitioners (the one staff recorded, if any).

    Reviews are public as soon as they are written, so this is the one place that sends
    portal.signals.service_review_published (rewards listen to it); a second send elsewhere
    would count the review twice.
    """
    if visit.member_id != member.pk:
        raise ReviewError("not_your_visit")
    if member.is_suspended:
        raise ReviewError("suspended")
    if not all(1 <= int(score) <= 5 for score in (process, courtesy, technique)):
        raise ReviewError("bad_score")
    if not text.strip():
        raise ReviewError("empty")
    practitioner = practitioner or visit.practitioner
    if practitioner is not None and (
        (visit.practitioner_id and practitioner.pk != visit.practitioner_id)
        or not _practitioner_of_store(practitioner, visit.store_id)
    ):
        raise ReviewError("not_store_practitioner")
    try:
        with transaction.atomic():
            review = ServiceReview.objects.create(
                visit=visit, practitioner=practitioner, process=process, courtesy=courtesy,
                technique=technique, text=text, html=linkify_text(text),
            )
    except IntegrityError:
        raise ReviewError("already_reviewed") from None
    # Reviews are public at once; events pays the reviewer and updates provider tiers.
    service_review_published.send(
        sender=create_service_review, review_id=review.pk, member=member, store_id=visit.store_id,
        score=(Decimal(int(process) + int(courtesy) + int(technique)) / 3).quantize(Decimal("0.01")),
    )
    if practitioner is not None and practitioner.user_id:
        reviewed = practitioner.user
        message = Text(gettext_noop("%(name)s reviewed your service. You may answer it publicly."),
                       name=member.name)
        notify(reviewed, "service_review", message, f"/community/reviews/answer/{review.pk}/")
    return review


def can_answer_review(user: User, review: ServiceReview) -> bool:
    """The practitioner reviewed (through their provider account) or staff of the store."""
    if not user.is_authenticated or user.is_suspended:
        return False
    if review.practitioner is not None and review.practitioner.user_id == user.pk:
        return True
    return is_staff_of_store(user, review.visit.store_id)


@transaction.atomic
def answer_review(*, author: User, review: ServiceReview, text: str) -> ReviewAnswer:
    """One public answer per review; a second attempt is refused, the first stays."""
    if not can_answer_review(author, review):
        raise ReviewError("forbidden")
    if not text.strip():
        raise ReviewError("empty")
    try:
        with transaction.atomic():
            answer = ReviewAnswer.objects.create(review=review, author=author, text=text.strip(),
                                                 html=linkify_text(text.strip()))
    except IntegrityError:
        raise ReviewError("already_answered") from None
    member = review.visit.member
    page = review.practitioner or review.visit.store
    message = Text(gettext_noop("%(name)s answered your review."), name=author.name)
    notify(member, "service_review", message, page.url or "")
    return answer
