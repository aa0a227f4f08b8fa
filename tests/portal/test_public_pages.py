"""portal.pages.public: Wagtail's public() in one query."""

import pytest
from wagtail.models import Page, PageViewRestriction

from portal.pages import public

pytestmark = pytest.mark.django_db


def test_public_matches_wagtails_public_in_one_query(site_tree, django_assert_num_queries):
    from content.models import StandardPage

    def add(parent, slug):
        return parent.add_child(instance=StandardPage(title=slug, slug=slug))

    open_section, closed = add(site_tree, "open"), add(site_tree, "closed")
    inside = add(closed, "inside")
    deeper = add(inside, "deeper")
    add(open_section, "visible")
    lone = add(open_section, "lone")  # a restricted leaf beside a public one
    PageViewRestriction.objects.create(page=closed, restriction_type=PageViewRestriction.LOGIN)
    PageViewRestriction.objects.create(page=lone, restriction_type=PageViewRestriction.PASSWORD,
                                       password="x")
    with django_assert_num_queries(1):
        ours = set(public(Page.objects.all()).values_list("pk", flat=True))
    assert ours == set(Page.objects.public().values_list("pk", flat=True))
    assert not {closed.pk, inside.pk, deeper.pk, lone.pk} & ours
    assert {open_section.pk, site_tree.pk} <= ours
