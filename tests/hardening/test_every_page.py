"""Every page each role can reach, in English and in Traditional Chinese, read as a person would see it.

The authorization matrix's world (one user per role, objects owned by someone else) and its route table
say which pages each role reaches; the demo content (`seed_demo`) adds the Wagtail pages: home, tips,
stories, stores, practitioners, courses, events. A page fails on a 5xx, a template or Python leak, a link
to a host other than SITE_URL's, an <img> without alt and, in Traditional Chinese, English interface text
(see page_checks for how interface text is told from user content).

What differs between roles is read by each role; what does not is read once, to keep the crawl fast.
Members and visitors read every content page; other roles see content pages as a member does apart from
the header, the admin bar and what is theirs (a provider's courses and events): one page of each type
stands for the rest, beside what is theirs. allauth's pages are read by a visitor and a member. In the
Wagtail admin, the first role that reaches a page reads it: the pages this project wrote and the lists
and forms of its snippets (Wagtail's own screens show nothing of ours); only their <main> is held to the
English check, the frame around it being Wagtail's translation.
"""

import io
import re
import time
from collections import defaultdict
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import resolve
from wagtail.models import Page

from tests.hardening.page_checks import (
    Finding,
    UserText,
    check_html,
    check_text,
    collect_user_text,
    foreign_host,
)
from tests.hardening.test_authorization_matrix import (
    ADMIN_DEFAULTS,
    GET,
    GET_DEFAULTS,
    expected,
    routes,
    url_for,
)

ROLES = ("anonymous", "member", "provider", "suspended", "staff_a", "editor", "moderator")
LANGUAGES = ("en", "zh-hant")
# Not pages: Wagtail's catch-all redirect, its icon sprite and JavaScript catalogue; a form's target.
NOT_PAGES = {"admin/^.*/$", "wagtailadmin_sprite", "wagtailadmin_javascript_catalog", "set_language"}
# allauth's account pages are the same for every signed-in role but the header, which every other page
# shows: a visitor and a member read them.
ACCOUNT_PAGES = ("account_", "mfa_")
ACCOUNT_READERS = {"anonymous", "member"}
READ_ALL_CONTENT = {"anonymous", "member"}
ADMIN_READERS = ("moderator", "editor", "staff_a")
OWN_CODE = ("portal.", "content.", "community.", "events.")
OWN_MODELS = ("/content/", "/community/", "/events/", "/portal/")
# Names for the world's accounts that have none, so the pages show names rather than e-mail addresses.
NAMES = {"provider": "Pia", "suspended": "Sol", "staff_a": "Kai", "staff_b": "Bo", "editor": "Eddie",
         "moderator": "Mo"}


def content_pages(role: str) -> list[str]:
    from content.models import TrainingCourseIndexPage, TrainingCoursePage
    from events.models import EventPage

    pages = list(Page.objects.live().filter(depth__gt=1).order_by("path").specific())
    if role not in READ_ALL_CONTENT:
        # One page of each type; a provider also reads what is theirs alone: courses, and events
        # open to providers.
        by_type = {}
        for page in pages:
            by_type.setdefault(type(page), page)
        own = (TrainingCourseIndexPage, TrainingCoursePage, EventPage) if role == "provider" else ()
        pages = [page for page in pages if by_type[type(page)] is page or isinstance(page, own)]
    return [page.url for page in pages]


def _admin_page(name: str, url: str) -> bool:
    """The admin pages this project wrote, the lists and forms of its snippets, the dashboard and the
    page explorer: not Wagtail's choosers, reports and media screens, which show none of ours."""
    if name in ("wagtailadmin_home", "wagtailadmin_explore_root"):
        return True
    if resolve(url).func.__module__.startswith(OWN_CODE):
        return True
    return any(model in url for model in OWN_MODELS) and "choose" not in name


def pages_for(role: str, world) -> list[str]:
    urls = []
    for name, path in sorted(routes().items()):
        if name in NOT_PAGES or (name.startswith(ACCOUNT_PAGES) and role not in ACCOUNT_READERS):
            continue
        if path.startswith("admin/"):
            readers = [r for r in ADMIN_READERS if r in expected(GET, name, ADMIN_DEFAULTS)]
            if readers[:1] == [role]:
                urls += [url for url in url_for(name, path, world) if _admin_page(name, url)]
        elif role in expected(GET, name, GET_DEFAULTS):
            urls += content_pages(role) if name == "wagtail_serve" else url_for(name, path, world)
    return list(dict.fromkeys(urls))


