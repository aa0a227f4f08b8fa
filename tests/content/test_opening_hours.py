import datetime
import re
import zoneinfo

import pytest

from content.models import OpeningHours

pytestmark = pytest.mark.django_db
TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")
# 2026-11-23 is a Monday.
MONDAY = datetime.date(2026, 11, 23)


def at(day_offset, hour, minute=0, tz=TAIPEI):
    day = MONDAY + datetime.timedelta(days=day_offset)
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


@pytest.fixture
def store(add_store):
    store = add_store("Da'an")
    # Closed on Mondays; 12:00-20:00 Tuesday to Friday; Saturday runs late, past midnight.
    for weekday in range(1, 5):
        store.opening_hours.add(OpeningHours(weekday=weekday, opens=datetime.time(12),
                                             closes=datetime.time(20)))
    store.opening_hours.add(OpeningHours(weekday=5, opens=datetime.time(18),
                                         closes=datetime.time(2)))
    store.save()
    return store


def test_open_now_across_the_week(store):
    assert not store.is_open_at(at(0, 13))  # Monday: closed all day
    for day in range(1, 5):
        assert not store.is_open_at(at(day, 11, 59))
        assert store.is_open_at(at(day, 12))
        assert store.is_open_at(at(day, 19, 59))
        assert not store.is_open_at(at(day, 20))
    assert not store.is_open_at(at(5, 13))  # Saturday opens only at six
    assert store.is_open_at(at(5, 23, 30))
    assert store.is_open_at(at(6, 1, 30))  # Saturday's late slot runs into Sunday
    assert not store.is_open_at(at(6, 2))
    assert not store.is_open_at(at(6, 15))


def test_open_now_uses_the_stores_time_zone(store):
    # 05:00 UTC on Tuesday is 13:00 in Taipei: open.
    assert store.is_open_at(at(1, 5, tz=datetime.UTC))
    store.time_zone = "Europe/London"
    assert not store.is_open_at(at(1, 5, tz=datetime.UTC))


def test_store_page_shows_hours_and_map_link(client, store):
    store.latitude, store.longitude = "25.041900", "121.549100"
    store.save_revision().publish()
    html = client.get(f"/stores/{store.slug}/").content.decode()
    assert "Tuesday" in html and "12:00–20:00" in html
    assert "openstreetmap.org/?mlat=25.041900&amp;mlon=121.549100" in html


def test_store_page_lists_every_day_and_a_day_without_hours_as_closed(client, store):
    html = client.get(f"/stores/{store.slug}/").content.decode()
    days = re.findall(r'<th scope="row">(\w+)</th><td>([^<]*)</td>', html)
    assert [day for day, _hours in days] == [
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    assert dict(days)["Monday"] == "Closed" and dict(days)["Sunday"] == "Closed"
    assert dict(days)["Saturday"] == "18:00–02:00"
