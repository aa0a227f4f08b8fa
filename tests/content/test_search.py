import io

import pytest

from content import search

pytestmark = pytest.mark.django_db


def results(client, query):
    html = client.get("/search/", {"q": query}).content.decode()
    return html


def test_chinese_queries_find_pages_containing_them(client, add_tip, add_story):
    add_tip("Gel nails", summary="讓凝膠美甲撐過三週")
    add_tip("Hand care", summary="冬天的手部保養")
    add_story("A lunch-break manicure")
    assert "Gel nails" in results(client, "美甲")
    html = results(client, "保養")
    assert "Hand care" in html and "Gel nails" not in html


def test_words_inside_stream_fields_and_snippets_are_found(client, add_tip):
    add_tip("Foot care", summary="Weekly", body=[
        {"type": "steps", "value": [{"title": "泡腳十分鐘", "text": "<p>溫水加鹽</p>",
                                     "image": None}]}])
    assert "Foot care" in results(client, "泡腳")
    assert "Foot care" in results(client, "Nails")  # the category snippet's name


def test_every_term_must_match(client, add_tip):
    add_tip("Gel nails", summary="凝膠美甲")
    add_tip("Hand care", summary="手部保養")
    html = results(client, "美甲 凝膠")
    assert "Gel nails" in html and "Hand care" not in html
    assert "Nothing found" in results(client, "美甲 頭皮")


def test_english_search_ignores_case(client, add_tip):
    add_tip("Winter Hand Care")
    assert "Winter Hand Care" in results(client, "winter hand")


def test_unpublished_pages_are_not_found(client, add_tip):
    tip = add_tip("Gel nails", summary="凝膠美甲")
    tip.unpublish()
    assert "Gel nails" not in results(client, "美甲")


def test_courses_are_found_only_by_providers(client, add_course, member, provider):
    add_course("Gel fundamentals")
    assert "Gel fundamentals" not in results(client, "凝膠")
    client.force_login(member)
    assert "Gel fundamentals" not in results(client, "凝膠")
    client.force_login(provider)
    assert "Gel fundamentals" in results(client, "凝膠")


def test_other_apps_register_their_own_section(client, tree):
    def topics(query, user, limit):
        return [search.Result(title=f"Topic about {query}", url="/community/")]

    registered = search._SECTIONS["topics"]  # community's real section, put back afterwards
    search.register_section("topics", "Forum topics", topics, order=60)
    try:
        html = results(client, "美甲")
        assert "Forum topics" in html and "Topic about 美甲" in html
    finally:
        search._SECTIONS["topics"] = registered


def test_rebuild_search_text_indexes_pages_published_without_signals(client, tree):
    from django.core.management import call_command

    from content.models import CareTipPage

    tree["tips"].add_child(instance=CareTipPage(title="Imported tip", slug="imported",
                                                summary="匯入的美甲文章"))
    assert "Imported tip" not in results(client, "匯入")
    call_command("rebuild_search_text", stdout=io.StringIO())
    assert "Imported tip" in results(client, "匯入")
