import pytest
from django.contrib.auth.models import Group

from content import services
from portal import roles
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def stores(add_store):
    return add_store("Xinyi"), add_store("Da'an")


def test_store_staff_edit_their_store_only(client, stores):
    own, other = stores
    staff = make_user("staff@example.com")
    services.add_store_staff(user=staff, store=own)
    assert own.permissions_for_user(staff).can_edit()
    assert own.permissions_for_user(staff).can_publish()
    assert not other.permissions_for_user(staff).can_edit()
    client.force_login(staff)
    assert client.get(f"/admin/pages/{own.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/{other.pk}/edit/").status_code in (302, 403)


def test_adding_staff_twice_changes_nothing(stores):
    own, _ = stores
    staff = make_user("staff@example.com")
    services.add_store_staff(user=staff, store=own)
    services.add_store_staff(user=staff, store=own)
    assert set(staff.groups.values_list("name", flat=True)) == {
        roles.STORE_STAFF, services.store_group_name(own)
    }
    assert Group.objects.get(name=services.store_group_name(own)).page_permissions.count() == 3


def test_unpublished_store_takes_no_staff(stores):
    own, _ = stores
    own.unpublish()
    with pytest.raises(services.StoreStaffError) as error:
        services.add_store_staff(user=make_user("staff@example.com"), store=own)
    assert error.value.code == "store_not_live"


def test_demo_seeds_staff_user_to_xinyi(site_tree):
    import io

    from content import demo
    from portal import demo as portal_demo

    portal_demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    demo.seed(io.StringIO())  # idempotent
    from content.models import CareTipPage, CaseStudyPage, PractitionerPage, StorePage
    from portal.models import User

    staff = User.objects.get(email="staff@tend.example")
    xinyi, daan = StorePage.objects.get(slug="xinyi"), StorePage.objects.get(slug="daan")
    assert xinyi.permissions_for_user(staff).can_edit()
    assert not daan.permissions_for_user(staff).can_edit()
    assert CareTipPage.objects.live().count() >= 8
    assert CaseStudyPage.objects.live().values("persona").distinct().count() == 3
    assert CaseStudyPage.objects.live().count() >= 8
    assert PractitionerPage.objects.live().count() >= 4
