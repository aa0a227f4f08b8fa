import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import notifications, services


def _queries(client, path):
    client.get(path)  # fills the per-user cache (portal.caching.users), as an earlier page would
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/me/", "/me/notifications/"])
def test_account_pages_issue_a_constant_number_of_queries(client, member, other_member, path):
    notifications.register_kind("test_in_app", "Test", notifications.IN_APP)
    client.force_login(member)
    services.notify(member, "test_in_app", "first")
    other_member.referred_by = member
    other_member.save()
    few = _queries(client, path)
    for n in range(30):
        services.notify(member, "test_in_app", f"note {n}")
    assert _queries(client, path) == few
    # the session without Redis and the page's own reads: /me/ its referral count (its notifications,
    # application and sections are kept), /me/notifications/ a page of them and their count; the
    # user, bell and roles come from the cache
    assert few <= {"/me/": 2, "/me/notifications/": 3}[path]
