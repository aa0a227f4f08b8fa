"""Moderators' ledger view with audited adjustments, and the reports with CSV."""

import csv
import io

import pytest

from events.models import PointsEntry
from events.rewards.selectors import get_balance
from tests.factories import attend, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who, allowed", [
    ("member", False), ("staff", False), ("editor", False), ("moderator", True), ("superuser", True),
])
def test_ledger_and_reports_permission_matrix(who, allowed, client, member, staff, editor, moderator):
    users = {"member": member, "staff": staff, "editor": editor, "moderator": moderator,
             "superuser": make_user("root@example.com", is_superuser=True, is_staff=True)}
    client.force_login(users[who])
    for url in (f"/admin/rewards/ledgers/{member.pk}/", "/admin/rewards/reports/",
                "/admin/rewards/ledgers/?q=mei"):
        response = client.get(url)
        assert (response.status_code == 200) is allowed, url
    client.post(f"/admin/rewards/ledgers/{member.pk}/", {"amount": 20, "note": "goodwill"})
    assert PointsEntry.objects.exists() is allowed


def test_adjustment_is_audited_and_needs_a_reason(client, member, moderator):
    client.force_login(moderator)
    body = client.post(f"/admin/rewards/ledgers/{member.pk}/", {"amount": 20, "note": ""}).content.decode()
    assert "This field is required" in body and not PointsEntry.objects.exists()
    response = client.post(f"/admin/rewards/ledgers/{member.pk}/", {"amount": 20, "note": "broken dryer"})
    assert response.status_code == 302
    entry = PointsEntry.objects.get()
    assert (entry.amount, entry.note, entry.created_by, entry.reason) == (20, "broken dryer", moderator,
                                                                          "adjustment")
    body = client.post(f"/admin/rewards/ledgers/{member.pk}/", {"amount": -21, "note": "x"}).content.decode()
    assert "cannot go below zero" in body and get_balance(member) == 20


def test_reports_csv_has_months_and_stores(client, moderator, make_event, member, staff):
    attend(make_event(reward_points=30), member, staff)
    client.force_login(moderator)
    body = client.get("/admin/rewards/reports/?format=csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["month", "points_issued", "points_redeemed", "points_adjusted"]
    assert rows[1][1:] == ["80", "0", "0"]
    assert ["Xinyi", "1", "1"] in rows


def test_editors_manage_the_catalogue_members_cannot(client, editor, member, make_reward):
    reward = make_reward()
    client.force_login(editor)
    assert client.get("/admin/snippets/events/reward/").status_code == 200
    assert client.get(f"/admin/snippets/events/reward/edit/{reward.pk}/").status_code == 200
    client.force_login(member)
    assert client.get("/admin/snippets/events/reward/").status_code in (302, 403)
