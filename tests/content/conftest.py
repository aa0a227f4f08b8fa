"""A content tree (indexes under the home page) and fixtures that add its pages (tests/factories.py)."""

import itertools

import pytest

from content import services
from content.models import (
    CareTipIndexPage,
    CareTipPage,
    CaseStudyIndexPage,
    CaseStudyPage,
    Persona,
    PractitionerIndexPage,
    PractitionerPage,
    ServiceCategory,
    StoreIndexPage,
    StorePage,
    TrainingCourseIndexPage,
    TrainingCoursePage,
)
from portal import roles
from tests.factories import make_image, make_user, publish

_numbers = itertools.count(1)


@pytest.fixture
def category(db):
    return ServiceCategory.objects.create(name="美甲 Nails", slug="nails")


@pytest.fixture
def persona(db):
    return Persona.objects.create(name="Busy professional", slug="busy-professional", icon="💼")


@pytest.fixture
def tree(site_tree):
    """The five public indexes plus the private course index, as seeded on the demo site."""
    indexes = {
        "tips": CareTipIndexPage(title="Tips", slug="tips"),
        "stories": CaseStudyIndexPage(title="Stories", slug="stories"),
        "practitioners": PractitionerIndexPage(title="Practitioners", slug="practitioners"),
        "stores": StoreIndexPage.objects.first() or StoreIndexPage(title="Stores", slug="stores"),
        "courses": TrainingCourseIndexPage(title="Courses", slug="courses"),
    }
    for index in indexes.values():
        if index.pk is None:
            publish(site_tree, index)
    services.restrict_courses(index=indexes["courses"])
    return indexes


@pytest.fixture
def add_tip(tree, category):
    def add(title=None, *, summary="保養的小秘訣", body=None, image=True):
        number = next(_numbers)
        return publish(tree["tips"], CareTipPage(
            title=title or f"Tip {number}", slug=f"tip-{number}", summary=summary,
            category=category, cover=make_image(f"tip{number}") if image else None,
            body=body or [{"type": "paragraph", "value": "<p>Daily care.</p>"}],
        ))
    return add


@pytest.fixture
def add_story(tree, category, persona):
    def add(title=None, *, persona_=None):
        number = next(_numbers)
        return publish(tree["stories"], CaseStudyPage(
            title=title or f"Story {number}", slug=f"story-{number}", summary="A story",
            persona=persona_ or persona, category=category, cover=make_image(f"story{number}"),
        ))
    return add


@pytest.fixture
def add_practitioner(tree, category):
    def add(title=None):
        number = next(_numbers)
        # Each has a provider account, so listings that show the earned tier are counted with it.
        account = make_user(f"person{number}@example.com", roles.PROVIDERS)
        person = PractitionerPage(title=title or f"Person {number}", slug=f"person-{number}",
                                  photo=make_image(f"person{number}"), user=account)
        person.specialties = [category]
        return publish(tree["practitioners"], person)
    return add


@pytest.fixture
def add_store(tree):
    def add(title=None):
        number = next(_numbers)
        return publish(tree["stores"], StorePage(title=title or f"Store {number}",
                                                 slug=f"store-{number}",
                                                 cover=make_image(f"store{number}")))
    return add


@pytest.fixture
def add_course(tree, category):
    def add(title=None):
        number = next(_numbers)
        return publish(tree["courses"], TrainingCoursePage(
            title=title or f"Course {number}", slug=f"course-{number}", summary="凝膠基礎",
            category=category, cover=make_image(f"course{number}")))
    return add
