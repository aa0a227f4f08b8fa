"""Page fragments (portal.templatetags.page_fragments): the parts of a page that are the same for
every visitor are rendered once per page-tree generation, for signed-in views too, and never stale."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def signed_in_view(client, url):
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    return html, [query["sql"] for query in queries]


def test_a_tip_s_body_and_cards_are_read_once_then_come_from_the_fragment(client, member, add_tip):
    related = add_tip("Related tip")
    tip = add_tip("Main tip", body=[{"type": "paragraph", "value": "<p>Moisturise nightly.</p>"}])
    tip.related_tips = [related]
    tip.save_revision().publish()
    client.force_login(member)  # never served from the anonymous page cache
    signed_in_view(client, tip.url)
    again, queries = signed_in_view(client, tip.url)
    assert "Moisturise nightly." in again and "Related tip" in again
    # Neither the related cards, the tags nor the breadcrumbs are read again.
    assert not [sql for sql in queries if "related_tips" in sql or "taggit" in sql
                or '"wagtailcore_page"."depth" > 1' in sql]


def test_a_published_edit_shows_at_once_to_a_signed_in_reader(client, member, add_tip):
    tip = add_tip("Before", body=[{"type": "paragraph", "value": "<p>Old advice.</p>"}])
    client.force_login(member)
    assert "Old advice." in client.get(tip.url).content.decode()
    tip.title = "After"
    tip.body = [{"type": "paragraph", "value": "<p>New advice.</p>"}]
    tip.save_revision().publish()
    html = client.get(tip.url).content.decode()
    assert "New advice." in html and "Old advice." not in html


def test_an_index_fragment_is_kept_apart_per_filter_and_page(client, member, add_story, persona):
    from content.models import Persona

    other = Persona.objects.create(name="Student", slug="student")
    add_story("Professional's story")
    add_story("Student's story", persona_=other)
    client.force_login(member)
    everyone = client.get("/stories/").content.decode()
    students = client.get("/stories/?persona=student").content.decode()
    assert "Professional&#x27;s story" in everyone and "Student&#x27;s story" in everyone
    assert "Student&#x27;s story" in students and "Professional&#x27;s story" not in students
    for _ in range(12):
        add_story()
    second_page = client.get("/stories/?page=2").content.decode()
    assert "Page 2 of 2" in second_page


def test_languages_get_their_own_fragment(client, member, add_tip):
    tip = add_tip()
    client.force_login(member)
    english = client.get(tip.url, headers={"accept-language": "en"}).content.decode()
    chinese = client.get(tip.url, headers={"accept-language": "zh-hant"}).content.decode()
    assert "min read" in english
    assert "min read" not in chinese and "分鐘" in chinese


def test_a_preview_shows_the_editor_s_unsaved_text_not_the_cached_fragment(client, editor, add_tip):
    tip = add_tip(body=[{"type": "paragraph", "value": "<p>Saved text.</p>"}])
    client.force_login(editor)
    assert "Saved text." in client.get(tip.url).content.decode()  # the fragment is cached
    tip.body = [{"type": "paragraph", "value": "<p>Unsaved draft.</p>"}]
    response = tip.make_preview_request()
    html = response.render().content.decode() if hasattr(response, "render") else \
        response.content.decode()
    assert "Unsaved draft." in html and "Saved text." not in html


def test_a_request_reads_the_page_generation_once(rf):
    """A page asks for the generation for its route and each fragment: one cache read a request.
    A page published meanwhile shows from the next request on."""
    from portal.caching.pages import generation, new_generation

    request = rf.get("/")
    first = generation(request)
    new_generation()
    assert generation(request) == first
    assert generation() == generation(rf.get("/")) != first


def test_a_page_reads_all_its_fragments_in_one_cache_round_trip(client, member, add_story, monkeypatch):
    from django.core.cache import caches

    add_story("Told once")
    client.force_login(member)
    first = client.get("/stories/").content.decode()  # renders and keeps the fragments
    backend, reads, inside = caches["default"], [], []
    for name in ("get", "get_many"):
        original = getattr(backend, name)

        def counted(keys, *args, name=name, original=original, **kwargs):
            fragment_keys = [key for key in ([keys] if name == "get" else keys) if "pagefragment" in key]
            if fragment_keys and not inside:  # the local-memory cache's get_many calls its get
                reads.append((name, len(fragment_keys)))
            inside.append(name)
            try:
                return original(keys, *args, **kwargs)
            finally:
                inside.pop()

        monkeypatch.setattr(backend, name, counted)
    again = client.get("/stories/").content.decode()
    assert "Told once" in again and again.count("content-card-link") == first.count("content-card-link")
    # head, breadcrumbs and the card grid: one read for the three.
    assert reads == [("get_many", 3)]