@pytest.fixture
def demo(site_tree):
    call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def store(demo, site_tree):
    """The matrix's store A, in a section of its own beside the demo's stores (which hold its slugs)."""
    from content.models import StoreIndexPage, StorePage

    index = site_tree.add_child(instance=StoreIndexPage(title="Partner stores 合作門市", slug="partners"))
    return index.add_child(instance=StorePage(title="Xinyi partner 信義合作店", slug="xinyi",
                                              address="台北市信義區"))


def _in_both_languages(world):
    """The matrix's objects are named in English only; editors here write both languages in one field
    (as the demo does), and people's accounts have names."""
    from events.models import EventPage, Reward

    for role, name in NAMES.items():
        world["users"][role].display_name = name
        world["users"][role].save(update_fields=["display_name"])
    for page, title in ((EventPage.objects.get(slug="nail-day"), "Nail day 美甲日"),
                        (world["users"]["staff_b"].home_store, "Da'an partner 大安合作店")):
        page.title = title
        if hasattr(page, "address"):
            page.address = "台北市大安區"
        page.save()
    Reward.objects.filter(title="Gloss").update(title="Gloss 亮油")


@pytest.mark.django_db
def test_every_page_every_role_both_languages(world):
    _in_both_languages(world)
    user_text = collect_user_text()
    site_host = urlsplit(settings.SITE_URL).netloc
    problems = defaultdict(list)  # (kind, text, where) -> ["zh-hant member /url", ...]
    visited, started, cpu = defaultdict(int), time.monotonic(), time.process_time()
    for role in ROLES:
        client = Client(raise_request_exception=False, HTTP_HOST=site_host)
        if role != "anonymous":
            client.force_login(world["users"][role])
        for url in pages_for(role, world):
            for language in LANGUAGES:
                client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
                response = client.get(url, follow=True, HTTP_ACCEPT_LANGUAGE=language)
                visited[role] += 1
                for finding in check_response(response, url, language, user_text, site_host):
                    link = f" (link {finding.text})" if finding.kind == "host" else ""
                    problems[_key(finding)].append(f"{language} {role} {url}{link}")
    print(f"every page: {sum(visited.values())} responses {dict(visited)} in "
          f"{time.monotonic() - started:.1f} s ({time.process_time() - cpu:.1f} s CPU)")
    assert not problems, report(problems)


def check_response(response, url: str, language: str, user_text: UserText, site_host: str):
    if response.status_code >= 500:
        return [Finding("5xx", f"{response.status_code} answered")]
    if response.status_code >= 300:
        return []  # refused or missing: not a page this role reaches
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode(response.charset or "utf-8", errors="replace")
    if "html" in content_type:
        # In the admin, Wagtail's screens and frame (menu, dialogs) are Wagtail's translation: only the
        # <main> of the pages this project wrote is held to the English check.
        path = response.request["PATH_INFO"]
        admin = path.startswith("/admin/")
        zh = language != "en" and (not admin or resolve(path).func.__module__.startswith(OWN_CODE))
        return check_html(text, zh=zh, user_text=user_text, site_host=site_host,
                          english_scope="main" if admin else "")
    if any(kind in content_type for kind in ("xml", "rss", "atom", "calendar", "json", "text/plain")):
        return check_text(text, content_type=content_type, site_host=site_host)
    return []


def _key(finding: Finding) -> tuple[str, str, str]:
    text = re.sub(r"0x[0-9a-f]+", "0x…", finding.text)
    if finding.kind == "host":
        # One line per foreign host and place, not one per address.
        text = foreign_host(finding.text, "")
    return finding.kind, text, finding.where


def report(problems) -> str:
    lines = [f"{len(problems)} problems; each with the pages it is on (language, role, address):"]
    for (kind, text, where), pages in sorted(problems.items()):
        pages = list(dict.fromkeys(pages))
        shown = ", ".join(pages[:3]) + (f" and {len(pages) - 3} more" if len(pages) > 3 else "")
        lines.append(f"- {kind}: {text}" + (f"  in <{where}>" if where else "") + f"\n    on {shown}")
    return "\n".join(lines)


# The checks themselves: each finds what it is for, and leaves user content, names and Wagtail alone.
SITE = "127.0.0.1:8000"
WRITTEN = UserText(strings={"Gel nail day 凝膠日", "Members' forum · 會員論壇"}, names=["Mei Lin 林美"])


