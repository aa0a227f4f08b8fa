import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from events import services
from events.errors import CheckInError, FeedbackError
from events.models import CheckIn, EventPhoto, Registration
from portal import roles
from tests.factories import end_event, make_user, open_doors

pytestmark = pytest.mark.django_db
Status = Registration.Status


def test_checkin_admits_confirmed_ticket_once(event, member, staff):
    reg = services.register_for_event(event=event, member=member)
    open_doors(event)
    first, created = services.check_in_attendee(code=reg.ticket_code, event=event, staff=staff)
    again, created_again = services.check_in_attendee(code=reg.ticket_code, event=event, staff=staff)
    assert created and not created_again and first.pk == again.pk
    assert CheckIn.objects.count() == 1
    reg.refresh_from_db()
    assert reg.status == Status.ATTENDED


@pytest.mark.parametrize("case", ["unknown_code", "other_event", "not_confirmed"])
def test_checkin_refusals_name_the_reason(case, make_event, member, other_member, staff):
    event = make_event(capacity=1)
    reg = services.register_for_event(event=event, member=member)
    code = reg.ticket_code
    target = event
    if case == "unknown_code":
        code = "no-such-code"
    elif case == "other_event":
        target = make_event()
    else:
        services.cancel_registration(registration=reg, member=member)
    with pytest.raises(CheckInError) as exc:
        services.check_in_attendee(code=code, event=target, staff=staff)
    assert exc.value.code == case


@pytest.mark.parametrize(
    "who, allowed",
    [("own_staff", True), ("other_staff", False), ("moderator", True), ("superuser", True),
     ("member", False)],
)
def test_checkin_permission_matrix(who, allowed, client, event, member, staff, other_staff,
                                   moderator):
    reg = services.register_for_event(event=event, member=make_user("guest@example.com", roles.MEMBERS))
    open_doors(event)
    users = {
        "own_staff": staff,
        "other_staff": other_staff,
        "moderator": moderator,
        "superuser": make_user("root@example.com", is_superuser=True, is_staff=True),
        "member": member,
    }
    client.force_login(users[who])
    response = client.post(f"/checkin/{event.pk}/", {"code": reg.ticket_code})
    assert (response.status_code == 200) is allowed
    assert CheckIn.objects.exists() is allowed
    if not allowed:
        with pytest.raises(CheckInError):
            services.check_in_attendee(code=reg.ticket_code, event=event, staff=users[who])


def test_checkin_page_green_then_red_with_time_and_name(client, event, member, staff):
    reg = services.register_for_event(event=event, member=member)
    open_doors(event)
    client.force_login(staff)
    body = client.post(f"/checkin/{event.pk}/", {"code": reg.ticket_code}).content.decode()
    assert 'data-checkin-result="ok"' in body and "Mei" in body
    body = client.post(f"/checkin/{event.pk}/", {"code": reg.ticket_code}).content.decode()
    assert 'data-checkin-result="bad"' in body and "Already checked in at" in body and "by Kai" in body
    body = client.post(f"/checkin/{event.pk}/", {"code": "nope"}).content.decode()
    assert "Unknown code" in body


