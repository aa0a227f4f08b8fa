"""Test data: one factory per model the tests build (factory-boy), and the few shortcuts many tests share.

Every folder's tests import from here, never from another folder's conftest (STYLE.md). Fixtures in a
conftest stay for that folder's own tests and are built on these factories. Models are imported through
`community.models` and `events.models`, which re-export the chat and rewards models wherever those live.

Pages are added under a parent through the Wagtail tree: pass `parent=`; `publish()` also saves a
published revision, as an editor's "Publish" does.
"""

import io
from datetime import timedelta
from importlib import import_module

import factory
from allauth.account.models import EmailAddress
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.images import ImageFile
from django.utils import timezone
from factory.django import DjangoModelFactory
from PIL import Image as PILImage
from wagtail.images.models import Image

from community.models import Message, Post, Room, Topic
from content.models import StoreIndexPage, StorePage
from content.services import add_store_staff
from events.models import EventPage, Registration, Reward
from portal import roles
from portal.models import User
from portal.sanitize import render_markdown

PASSWORD = "correct-horse-battery-9"


# People -----------------------------------------------------------------------------------------------


def _in_groups(*default: str):
    """The account's groups (role names): the factory's own, or those passed as `groups=[...]`."""

    @factory.post_generation
    def groups(user, create, names, **_kwargs):
        names = default if names is None else names
        if create and names:
            user.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in names))

    return groups


class UserFactory(DjangoModelFactory):
    """An account with a verified primary e-mail address and PASSWORD."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    groups = _in_groups()

    class Params:
        suspended = factory.Trait(
            suspended_until=factory.LazyFunction(lambda: timezone.now() + timedelta(days=3)))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create_user(*args, password=PASSWORD, **kwargs)

    @factory.post_generation
    def verified_email(self, create, _extracted, **_kwargs):
        if create:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class MemberFactory(UserFactory):
    groups = _in_groups(roles.MEMBERS)


class ProviderFactory(UserFactory):
    """A verified provider: a member whom moderators let into the providers' group."""

    groups = _in_groups(roles.MEMBERS, roles.PROVIDERS)


class ModeratorFactory(UserFactory):
    groups = _in_groups(roles.MODERATORS)


class EditorFactory(UserFactory):
    groups = _in_groups(roles.EDITORS)


class StaffFactory(UserFactory):
    """Staff of `store`, through its own staff group (content.services.add_store_staff)."""

    @factory.post_generation
    def store(self, create, store, **_kwargs):
        if create and store is not None:
            add_store_staff(user=self, store=store)


def make_user(email: str, *group_names: str, **extra) -> User:
    """The shorthand most tests use: `make_user("mei@example.com", roles.MEMBERS, display_name="Mei")`."""
    return UserFactory(email=email, groups=group_names, **extra)


def trusted(user: User) -> User:
    """Old enough and with enough approved posts: no new-member limits."""
    user.date_joined = timezone.now() - timedelta(days=30)
    user.save(update_fields=["date_joined"])
    return user


def unpace(user: User) -> None:
    """Forget the user's last post time, so the next one is not held back by pacing."""
    cache.delete(f"community:pace:{user.pk}")


# Content ----------------------------------------------------------------------------------------------


def _png(title: str) -> ImageFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (200, 150, 150)).save(buffer, "PNG")
    return ImageFile(buffer, name=f"{title}.png")


class ImageFactory(DjangoModelFactory):
    """A Wagtail image: a real 40x30 PNG named after its title."""

    class Meta:
        model = Image

    title = "picture"
    file = factory.LazyAttribute(lambda image: _png(image.title))


def make_image(title: str = "picture") -> Image:
    return ImageFactory(title=title)


class PageFactory(DjangoModelFactory):
    """A page added as a child of `parent` (required) through the Wagtail tree."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, parent, **kwargs):
        return parent.add_child(instance=model_class(*args, **kwargs))


def home_page():
    """Root, home page and default site, rebuilt if a transactional test flushed them."""
    from wagtail.models import Locale, Page, Site

    from content.models import HomePage

    Locale.objects.get_or_create(language_code="en")
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
        home = root.add_child(instance=HomePage(title="Tend", slug="home"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Tend"},
    )
    return home


class StorePageFactory(PageFactory):
    """A store, by default under the site's store index (made under the home page when there is none)."""

    class Meta:
        model = StorePage

    parent = factory.LazyFunction(lambda: StoreIndexPage.objects.first() or home_page().add_child(
        instance=StoreIndexPage(title="Stores", slug="stores")))
    title = factory.Sequence(lambda n: f"Store {n}")
    slug = factory.Sequence(lambda n: f"store-{n}")
    address = "Taipei"


