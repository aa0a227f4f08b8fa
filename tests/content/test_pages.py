import pytest
from django.core.cache import cache

from content.models import (
    BrandStoryPage,
    CareTipIndexPage,
    CareTipPage,
    CaseStudyPage,
    HomePage,
    PractitionerPage,
    StandardPage,
    StorePage,
    TrainingCoursePage,
    reading_minutes,
)
from portal.models import ProviderTier

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("child", "parent"),
    [
        (CareTipPage, "tips"),
        (CaseStudyPage, "stories"),
        (PractitionerPage, "practitioners"),
        (StorePage, "stores"),
        (TrainingCoursePage, "courses"),
    ],
)
def test_child_pages_live_only_under_their_index(tree, child, parent):
    assert child.can_create_at(tree[parent])
    others = [index for name, index in tree.items() if name != parent]
    assert not any(child.can_create_at(index) for index in others)
    assert not child.can_create_at(tree[parent].get_parent())


def test_indexes_are_single_and_under_home(tree, site_tree):
    assert not CareTipIndexPage.can_create_at(site_tree)  # one already exists
    assert not CareTipIndexPage.can_create_at(tree["stories"])
    assert BrandStoryPage.can_create_at(site_tree)
    assert StandardPage.can_create_at(site_tree)
    assert not HomePage.can_create_at(site_tree)


def test_reading_time_counts_chinese_characters_and_english_words():
    assert reading_minutes("保" * 800) == 2
    assert reading_minutes("word " * 600) == 3
    assert reading_minutes("") == 1


def test_tip_page_shows_body_breadcrumbs_canonical_and_open_graph(client, settings, add_tip):
    tip = add_tip("凝膠美甲 Gel nails", body=[
        {"type": "heading", "value": "準備"},
        {"type": "callout", "value": {"kind": "warning", "text": "<p>不要硬撕</p>"}},
    ])
    response = client.get("/tips/" + tip.slug + "/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<link rel="canonical" href="{settings.SITE_URL}/tips/{tip.slug}/">' in html
    assert 'property="og:title" content="凝膠美甲 Gel nails"' in html
    assert 'property="og:image"' in html
    assert 'aria-label="Breadcrumbs"' in html and 'href="/tips/"' in html
    assert "callout-warning" in html and "不要硬撕" in html
    assert "srcset=" in html and ".webp" in html


def test_story_index_filters_by_persona_and_category(client, add_story, persona):
    from content.models import Persona

    other = Persona.objects.create(name="Bespoke", slug="bespoke")
    add_story("Lunch manicure")
    add_story("Bridal party", persona_=other)
    html = client.get("/stories/?persona=bespoke").content.decode()
    assert "Bridal party" in html and "Lunch manicure" not in html
    html = client.get("/stories/?category=nails&persona=busy-professional").content.decode()
    assert "Lunch manicure" in html and "Bridal party" not in html
    assert "No stories match" in client.get("/stories/?category=hair").content.decode()


def test_indexes_paginate_by_twelve(client, add_tip):
    for _ in range(13):
        add_tip(image=False)
    first = client.get("/tips/").content.decode()
    assert first.count('class="card content-card"') == 12
    assert 'rel="next" href="?page=2"' in first
    assert client.get("/tips/?page=2").content.decode().count('class="card content-card"') == 1


def test_home_shows_featured_tips_and_renders_empty_slots(client, add_tip):
    add_tip("Winter hand care")
    html = client.get("/").content.decode()
    assert "Winter hand care" in html


def test_slots_render_what_an_app_registers_for_the_page(client, add_store):
    from content import slots

    store = add_store("Xinyi")

    def provider(request, page):
        return "content/blocks/heading.html", {"value": f"Experience day at {page.title}"}

    slots.register_slot("store_events", provider)
    try:
        assert "Experience day at Xinyi" in client.get(f"/stores/{store.slug}/").content.decode()
    finally:
        slots._SLOTS["store_events"].remove(provider)
    # Providers are registered at start-up; the anonymous page cache (portal.caching.pages) would keep
    # the page with the removed block for up to PAGE_CACHE_SECONDS.
    cache.clear()
    assert "Experience day" not in client.get(f"/stores/{store.slug}/").content.decode()


def test_unknown_slot_names_are_refused():
    from content import slots

    with pytest.raises(ValueError):
        slots.register_slot("sidebar", lambda request, page: None)


def test_practitioner_shows_the_tier_their_account_earned_over_the_editors(client, add_practitioner):
    person = add_practitioner("Ivy")
    assert "Standard" in client.get(person.url).content.decode()  # nothing earned yet: the editor's
    person.user.provider_tier = ProviderTier.EXCELLENT
    person.user.save(update_fields=["provider_tier"])
    cache.clear()  # the anonymous page cache; recognition changes show within PAGE_CACHE_SECONDS
    for url in (person.url, "/practitioners/"):
        html = client.get(url).content.decode()
        assert "Excellent" in html and "Standard" not in html


def test_home_sections_show_a_published_or_unpublished_page_at_once(client, member, add_story):
    """The home page's lists are page fragments, kept per page-tree generation;
    signed-in views, never served from the page cache, must not show them stale."""
    client.force_login(member)
    add_story("First story")
    assert "First story" in client.get("/").content.decode()  # cached from here on
    newer = add_story("Newer story")
    assert "Newer story" in client.get("/").content.decode()
    newer.unpublish()
    assert "Newer story" not in client.get("/").content.decode()


def test_responsive_image_renders_as_wagtail_s_srcset_image(db):
    from django.template import engines

    from tests.factories import make_image

    image = make_image("cover")
    arguments = 'fill-{400x260,800x520} format-webp sizes="33vw" loading="lazy" class="card-img"'
    render = engines["django"].from_string(
        "{% load wagtailimages_tags content_tags %}"
        f"{{% srcset_image image {arguments} %}}|{{% responsive_image image {arguments} %}}").render
    wagtail_s, ours = render({"image": image}).split("|")
    assert ours == wagtail_s and 'srcset="' in ours and "fill-800x520" in ours
    assert render({"image": None}) == "|"
