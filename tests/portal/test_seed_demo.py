import io

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page

from portal.demo import DEMO_PASSWORD, DEMO_USERS, seed_members
from portal.models import User


@pytest.mark.django_db
def test_seed_demo_twice_duplicates_nothing(site_tree):
    call_command("seed_demo", stdout=io.StringIO())
    users, pages = User.objects.count(), Page.objects.count()
    assert users >= len(DEMO_USERS)
    call_command("seed_demo", stdout=io.StringIO())
    assert (User.objects.count(), Page.objects.count()) == (users, pages)


@pytest.mark.django_db
def test_demo_logins_work(client, site_tree):
    call_command("seed_demo", stdout=io.StringIO())
    for email, *_rest in DEMO_USERS:
        # The published password meets the rules every member's password meets.
        validate_password(DEMO_PASSWORD, User.objects.get(email=email))
        assert client.login(email=email, password=DEMO_PASSWORD), email
        client.logout()


@pytest.mark.django_db
def test_bench_members_are_added_up_to_the_count_once():
    seed_members(io.StringIO(), 25)
    seed_members(io.StringIO(), 25)
    members = User.objects.filter(email__startswith="bench-")
    assert members.count() == 25
    assert members.filter(groups__name="Members").count() == 25
    assert len(set(members.values_list("referral_code", flat=True))) == 25


@pytest.mark.django_db
def test_bench_forum_events_and_pages_are_added_up_to_the_count_once(site_tree):
    from community.demo import seed_bench_topics
    from community.models import Post, Topic
    from content.demo import _seed_bench_copies
    from content.models import CareTipPage, StorePage
    from events.demo import seed_bench_events
    from events.models import EventIndexPage, EventPage, Registration

    call_command("seed_demo", stdout=io.StringIO())
    seed_members(io.StringIO(), 30)
    index, stores = EventIndexPage.objects.get(), list(StorePage.objects.all())
    tips = list(CareTipPage.objects.all())
    for _run in range(2):
        seed_bench_topics(io.StringIO(), topics=12, posts_per_topic=3)
        seed_bench_events(io.StringIO(), index, stores, count=6)
        _seed_bench_copies(tips, "bench-tip", len(tips) + 4, ["summary", "category", "cover", "body"],
                           tags=True)
    topics = Topic.objects.filter(title__startswith="Bench topic ")
    assert topics.count() == 12
    assert Post.objects.filter(topic__in=topics).count() == 36
    events = EventPage.objects.filter(slug__startswith="bench-event-")
    assert events.count() == 6
    assert events.filter(start__lt=timezone.now()).exists()
    assert events.filter(start__gt=timezone.now()).exists()
    assert Registration.objects.filter(event__in=events).count() == sum(range(6))
    assert CareTipPage.objects.live().filter(slug__startswith="bench-tip-").count() == 4


# --- What a newcomer meets: varied pictures, real reading times, past events; a short first run ------


def _signature(image):
    """A 16x16 grey thumbnail: two pictures of one kind share a motif, two kinds should not."""
    from PIL import Image as PILImage

    with image.file.open("rb") as handle:
        return list(PILImage.open(handle).convert("L").resize((16, 16)).tobytes())


@pytest.mark.django_db
def test_demo_pictures_are_drawn_per_kind_and_differ(site_tree):
    import hashlib
    import re

    from wagtail.images.models import Image

    call_command("seed_demo", stdout=io.StringIO())
    by_kind, hashes = {}, set()
    for image in Image.objects.all():
        kind = re.match(r"(?:original_images/)?demo-([a-z]+)", image.file.name).group(1)
        by_kind.setdefault(kind, []).append(image)
        with image.file.open("rb") as handle:
            hashes.add(hashlib.sha256(handle.read()).hexdigest())
    assert {"nails", "hair", "skin", "home", "store", "interior", "portrait", "event", "academy",
            "brand"} <= set(by_kind)
    assert len(hashes) == Image.objects.count()  # no picture twice
    # One picture of each kind against one of every other kind: clearly different pictures.
    signatures = {kind: _signature(images[0]) for kind, images in by_kind.items()}
    kinds = sorted(signatures)
    for i, first in enumerate(kinds):
        for second in kinds[i + 1:]:
            difference = sum(abs(a - b) for a, b in zip(signatures[first], signatures[second], strict=True))
            assert difference / 256 > 8, (first, second)


def test_demo_art_is_deterministic_by_seed():
    from content import demo_art

    first = demo_art.draw("nails", "rose", seed=3, size=(120, 80)).tobytes()
    assert demo_art.draw("nails", "rose", seed=3, size=(120, 80)).tobytes() == first
    assert demo_art.draw("nails", "rose", seed=4, size=(120, 80)).tobytes() != first