def test_a_scan_reads_the_event_and_the_staffs_stores_once(client, event, member, staff):
    """The view has both already: the check-in service and its award do not read them again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reg = services.register_for_event(event=event, member=member)
    open_doors(event)
    client.force_login(staff)
    with CaptureQueriesContext(connection) as queries:
        body = client.post(f"/checkin/{event.pk}/", {"code": reg.ticket_code}).content.decode()
    assert 'data-checkin-result="ok"' in body
    sql = [query["sql"] for query in queries]
    assert sum('FROM "events_eventpage"' in q for q in sql) == 1
    assert sum('FROM "content_storepage"' in q for q in sql) == 1


def test_checkin_home_lists_todays_events_of_own_store(client, make_event, staff, other_staff,
                                                       other_store):
    from datetime import timedelta

    from django.utils import timezone

    today = make_event(title="Today here", start=timezone.now() + timedelta(hours=1),
                       cancellation_deadline=timezone.now())
    make_event(title="Next week")
    client.force_login(staff)
    body = client.get("/checkin/").content.decode()
    assert today.title in body and "Next week" not in body
    there = make_event(title="Today there", store=other_store,
                       start=timezone.now() + timedelta(hours=1), cancellation_deadline=timezone.now())
    client.force_login(other_staff)
    body = client.get("/checkin/").content.decode()
    assert there.title in body and today.title not in body
    assert client.get(f"/checkin/{today.pk}/").status_code == 403


def test_attendee_list_and_csv(client, event, member, other_member, staff):
    reg = services.register_for_event(event=event, member=member)
    services.register_for_event(event=event, member=other_member)
    services.check_in_attendee(code=reg.ticket_code, event=open_doors(event), staff=staff)
    client.force_login(staff)
    assert "Attended" in client.get(f"/checkin/{event.pk}/attendees/").content.decode()
    body = client.get(f"/checkin/{event.pk}/attendees.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["name", "email", "status"]
    assert any(row[1:3] == ["member@example.com", "attended"] and row[5] == "Kai" for row in rows)
    assert any(row[1:3] == ["other@example.com", "confirmed"] for row in rows)


def _png():
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "pink").save(out, format="PNG")
    return SimpleUploadedFile("p.png", out.getvalue(), content_type="image/png")


def _attend(event, member, staff):
    reg = services.register_for_event(event=event, member=member)
    services.check_in_attendee(code=reg.ticket_code, event=open_doors(event), staff=staff)
    return end_event(event)


def test_photo_public_only_after_moderation(client, event, member, staff, moderator):
    event = _attend(event, member, staff)
    photo = services.add_event_photo(event=event, member=member, image=_png(), caption="Fun")
    assert photo.image.url not in client.get(event.url).content.decode()
    services.approve_event_photo(photo_id=photo.pk, moderator=moderator)
    assert photo.image.url in client.get(event.url).content.decode()


def test_photo_and_rating_refused_for_non_attendees(event, member, other_member, staff):
    event = _attend(event, member, staff)
    with pytest.raises(FeedbackError) as exc:
        services.add_event_photo(event=event, member=other_member, image=_png())
    assert exc.value.code == "not_attended"
    with pytest.raises(FeedbackError):
        services.rate_event(event=event, member=other_member, score=5)


def test_bad_photo_upload_rerenders_with_error(client, event, member, staff):
    event = _attend(event, member, staff)
    client.force_login(member)
    bad = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    response = client.post(f"/events/{event.slug}/photos/", {"image": bad, "caption": "keep me"})
    assert response.status_code == 200 and "keep me" in response.content.decode()
    assert not EventPhoto.objects.exists()


def test_rating_once_and_average_shown(client, event, member, other_member, staff):
    event = _attend(event, member, staff)
    client.force_login(member)
    client.post(f"/events/{event.slug}/rate/", {"score": "4", "text": "Lovely"})
    response = client.post(f"/events/{event.slug}/rate/", {"score": "2", "text": "again"})
    assert "You have already rated this event." in response.content.decode()
    assert event.ratings.count() == 1
    assert "4.0" in client.get(event.url).content.decode()


def test_moderation_view_is_for_moderators(client, event, member, staff, moderator):
    event = _attend(event, member, staff)
    photo = services.add_event_photo(event=event, member=member, image=_png())
    client.force_login(member)
    assert client.get("/events/moderation/photos/").status_code == 403
    client.force_login(moderator)
    client.post("/events/moderation/photos/", {"photo": photo.pk, "action": "approve"})
    photo.refresh_from_db()
    assert photo.approved_at is not None


def test_approving_a_photo_already_rejected_says_so(client, event, member, staff, moderator):
    event = _attend(event, member, staff)
    photo = services.add_event_photo(event=event, member=member, image=_png())
    services.reject_event_photo(photo_id=photo.pk, moderator=moderator)
    client.force_login(moderator)
    response = client.post("/events/moderation/photos/", {"photo": photo.pk, "action": "approve"},
                           follow=True)
    assert response.redirect_chain == [("/events/moderation/photos/", 302)]
    assert "That photo was already removed." in response.content.decode()


@pytest.mark.parametrize("forged", ["99999999999999999999", str(2**63), "0", "²", "x"])
@pytest.mark.parametrize("action", ["approve", "reject"])
def test_a_forged_photo_id_is_404(client, moderator, forged, action):
    client.force_login(moderator)
    response = client.post("/events/moderation/photos/", {"photo": forged, "action": action})
    assert response.status_code == 404
