"""Service reviews: staff record a visit, the member reviews it once, averages per store."""

import datetime

import pytest
from django.template import Context, Template

from community import selectors, services
from community.errors import ReviewError
from community.models import ServiceReview
from content.services import add_store_staff
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 20)


@pytest.fixture
def staff(store):
    user = make_user("staff@example.com")
    add_store_staff(user=user, store=store)
    return user


def test_only_staff_record_visits_and_twice_is_one_visit(staff, member, store):
    with pytest.raises(ReviewError):
        services.record_service_visit(staff=member, member=member, store=store, date=DAY)
    first = services.record_service_visit(staff=staff, member=member, store=store, date=DAY)
    again = services.record_service_visit(staff=staff, member=member, store=store, date=DAY)
    assert first.pk == again.pk


def test_review_once_per_visit_by_the_member_served(staff, member, other_member, store):
    visit = services.record_service_visit(staff=staff, member=member, store=store, date=DAY)
    with pytest.raises(ReviewError) as exc:
        services.create_service_review(member=other_member, visit=visit, process=5, courtesy=5,
                                       technique=5, text="never went")
    assert exc.value.code == "not_your_visit"
    with pytest.raises(ReviewError) as exc:
        services.create_service_review(member=member, visit=visit, process=6, courtesy=5,
                                       technique=5, text="too good")
    assert exc.value.code == "bad_score"
    services.create_service_review(member=member, visit=visit, process=4, courtesy=5,
                                   technique=3, text="Lovely <script>x</script>")
    with pytest.raises(ReviewError) as exc:
        services.create_service_review(member=member, visit=visit, process=1, courtesy=1,
                                       technique=1, text="changed my mind")
    assert exc.value.code == "already_reviewed"
    assert "<script>" not in ServiceReview.objects.get().html


def test_averages_and_count_through_selector_and_template_tag(staff, member, other_member,
                                                              store):
    for user, scores in ((member, (4, 5, 3)), (other_member, (2, 4, 5))):
        visit = services.record_service_visit(staff=staff, member=user, store=store, date=DAY)
        services.create_service_review(member=user, visit=visit, process=scores[0],
                                       courtesy=scores[1], technique=scores[2], text="ok")
    summary = selectors.store_review_summary(store)
    assert (summary["count"], summary["process"], summary["courtesy"], summary["technique"]) == (
        2, 3.0, 4.5, 4.0)
    html = Template("{% load community_tags %}{% store_reviews store %}").render(
        Context({"store": store}))
    assert "4.5 / 5" in html and "2 reviews" in html


def test_review_pages(client, staff, member, store):
    visit = services.record_service_visit(staff=staff, member=member, store=store, date=DAY)
    client.login(email=member.email, password=PASSWORD)
    assert "Xinyi" in client.get("/community/reviews/").content.decode()
    response = client.post(f"/community/reviews/{visit.pk}/", {
        "process": 5, "courtesy": 4, "technique": 5, "text": "Great"})
    assert response.status_code == 302 and ServiceReview.objects.count() == 1
    response = client.post(f"/community/reviews/{visit.pk}/", {
        "process": 1, "courtesy": 1, "technique": 1, "text": "again"})
    assert "already reviewed" in response.content.decode()
    assert client.get("/community/visits/new/").status_code == 403
    client.login(email=staff.email, password=PASSWORD)
    response = client.post("/community/visits/new/", {
        "member": member.email, "store": store.pk, "date": "2026-11-21"})
    assert response.status_code == 302
    assert member.service_visits.count() == 2
