"""Content's Wagtail pages and snippets, one module per page family: base (what every page shares,
snippets, standard pages, search text), home, tips, stores, practitioners, stories, courses. Each
page's own reads stand beside it; content/selectors.py holds what other apps ask."""

from .base import (
    CARD_FIELDS,
    PER_PAGE,
    RENDITIONS,
    BrandStoryPage,
    IndexPage,
    Persona,
    SearchText,
    ServiceCategory,
    StandardPage,
    TendPage,
    paginate,
    reading_minutes,
    stream_text,
    with_cover,
)
from .courses import TrainingCourseIndexPage, TrainingCoursePage
from .home import HomePage
from .practitioners import PractitionerIndexPage, PractitionerPage
from .stores import OpeningHours, StoreIndexPage, StorePage, week_hours
from .stories import CaseStudyIndexPage, CaseStudyPage
from .tips import CareTipIndexPage, CareTipPage, CareTipTag
