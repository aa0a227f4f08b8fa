import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from portal import notifications, roles
from portal.caching import CachedManager, CachedQuerySet, users
from portal.private_media import PrivateUploadTo, private_storage


def new_referral_code() -> str:
    # 8 URL-safe characters: short enough to type, 48 bits so codes cannot be guessed in bulk.
    return secrets.token_urlsafe(6)


def home_store_field():
    return models.ForeignKey(
        "content.StorePage",
        verbose_name=_("home store"),
        limit_choices_to={"live": True},
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class UserManager(BaseUserManager):
    _queryset_class = CachedQuerySet  # cached rows and names depend on users (portal.caching)
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class ProviderTier(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    STANDARD = "standard", _("Standard")


BADGES = {
    "first_event": _("First event"),
    "five_events": _("5 events"),
    "ten_events": _("10 events"),
    "helpful_poster": _("Helpful poster"),
}


class User(AbstractUser):
    """A person with an account: member, provider, store staff, editor or moderator (by group)."""

    class JoinedVia(models.TextChoices):
        ONLINE = "online", _("Online")
        STORE = "store", _("At a store")
        REFERRAL = "referral", _("Referral")

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    avatar = models.ImageField(_("avatar"), upload_to="avatars/%Y/%m/", blank=True)
    bio = models.TextField(_("about me"), max_length=1000, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )
    home_store = home_store_field()
    joined_via = models.CharField(
        _("joined via"), max_length=10, choices=JoinedVia.choices, default=JoinedVia.ONLINE
    )
    referral_code = models.CharField(max_length=16, unique=True, default=new_referral_code)
    referred_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    suspended_until = models.DateTimeField(_("suspended until"), null=True, blank=True)
    # The moderator's reason, told to the member with the end date wherever they would act
    # (portal.selectors.suspension_of).
    suspension_note = models.CharField(_("reason for the suspension"), max_length=300, blank=True)
    # Derived by events' reward services when attendance or reviews change, stored so forum and chat
    # templates show them next to a name without a query.
    provider_tier = models.CharField(_("provider tier"), max_length=10, choices=ProviderTier.choices,
                                     blank=True)
    badges = models.JSONField(_("badges"), default=list, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.display_name_of(self.display_name, self.email)

    @staticmethod
    def display_name_of(display_name: str, email: str) -> str:
        """The name shown for a user: theirs, or their e-mail's local part (lists read just these)."""
        return display_name or email.split("@")[0]

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name

    @cached_property
    def _roles(self) -> dict:
        return users.roles(self)  # once per user object (request)

    @property
    def group_names(self) -> frozenset[str]:
        return self._roles["groups"]

    @property
    def can_access_admin(self) -> bool:
        """Whether Wagtail's user bar and admin are for this user, without the two permission
        queries `has_perm` makes on every page the user bar is on."""
        return self.is_active and (self.is_superuser or self._roles["admin"])

    @property
    def is_provider(self) -> bool:
        return roles.PROVIDERS in self.group_names

    @property
    def is_moderator(self) -> bool:
        return self.is_superuser or roles.MODERATORS in self.group_names

    @property
    def is_editor(self) -> bool:
        return self.is_superuser or roles.EDITORS in self.group_names

    @property
    def is_store_staff(self) -> bool:
        return roles.STORE_STAFF in self.group_names

    @property
    def badge_labels(self) -> list:
        return [BADGES[key] for key in self.badges if key in BADGES]

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > timezone.now()


class Notification(models.Model):
    """What happened, kept as a template (an English msgid) and its values and shown with `text`, in
    the language of whoever reads it. `message` is the text in the member's saved language when it
    was written: the e-mail's words, and what rows without a template show."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    message = models.CharField(max_length=300)
    template = models.CharField(max_length=300, blank=True)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = CachedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.message

    @property
    def text(self) -> str:
        return notifications.render(self.template, self.params, self.message)


class NotificationPreference(models.Model):
    """How one user wants one kind of notification; without a row the kind's default applies."""

    class Channel(models.TextChoices):
        IN_APP = "in_app", _("On the site")
        EMAIL = "email", _("On the site and by e-mail")
        OFF = "off", _("Off")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notification_prefs")
    kind = models.CharField(max_length=40)
    channel = models.CharField(max_length=10, choices=Channel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_pref_per_kind"),
        ]

    def __str__(self):
        return f"{self.kind}: {self.channel}"


class ProviderApplication(models.Model):
    """A member asks to be verified as a provider; a moderator approves or rejects it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="provider_applications")
    specialties = models.CharField(_("specialties"), max_length=200)
    years_experience = models.PositiveSmallIntegerField(_("years of experience"))
    home_store = home_store_field()
    certificate = models.ImageField(
        _("certificate"), upload_to=PrivateUploadTo("certificates"), storage=private_storage,
        db_index=True,
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("reason"), blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # /me/ keeps the latest application (portal.selectors.dashboard_state): update() drops it too.
    objects = CachedManager()

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="pending"), name="one_pending_application"
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_status_display()})"
