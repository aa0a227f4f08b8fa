"""Forums, topics, posts, moderation and service reviews."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.caching import CachedManager
from portal.private_media import PrivateUploadTo, private_storage


class Forum(models.Model):
    """One of the two spaces; the providers' forum is closed to plain members."""

    class Audience(models.TextChoices):
        MEMBERS = "members", _("Members")
        PROVIDERS = "providers", _("Verified providers")

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=80)
    description = models.CharField(_("description"), max_length=300, blank=True)
    audience = models.CharField(max_length=10, choices=Audience.choices)
    position = models.PositiveSmallIntegerField(default=0)

    objects = CachedManager()  # cached pages depend on it (portal.caching)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("community:forum", args=[self.slug])


class Category(models.Model):
    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="categories"
    )
    name = models.CharField(_("name"), max_length=80)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = CachedManager()  # cached pages depend on it (portal.caching)

    class Meta:
        ordering = ["forum", "position", "pk"]
        verbose_name = _("forum category")
        verbose_name_plural = _("forum categories")

    def __str__(self):
        return f"{self.forum} · {self.name}"


class Topic(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="topics")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="topics")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_topics"
    )
    title = models.CharField(_("title"), max_length=140)
    slug = models.SlugField(max_length=80, allow_unicode=True, blank=True)
    store = models.ForeignKey(
        "content.StorePage",
        verbose_name=_("store of the service"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A show-off topic may also name who served and the event it was at (an EventPage; linked as a
    # plain page because community may not import events).
    practitioner = models.ForeignKey(
        "content.PractitionerPage",
        verbose_name=_("practitioner who served"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    event = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("event of the service"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pinned = models.BooleanField(default=False)
    locked = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)
    # Its first post waits for a moderator: until approved, the topic is its author's and the
    # moderators' only (permissions.can_see_topic), in lists, pages, search and notifications.
    held = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_post_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = CachedManager()  # cached pages depend on it (portal.caching)

    class Meta:
        ordering = ["-pinned", "-last_post_at", "-pk"]
        # A forum's topic list in its order: the first page is read off the index instead of
        # joining and sorting every topic of the forum (5 -> 0.5 ms with 2,000 topics, `make bench`).
        indexes = [models.Index(fields=["forum", "-pinned", "-last_post_at", "-id"],
                                name="topic_list_order")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.address(self.forum.slug, self.pk, self.slug)

    @staticmethod
    def address(forum_slug: str, pk: int, slug: str) -> str:
        """A topic's address from its parts (lists read just these)."""
        return reverse("community:topic", args=[forum_slug, pk, slug or "topic"])


class Post(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        HELD = "held", _("Held for approval")
        HIDDEN = "hidden", _("Hidden by a moderator")

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_posts"
    )
    source = models.TextField()
    html = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    hold_reason = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # From the form (hidden, one per page view): a form sent again because its answer was lost (a
    # timeout, a database restart) finds the post it made instead of posting twice.
    client_token = models.CharField(max_length=64, blank=True, default="")

    objects = CachedManager()  # cached pages depend on it (portal.caching)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["topic", "status", "id"], name="post_topic_status")]
        constraints = [
            models.UniqueConstraint(fields=["author", "client_token"], condition=~models.Q(client_token=""),
                                    name="post_client_token_unique"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.topic}"

    def get_absolute_url(self):
        return reverse("community:post", args=[self.pk])


class PostRevision(models.Model):
    """The text a post had before an edit."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    source = models.TextField()
    html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"revision of #{self.post_id}"


class PostImage(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    # Private (portal.private_media): a held or hidden post's photo is not for everyone.
    image = models.ImageField(upload_to=PrivateUploadTo("forum"), storage=private_storage, db_index=True,
                              width_field="width", height_field="height")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    objects = CachedManager()  # cached pages depend on it (portal.caching)

    def __str__(self):
        return self.image.name


class Reaction(models.Model):
    class Kind(models.TextChoices):
        LIKE = "like", _("Like")
        HELPFUL = "helpful", _("Helpful")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)

    objects = CachedManager()  # cached pages depend on it (portal.caching)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user", "kind"], name="one_reaction_per_kind"),
        ]

    def __str__(self):
        return f"{self.kind} on #{self.post_id}"


class Watch(models.Model):
    """A user follows a topic (new replies) or a category (new topics)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_watches"
    )
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="watches"
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="watches"
    )

    objects = CachedManager()  # cached pages depend on it (portal.caching)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__isnull=False, category__isnull=True)
                | Q(topic__isnull=True, category__isnull=False),
                name="watch_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "topic"], condition=Q(topic__isnull=False),
                name="one_watch_per_topic",
            ),
            models.UniqueConstraint(
                fields=["user", "category"], condition=Q(category__isnull=False),
                name="one_watch_per_category",
            ),
        ]

    def __str__(self):
        return f"watch {self.topic_id or self.category_id}"


class TopicRead(models.Model):
    """How far a user has read a topic: the highest post id seen."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="reads")
    last_read_post_id = models.PositiveBigIntegerField(default=0)

    objects = CachedManager()  # cached pages depend on it (portal.caching)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="one_read_mark_per_topic"),
        ]

    def __str__(self):
        return f"read {self.topic_id} to {self.last_read_post_id}"


class Report(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Abusive or harassing")
        PRIVACY = "privacy", _("Shares private information")
        OTHER = "other", _("Something else")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    text = models.TextField(_("details"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"], condition=Q(resolved_at__isnull=True),
                name="one_open_report_per_reporter",
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} on #{self.post_id}"


class ModerationAction(models.Model):
    """Audit log: one row for every moderator action, never edited."""

    class Action(models.TextChoices):
        HIDE = "hide", _("Hid a post")
        RESTORE = "restore", _("Restored a post")
        APPROVE = "approve", _("Approved a held post")
        LOCK = "lock", _("Locked a topic")
        UNLOCK = "unlock", _("Unlocked a topic")
        PIN = "pin", _("Pinned a topic")
        UNPIN = "unpin", _("Unpinned a topic")
        MOVE = "move", _("Moved a topic")
        SUSPEND = "suspend", _("Suspended a user")
        DISMISS = "dismiss", _("Dismissed a report")
        DELETE = "delete", _("Deleted a post")
        DELETE_MESSAGE = "msg_delete", _("Deleted a chat message")
        DISMISS_MESSAGE = "msg_dismis", _("Dismissed a chat report")

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.get_action_display()


class ServiceVisit(models.Model):
    """Staff record that a member was served at a store: the proof a review needs."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="service_visits"
    )
    store = models.ForeignKey("content.StorePage", on_delete=models.CASCADE, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date of the visit"))
    practitioner = models.ForeignKey(
        "content.PractitionerPage", verbose_name=_("served by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    # Set when the visit is proven by an event check-in (portal.signals.event_attended).
    event = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "store", "date"], name="one_visit_per_store_day"
            ),
        ]

    def __str__(self):
        return f"{self.member} at {self.store} on {self.date}"


def _score(label):
    return models.PositiveSmallIntegerField(
        label, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


class ServiceReview(models.Model):
    """One review per visit (the OneToOne is the rule's guard)."""

    visit = models.OneToOneField(ServiceVisit, on_delete=models.CASCADE, related_name="review")
    practitioner = models.ForeignKey(
        "content.PractitionerPage", verbose_name=_("practitioner who served you"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="service_reviews",
    )
    process = _score(_("process"))
    courtesy = _score(_("courtesy"))
    technique = _score(_("technique"))
    text = models.TextField(_("your review"), max_length=4000)
    html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = CachedManager()  # cached pages depend on it (portal.caching)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(process__range=(1, 5), courtesy__range=(1, 5),
                            technique__range=(1, 5)),
                name="review_scores_1_to_5",
            ),
        ]

    def __str__(self):
        return f"review of {self.visit}"


class ReviewAnswer(models.Model):
    """The one public answer to a review, by the practitioner reviewed or the store's staff."""

    review = models.OneToOneField(ServiceReview, on_delete=models.CASCADE, related_name="answer")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("your answer"), max_length=2000)
    html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = CachedManager()  # cached pages depend on it (portal.caching)

    def __str__(self):
        return f"answer to review {self.review_id}"


# Chat lives in its own package; importing its models here registers them with the app.
from community.chat.models import ChatSettings, Message, MessageReport, ReadMarker, Room  # noqa: E402,F401