@pytest.mark.django_db
def test_demo_tips_take_more_than_a_minute_to_read(site_tree):
    from content.models import CareTipPage

    call_command("seed_demo", stdout=io.StringIO())
    tips = CareTipPage.objects.all()
    assert tips and all(tip.reading_time > 1 for tip in tips)


@pytest.mark.django_db
def test_demo_has_past_events_with_attendees_photos_ratings_and_covers(site_tree):
    from events.demo import PAST_EVENTS
    from events.models import EventPage, EventPhoto, Registration

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    past = EventPage.objects.filter(end__lt=timezone.now())
    assert past.count() == len(PAST_EVENTS) >= 3
    for event in past:
        attended = event.registrations.filter(status=Registration.Status.ATTENDED)
        assert attended.exists() and all(hasattr(r, "check_in") for r in attended)
        assert event.photos.filter(approved_at__isnull=False).exists(), event.slug
        assert event.ratings.exists(), event.slug
        # Only attendees rate and share photos, as the site itself requires.
        members = set(attended.values_list("member", flat=True))
        assert set(event.ratings.values_list("member", flat=True)) <= members
        assert set(event.photos.values_list("author", flat=True)) <= members
    assert EventPhoto.objects.filter(approved_at__isnull=True).count() == 1  # one for the moderator
    assert not EventPage.objects.filter(cover_image__isnull=True).exists()
    with EventPhoto.objects.first().image.open("rb") as handle:
        assert handle.read(3) == b"\xff\xd8\xff"  # a real JPEG on private storage


# Transactional: the ticket e-mails of the demo registrations go when seed_demo's own transaction
# commits, as they do under `make run`. Not serialized_rollback: after another transactional test's
# flush (which re-creates content types) reloading the migrations' rows collided with them; the
# fixtures and seed_demo rebuild what it needs, as everywhere else (TESTING.md).
@pytest.mark.django_db(transaction=True)
def test_seed_demo_prints_a_few_steps_and_no_page_logs_or_e_mails(site_tree, settings, capsys, caplog):
    import logging

    from wagtail.models import Collection

    from events.models import Registration

    if not Collection.objects.exists():  # an earlier transactional test flushed the migrations' root
        Collection.add_root(name="Root")
    # The console backend `make run` has: without the guard it prints every ticket e-mail in full.
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    caplog.set_level(logging.INFO)
    call_command("seed_demo")
    output = capsys.readouterr().out
    assert Registration.objects.filter(status="confirmed").exists()  # tickets were issued
    lines = output.strip().splitlines()
    assert 3 <= len(lines) <= 8, output
    assert "Demo data ready" in lines[-1]
    assert "Content-Type" not in output and "BEGIN:VCALENDAR" not in output
    assert not [record for record in caplog.records if record.name.startswith("wagtail")]
    # Only while seeding: e-mail and Wagtail's log work as before afterwards.
    assert settings.EMAIL_BACKEND.endswith("console.EmailBackend")
    assert logging.getLogger("wagtail").level == logging.NOTSET


@pytest.mark.django_db
def test_seed_demo_shows_detail_lines_when_asked(site_tree):
    out = io.StringIO()
    call_command("seed_demo", stdout=out, verbosity=2)
    assert "created store xinyi" in out.getvalue()


class _Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.django_db
def test_scale_loops_draw_a_progress_bar_on_a_terminal_and_one_line_elsewhere():
    terminal, log = _Terminal(), io.StringIO()
    seed_members(terminal, 2500)
    seed_members(log, 2600)
    assert "\r" in terminal.getvalue() and "100%" in terminal.getvalue()
    assert "2,500/2,500" in terminal.getvalue()
    assert "\r" not in log.getvalue() and log.getvalue().count("\n") == 1
    assert "members: 100" in log.getvalue()


def test_demo_logins_wait_for_the_server_then_print_address_and_logins():
    import os
    import socket
    import subprocess
    import sys

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        out = io.StringIO()
        call_command("demo_logins", port=port, server_pid=os.getpid(), stdout=out)
    text = out.getvalue()
    assert f"http://127.0.0.1:{port}/" in text and DEMO_PASSWORD in text
    assert text.strip().splitlines()[-1].strip().endswith(DEMO_USERS[-1][0])
    # A server that stopped (here: a process that already ended) gets no banner.
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    out = io.StringIO()
    call_command("demo_logins", port=port, server_pid=int(gone.stdout), timeout=5, stdout=out)
    assert out.getvalue() == ""


@pytest.mark.django_db
def test_demo_course_lessons_have_steps_of_their_own(site_tree):
    from content.models import TrainingCoursePage

    call_command("seed_demo", stdout=io.StringIO())
    courses = TrainingCoursePage.objects.all()
    assert courses
    for course in courses:
        for lesson in course.lessons:
            steps = [step["title"] for step in lesson.value["steps"]]
            # Not the lesson's own title and summary repeated as its only step.
            assert len(steps) >= 2 and lesson.value["title"] not in steps, (course.title, steps)
