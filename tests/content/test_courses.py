import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(add_course):
    return add_course("Gel fundamentals")


def test_anonymous_visitor_is_told_whom_courses_are_for_and_how_to_sign_in(client, course):
    for url in ("/courses/", f"/courses/{course.slug}/"):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 403
        assert "Training courses are for verified providers" in html
        assert f'href="/accounts/login/?next={url}"' in html
        assert 'href="/accounts/signup/?next=/me/provider/"' in html
        assert "Gel fundamentals" not in html


def test_member_is_refused_with_a_way_to_apply(client, member, course):
    client.force_login(member)
    for url in ("/courses/", f"/courses/{course.slug}/"):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 403
        assert "Training courses are for verified providers" in html
        assert 'href="/me/provider/"' in html
        assert "Gel fundamentals" not in html


def test_other_group_restricted_pages_stay_a_plain_refusal(client, member, add_tip):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    tip = add_tip("Editors only")
    restriction = PageViewRestriction.objects.create(page=tip,
                                                     restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.get(name="Editors"))
    assert client.get(tip.url).status_code == 302  # visitors: Wagtail's login redirect
    client.force_login(member)
    html = client.get(tip.url).content.decode()
    assert "This page isn't open to you" in html and "verified providers" not in html


def test_courses_are_in_the_menu_and_dashboard_of_those_who_may_read_them(client, member, provider,
                                                                         course):
    client.force_login(member)
    assert 'href="/courses/"' not in client.get("/me/").content.decode()
    client.force_login(provider)
    for url in ("/", "/me/"):
        assert client.get(url).content.decode().count('href="/courses/"') >= (2 if url == "/me/" else 1)


def test_verified_provider_sees_courses(client, provider, course):
    client.force_login(provider)
    assert "Gel fundamentals" in client.get("/courses/").content.decode()
    assert client.get(f"/courses/{course.slug}/").status_code == 200


def test_editor_sees_courses(client, editor, course):
    client.force_login(editor)
    assert client.get(f"/courses/{course.slug}/").status_code == 200


def test_course_index_made_in_the_admin_is_restricted(site_tree):
    from wagtail.models import PageViewRestriction

    from content.models import TrainingCourseIndexPage
    from content.wagtail_hooks import protect_new_pages

    index = site_tree.add_child(instance=TrainingCourseIndexPage(title="Courses", slug="courses"))
    protect_new_pages(None, index)
    restriction = PageViewRestriction.objects.get(page=index)
    assert restriction.restriction_type == PageViewRestriction.GROUPS
    assert set(restriction.groups.values_list("name", flat=True)) >= {"Providers", "Editors"}


def test_store_made_in_the_admin_gets_its_staff_group(add_store):
    from django.contrib.auth.models import Group

    from content.wagtail_hooks import protect_new_pages

    store = add_store("Tainan")
    protect_new_pages(None, store)
    assert Group.objects.get(name=f"Store staff: {store.slug}").page_permissions.count() == 3


def test_an_alias_has_its_source_pages_restriction(client, member, add_tip, tree):
    """portal.pages.ViewRestrictionsOnce reads restrictions in one query: an alias still takes its
    source's restriction (Wagtail's rule), wherever the alias sits."""
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    tip = add_tip("Members' secret")
    restriction = PageViewRestriction.objects.create(page=tip,
                                                     restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.get(name="Editors"))
    alias = tip.create_alias(parent=tree["stories"], update_slug="secret-alias")
    client.force_login(member)
    assert client.get(tip.url).status_code == 403
    assert client.get(alias.url).status_code == 403
    restriction.delete()
    assert client.get(alias.url).status_code == 200


LEAKS = ("ListValue", "StructValue", "object at 0x", "{%", "{#")


def test_course_page_shows_its_lessons_not_their_repr(client, provider, tree, category):
    """A lesson's steps are a ListBlock inside a StructBlock: `include_block` on the raw value printed
    `<ListValue: [StructValue(...)]>`; it must render through the steps block's template."""
    from content.models import TrainingCoursePage
    from tests.factories import publish

    course = publish(tree["courses"], TrainingCoursePage(
        title="Gel basics", slug="gel-basics", summary="Start here", category=category,
        lessons=[{"type": "lesson", "value": {
            "title": "Preparing the nail", "summary": "Clean and shape.", "video": None,
            "steps": [{"title": "File gently", "text": "<p>Use a <b>fine</b> file.</p>",
                       "image": None}],
            "documents": []}}]))
    client.force_login(provider)
    html = client.get(course.url).content.decode()
    assert "Preparing the nail" in html
    assert "File gently" in html
    assert "Use a <b>fine</b> file." in html
    for leak in LEAKS:
        assert leak not in html
