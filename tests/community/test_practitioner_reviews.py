"""Visits proven by event attendance, reviews naming a practitioner, one public answer, and the
published-review signal that rewards listen to."""

import datetime
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community import services
from community.errors import ReviewError
from community.models import ReviewAnswer, ServiceReview, ServiceVisit
from content.models import PractitionerIndexPage, PractitionerPage, StorePage
from content.services import add_store_staff
from events import services as event_services
from events.models import EventIndexPage, EventPage
from portal import roles
from portal.models import Notification
from portal.signals import service_review_published
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 20)


@pytest.fixture
def staff(store):
    user = make_user("staff@example.com", display_name="Kai")
    add_store_staff(user=user, store=store)
    return user


@pytest.fixture
def other_store(store):
    return store.get_parent().add_child(instance=StorePage(title="Da'an", slug="daan"))


@pytest.fixture
def team(site_tree):
    return site_tree.add_child(instance=PractitionerIndexPage(title="Team", slug="team"))


def _practitioner(team, title, *stores, user=None):
    page = team.add_child(instance=PractitionerPage(title=title, slug=title.lower(), user=user))
    page.stores.add(*stores)
    page.save()
    return page


@pytest.fixture
def ada(team, store):
    account = make_user("ada@example.com", roles.PROVIDERS, display_name="Ada")
    return _practitioner(team, "Ada", store, user=account)


@pytest.fixture
def published():
    sent = []

    def receiver(sender, **kwargs):
        sent.append(kwargs)

    service_review_published.connect(receiver)
    yield sent
    service_review_published.disconnect(receiver)


def test_check_in_records_a_visit_and_member_can_review(client, site_tree, store, staff, member):
    now = timezone.now()
    index = site_tree.add_child(instance=EventIndexPage(title="Events", slug="events"))
    event = index.add_child(instance=EventPage(
        title="Nail day", slug="nail-day", store=store, capacity=5,
        start=now + timedelta(hours=1), end=now + timedelta(hours=3),
        registration_opens=now - timedelta(days=1), registration_closes=now + timedelta(minutes=30),
        cancellation_deadline=now,
    ))
    registration = event_services.register_for_event(event=event, member=member)
    client.login(email=member.email, password=PASSWORD)
    assert "No visits to review" in client.get("/community/reviews/").content.decode()
    event_services.check_in_attendee(code=registration.ticket_code, event=event, staff=staff)
    event_services.check_in_attendee(code=registration.ticket_code, event=event, staff=staff)
    visit = ServiceVisit.objects.get()
    assert (visit.member, visit.store_id, visit.recorded_by, visit.event_id) == (
        member, store.pk, staff, event.pk)
    assert visit.date == timezone.localdate(timezone.now(), event.tz)
    assert "Xinyi" in client.get("/community/reviews/").content.decode()
    response = client.post(f"/community/reviews/{visit.pk}/", {
        "process": 5, "courtesy": 5, "technique": 4, "text": "Fun day"})
    assert response.status_code == 302 and ServiceReview.objects.get().visit == visit


def test_attendance_on_a_day_staff_already_recorded_keeps_one_visit(store, staff, member):
    first = services.record_service_visit(staff=staff, member=member, store=store, date=DAY)
    again = services.record_attended_visit(member=member, store_id=store.pk, date=DAY,
                                           event_id=store.pk, staff=staff)
    assert first.pk == again.pk and ServiceVisit.objects.count() == 1


def test_only_staff_of_that_store_record_visits(store, other_store, staff, member):
    with pytest.raises(ReviewError):
        services.record_service_visit(staff=staff, member=member, store=other_store, date=DAY)
    generic = make_user("generic@example.com", roles.STORE_STAFF)
    with pytest.raises(ReviewError):
        services.record_service_visit(staff=generic, member=member, store=store, date=DAY)


def test_review_names_a_practitioner_of_the_store_only(team, store, other_store, staff, member,
                                                       ada, published):
    elsewhere = _practitioner(team, "Bo", other_store)
    visit = services.record_service_visit(staff=staff, member=member, store=store, date=DAY)
    with pytest.raises(ReviewError) as exc:
        services.create_service_review(member=member, visit=visit, process=5, courtesy=5,
                                       technique=5, text="ok", practitioner=elsewhere)
    assert exc.value.code == "not_store_practitioner"
    assert published == []  # a refused review is not announced
    review = services.create_service_review(member=member, visit=visit, process=5, courtesy=4,
                                            technique=3, text="Neat", practitioner=ada)
    assert review.practitioner == ada
    assert published == [{"signal": service_review_published, "review_id": review.pk,
                          "member": member, "store_id": store.pk, "score": Decimal("4.00")}]


def test_visit_recorded_with_practitioner_fixes_the_review(store, staff, member, ada, team):
    other = _practitioner(team, "Cy", store)
    visit = services.record_service_visit(staff=staff, member=member, store=store, date=DAY,
                                          practitioner=ada)
    with pytest.raises(ReviewError):
        services.create_service_review(member=member, visit=visit, process=5, courtesy=5,
                                       technique=5, text="ok", practitioner=other)
    review = services.create_service_review(member=member, visit=visit, process=4, courtesy=4,
                                            technique=4, text="ok")
    assert review.practitioner == ada