def _found(html: str, zh: bool = True, **kwargs) -> list[tuple[str, str]]:
    page = f'<html lang="{"zh-Hant" if zh else "en"}"><body>{html}</body></html>'
    return [(f.kind, f.text) for f in check_html(page, zh=zh, user_text=WRITTEN, site_host=SITE, **kwargs)]


def test_leaks_are_found_in_text_and_attributes_in_either_language():
    assert _found("<p>{# a comment that spans\nlines #}</p>", zh=False) == [
        ("leak", "{# a comment that spans lines #}")]
    assert [kind for kind, _text in _found(
        "<p>&lt;ListValue: [StructValue([('text', &lt;RichText object at 0x7f00&gt;)])]&gt;</p>")] == ["leak"]
    assert _found('<a title="{{ event.title }}" href="/">x</a>', zh=False) == [
        ("leak", "title={{ event.title }}")]
    # JSON in a script closes its objects with "}}"; a template tag there is still a leak.
    assert _found('<script>let a = {"b": {"c": 1}};</script>') == []
    assert _found("<script>{% url 'x' %}</script>")[0][0] == "leak"


def test_foreign_hosts_are_found_and_the_sites_and_known_ones_pass():
    assert _found('<link rel="canonical" href="http://localhost/tips/">', zh=False) == [
        ("host", "http://localhost/tips/")]
    assert _found('<img alt="" src="//cdn.example.com/a.png" srcset="/a.png 1x">', zh=False) == [
        ("host", "//cdn.example.com/a.png")]
    assert _found(f'<a href="http://{SITE}/tips/">x</a><a href="https://www.openstreetmap.org/?m=1">'
                  "map</a>", zh=False) == []
    # A link a member put in a post is theirs.
    assert _found('<div data-user-content><a href="https://example.org/">x</a></div>', zh=False) == []
    xml = "<urlset><url><loc>http://localhost/tips/</loc></url><url><loc>http://127.0.0.1:8000/</loc></url>"
    assert [f.text for f in check_text(xml, content_type="application/xml", site_host=SITE)] == [
        "http://localhost/tips/"]


def test_an_image_without_alt_is_found_and_an_empty_alt_is_fine():
    assert [kind for kind, _text in _found('<img src="/a.png">', zh=False)] == ["alt"]
    assert _found('<img src="/a.png" alt="">', zh=False) == []


def test_english_interface_text_is_found_on_a_chinese_page_only():
    assert _found("<p>即將開始 Register now</p>") == [("english", "即將開始 Register now")]
    assert _found('<button aria-label="Close">×</button>') == [("english", "Close")]
    assert _found('<input type="submit" value="Save">') == [("english", "Save")]
    assert _found("<p>Register now</p>", zh=False) == []


def test_user_content_names_brand_and_codes_are_not_interface_text():
    assert _found("<h1>Gel nail day 凝膠日</h1>") == []  # a page title, as stored
    assert _found("<p>Mei Lin 林美 參加了 Gel nail day 凝膠日</p>") == []  # a name and a title in a sentence
    assert _found("<p data-user-content>I loved it, see you next time</p>") == []
    assert _found('<img src="/a.png" alt="Hands after a manicure" data-user-content>') == []
    assert _found('<button lang="en">English</button><p translate="no">ABC-123</p>') == []
    assert _found("<p>Tend 的 QR 碼 · NT$200 · 時間以 Asia/Taipei 為準 · 代碼 X7K2P9</p>") == []
    assert _found("<title>Members' forum · 會員論壇 · Tend</title>") == []


def test_a_name_inside_a_longer_word_is_not_cut_out():
    # "Mei" is a name; "Meister" is not it, and stays an English word.
    text = UserText(names=["Mei"])
    assert text.english_left("Meister 大師") == ["Meister"]
    assert text.english_left("Mei 大師") == []


def test_only_the_scope_is_held_to_the_english_check_when_one_is_named():
    html = "<nav>Keyboard shortcuts</nav><main><p>已儲存 Saved</p></main><footer>Help</footer>"
    assert _found(html, english_scope="main") == [("english", "已儲存 Saved")]


@pytest.mark.django_db
def test_editors_english_only_text_is_not_user_content_but_peoples_is(site_tree, member):
    site_tree.hero_title = "Care that fits your life"
    site_tree.hero_text = "Beauty and care 美與保養"
    site_tree.save()
    member.bio = "I love gel nails"
    member.save()
    text = collect_user_text()
    assert text.english_left("Care that fits your life") == ["Care", "that", "fits", "your", "life"]
    assert text.english_left("Beauty and care 美與保養") == []
    assert text.english_left("I love gel nails") == []
