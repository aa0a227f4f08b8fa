import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(add_course):
    return add_course("Gel fundamentals")


def test_anonymous_visitor_is_sent_to_login(client, course):
    for url in ("/courses/", f"/courses/{course.slug}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_member_is_refused(client, member, course):
    client.force_login(member)
    assert client.get("/courses/").status_code == 403
    assert client.get(f"/courses/{course.slug}/").status_code == 403


def test_verified_provider_sees_courses(client, provider, course):
    client.force_login(provider)
    assert "Gel fundamentals" in client.get("/courses/").content.decode()
    assert client.get(f"/courses/{course.slug}/").status_code == 200


def test_editor_sees_courses(client, editor, course):
    client.force_login(editor)
    assert client.get(f"/courses/{course.slug}/").status_code == 200