def test_practitioner_page_shows_reviews_and_one_public_answer(client, store, staff, member,
                                                               other_member, ada):
    for user, score in ((member, 5), (other_member, 3)):
        visit = services.record_service_visit(staff=staff, member=user, store=store, date=DAY)
        services.create_service_review(member=user, visit=visit, process=score, courtesy=score,
                                       technique=score, text=f"Scored {score}", practitioner=ada)
    ada.save_revision().publish()
    body = client.get(ada.url).content.decode()
    assert "Service reviews" in body and "4.0 / 5" in body and "2 reviews" in body
    assert "Answer publicly" not in body
    review = ServiceReview.objects.get(process=3)
    client.login(email=member.email, password=PASSWORD)
    assert client.get(f"/community/reviews/answer/{review.pk}/").status_code == 403
    with pytest.raises(ReviewError):
        services.answer_review(author=member, review=review, text="me too")
    client.login(email="ada@example.com", password=PASSWORD)
    assert "Answer publicly" in client.get(ada.url).content.decode()
    response = client.post(f"/community/reviews/answer/{review.pk}/", {"text": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    response = client.post(f"/community/reviews/answer/{review.pk}/",
                           {"text": "Thanks, see you <b>soon</b>"})
    assert response.status_code == 302
    with pytest.raises(ReviewError) as exc:
        services.answer_review(author=staff, review=review, text="Also us")
    assert exc.value.code == "already_answered"
    assert ReviewAnswer.objects.count() == 1
    client.logout()
    body = client.get(ada.url).content.decode()
    assert "Answer from Ada" in body and "Thanks, see you" in body and "<b>soon" not in body
    assert Notification.objects.filter(user=ada.user, kind="service_review").count() == 2
    told = Notification.objects.get(user=other_member, kind="service_review")
    assert "Ada answered your review" in told.message and told.url == ada.url


def test_store_staff_answer_on_the_store_page(client, store, staff, member):
    visit = services.record_service_visit(staff=staff, member=member, store=store, date=DAY)
    review = services.create_service_review(member=member, visit=visit, process=2, courtesy=2,
                                            technique=2, text="Slow")
    client.login(email=staff.email, password=PASSWORD)
    assert "Answer publicly" in client.get(store.url).content.decode()
    client.post(f"/community/reviews/answer/{review.pk}/", {"text": "Sorry, we fixed it"})
    assert "Sorry, we fixed it" in client.get(store.url).content.decode()


def test_review_lists_have_constant_queries(client, store, staff, ada, team):
    def add_reviews(n, offset):
        for i in range(n):
            user = make_user(f"m{offset + i}@example.com", roles.MEMBERS)
            visit = services.record_service_visit(staff=staff, member=user, store=store, date=DAY)
            review = services.create_service_review(member=user, visit=visit, process=4,
                                                    courtesy=4, technique=4, text="ok",
                                                    practitioner=ada)
            services.answer_review(author=staff, review=review, text="Thanks")

    def count(url):
        # Warm the per-process caches (site root paths, session) and the per-user ones (the bell's
        # count changes with every review's notification).
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    ada.save_revision().publish()
    client.login(email=staff.email, password=PASSWORD)
    add_reviews(1, 0)
    store_one, ada_one = count(store.url), count(ada.url)
    add_reviews(4, 10)
    assert (count(store.url), count(ada.url)) == (store_one, ada_one)


def test_demo_seeds_one_answered_practitioner_review_once(site_tree):
    import io

    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    review = ServiceReview.objects.select_related("practitioner", "answer").get()
    assert review.practitioner is not None and review.answer.text
    assert ServiceVisit.objects.count() == 1


def test_visit_form_offers_own_stores_and_refuses_others(client, store, other_store, staff,
                                                         member, ada):
    client.login(email=staff.email, password=PASSWORD)
    page = client.get("/community/visits/new/").content.decode()
    assert "Xinyi" in page and "Da&#x27;an" not in page and "Ada" in page
    response = client.post("/community/visits/new/", {
        "member": member.email, "store": other_store.pk, "date": "2026-11-21"})
    assert response.status_code == 200 and not ServiceVisit.objects.exists()
    response = client.post("/community/visits/new/", {
        "member": member.email, "store": store.pk, "date": "2026-11-21", "practitioner": ada.pk})
    assert response.status_code == 302
    assert ServiceVisit.objects.get().practitioner == ada
    client.login(email=member.email, password=PASSWORD)
    assert client.get("/community/visits/new/").status_code == 403


def test_review_form_offers_the_stores_practitioners(client, team, store, other_store, staff,
                                                     member, ada):
    _practitioner(team, "Bo", other_store)
    visit = services.record_service_visit(staff=staff, member=member, store=store, date=DAY)
    client.login(email=member.email, password=PASSWORD)
    form = client.get(f"/community/reviews/{visit.pk}/").content.decode()
    assert "Ada" in form and ">Bo<" not in form
    response = client.post(f"/community/reviews/{visit.pk}/", {
        "process": 5, "courtesy": 5, "technique": 5, "text": "Great", "practitioner": ada.pk})
    assert response.status_code == 302
    assert ServiceReview.objects.get().practitioner == ada