def publish(parent, page):
    """Add `page` under `parent` and publish a revision of it."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


# Community --------------------------------------------------------------------------------------------


def seed_forums() -> None:
    """The forums and categories of the data migration; transactional tests flush them (idempotent)."""
    import_module("community.migrations.0002_seed_forums").seed(django_apps, None)


class PostFactory(DjangoModelFactory):
    """A published post straight through the ORM: no pacing, the body rendered as create_post would."""

    class Meta:
        model = Post

    author = factory.SubFactory(MemberFactory)
    source = "Me too"
    html = factory.LazyAttribute(lambda post: render_markdown(post.source))


class TopicFactory(DjangoModelFactory):
    """A published topic in `category` (required) with its first post, `body`."""

    class Meta:
        model = Topic
        skip_postgeneration_save = True

    forum = factory.SelfAttribute("category.forum")
    author = factory.SubFactory(MemberFactory)
    title = "Lasting manicure?"
    slug = "topic"
    first_post = factory.RelatedFactory(
        PostFactory, factory_related_name="topic", author=factory.SelfAttribute("..author"),
        source=factory.SelfAttribute("..body"))

    class Params:
        body = "How long should it last?"


def make_topic(category, author, title="Lasting manicure?", body="How long should it last?") -> Topic:
    return TopicFactory(category=category, author=author, title=title, body=body)


def make_reply(topic, author, body="Me too") -> Post:
    return PostFactory(topic=topic, author=author, source=body)


class MessageFactory(DjangoModelFactory):
    """A stored chat message at the room's next seq. The room's last_seq is not moved: see make_messages."""

    class Meta:
        model = Message

    author = factory.SubFactory(MemberFactory)
    seq = factory.LazyAttribute(lambda message: message.room.last_seq + 1)
    client_id = factory.LazyAttribute(lambda message: f"bulk-{message.room.pk}-{message.seq}")
    body = factory.LazyAttribute(lambda message: f"message {message.seq}")


def make_messages(room: Room, author, count: int) -> list[Message]:
    """`count` messages after the room's last one, in one insert, and the room's seq moved past them."""
    start = room.last_seq
    messages = Message.objects.bulk_create(
        MessageFactory.build(room=room, author=author, seq=start + i) for i in range(1, count + 1))
    Room.objects.filter(pk=room.pk).update(last_seq=start + count)
    room.last_seq = start + count
    return messages


# Events and rewards -----------------------------------------------------------------------------------


class EventPageFactory(PageFactory):
    """An experience day at `store` three days ahead, registration open, two seats, for members."""

    class Meta:
        model = EventPage

    title = factory.Sequence(lambda n: f"Experience day {n + 1}")
    slug = factory.Sequence(lambda n: f"experience-day-{n + 1}")
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    end = factory.LazyAttribute(lambda event: event.start + timedelta(hours=2))
    capacity = 2
    registration_opens = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    registration_closes = factory.LazyAttribute(lambda event: event.start - timedelta(hours=1))
    cancellation_deadline = factory.LazyAttribute(lambda event: event.start - timedelta(hours=12))
    audience = EventPage.Audience.MEMBERS


class RegistrationFactory(DjangoModelFactory):
    """A confirmed registration (a ticket) written directly, without the registration rules."""

    class Meta:
        model = Registration

    member = factory.SubFactory(MemberFactory)
    status = Registration.Status.CONFIRMED
    ticket_code = factory.Sequence(lambda n: f"TICKET{n:06d}")


class RewardFactory(DjangoModelFactory):
    class Meta:
        model = Reward

    title = "10% off a manicure"
    kind = Reward.Kind.COUPON
    percent_off = 10
    points_cost = 100
    validity_days = 30


def open_doors(event: EventPage) -> EventPage:
    """Move an event to start within the hour, so its check-in is open (CHECK_IN_OPENS_BEFORE),
    without going through registration rules."""
    now = timezone.now()
    EventPage.objects.filter(pk=event.pk).update(start=now + timedelta(hours=1), end=now + timedelta(hours=3))
    event.refresh_from_db()
    return event


def end_event(event: EventPage) -> EventPage:
    """Move an event into the past without going through registration rules."""
    now = timezone.now()
    EventPage.objects.filter(pk=event.pk).update(start=now - timedelta(hours=3), end=now - timedelta(hours=1))
    event.refresh_from_db()
    return event


def give_points(user, amount: int):
    """Credit points as a moderator would, through the audited adjustment service."""
    from events.rewards import services as reward_services

    email = f"ledger-mod-{user.pk}@example.com"
    moderator = User.objects.filter(email=email).first() or ModeratorFactory(email=email)
    return reward_services.adjust_points(member=user, amount=amount, note="test credit", staff=moderator)


def attend(event: EventPage, member, staff):
    """Register and check in: the way points are earned."""
    from events import services

    registration = services.register_for_event(event=event, member=member)
    services.check_in_attendee(code=registration.ticket_code, event=open_doors(event), staff=staff)
    registration.refresh_from_db()
    return registration
