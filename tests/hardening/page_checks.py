"""What every rendered page must be free of: template or Python leaks, foreign hosts in its links, images
without alt text and, on a page served in Traditional Chinese, English interface text.

Interface text is told from user content (what members, staff and editors wrote, which may be in any
language) in two ways:
- markup: an element with `data-user-content`, `translate="no"` or a `lang` that is not Chinese excludes
  its text and its translatable attributes (alt, title, aria-label, placeholder), as HTML defines for
  `translate` and `lang`. Templates mark user content this way where it is transformed on the way out
  (truncated, joined with interface words) or sits inside one text node with interface text.
- the data itself: `UserText` holds the strings the database stores (page titles and bodies, names,
  posts, rewards...; see `collect_user_text` for whose words count). A text node or attribute that is
  one of them, or a person's name, is user content. What is left after removing them and the allowed
  words (brand, acronyms, time zone names) must have no English word.
"""

import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

LEAKS = ("{#", "{%", "}}", "object at 0x", "ListValue", "StructValue", "StreamValue")
# Inside <script>: a `}}` closes nested JSON objects there, so only what cannot be JavaScript.
SCRIPT_LEAKS = ("{#", "{%", "object at 0x", "ListValue", "StructValue", "StreamValue")

# Words that are the same in a Traditional Chinese interface: the brand, acronyms, file formats.
ALLOWED_WORDS = frozenset({
    "Tend", "QR", "NT", "LINE", "CSV", "ICS", "PDF", "PNG", "JPEG", "JPG", "HEIC", "WebP", "GIF", "SVG",
    "Markdown", "Email", "email", "Google", "Apple", "iCal", "Outlook", "Wi", "Fi", "OK", "ID", "TOTP",
    "Wagtail", "Django", "KB", "MB", "GB",
})
# Hosts a page may link to besides the site's own: the store map and the video players editors embed.
KNOWN_EXTERNAL_HOSTS = frozenset({
    "www.openstreetmap.org", "www.youtube.com", "www.youtube-nocookie.com", "player.vimeo.com",
    "www.w3.org",  # SVG and XML namespaces
    # Wagtail's admin: its editor guide and its page for browsers without JavaScript.
    "guide.wagtail.org", "www.enable-javascript.com",
})

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                  "source", "track", "wbr"})
TRANSLATABLE_ATTRS = ("alt", "title", "aria-label", "placeholder", "aria-description")
URL_ATTRS = ("href", "src", "action", "poster", "data-src", "formaction", "cite")
LINK_METAS = frozenset({"og:url", "og:image", "og:image:url", "og:image:secure_url", "twitter:image"})
# Words: a Latin letter run of two or more; tokens with a digit (codes, "2FA", "NT$200") are not words.
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’_-]*")
LATIN = re.compile(r"[A-Za-z]{2}")
# Time zone names (Asia/Taipei) are identifiers, shown as they are in every language.
ZONE = re.compile(
    r"\b(?:Africa|America|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)/[A-Za-z_]+\b|\bUTC\b")
URLISH = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|/[\w./?=&%-]+")
SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    return SPACE.sub(" ", text).strip()


@dataclass
class Finding:
    kind: str  # leak, alt, host, english
    text: str
    where: str = ""

    def __str__(self):
        return f"{self.kind}: {self.text!r}" + (f" in <{self.where}>" if self.where else "")


@dataclass
class UserText:
    """Strings that users and editors wrote, as the database holds them (see `collect_user_text`)."""

    strings: set[str] = field(default_factory=set)
    names: list[str] = field(default_factory=list)

    def __post_init__(self):
        # What may be cut out of a text node: user strings and names with Latin letters in them.
        parts = {s for s in self.strings if LATIN.search(s) and len(s) >= 3}
        parts.update(n for n in self.names if n and LATIN.search(n))
        self._parts = sorted(parts, key=len, reverse=True)

    def english_left(self, text: str) -> list[str]:
        """The English words of `text` that are neither user content, a name nor an allowed word."""
        text = normalise(text)
        if not LATIN.search(text) or text in self.strings:
            return []
        text = URLISH.sub(" ", ZONE.sub(" ", text))
        if not _words(text):
            return []
        # Longest first, so a page title goes before a shorter name inside it.
        for string in self._parts:
            if string in text:
                text = _remove(text, string)
        return _words(text)


def _words(text: str) -> list[str]:
    return [token for token in TOKEN.findall(text)
            if not any(ch.isdigit() for ch in token) and LATIN.search(token)
            and token.strip("'’_-") not in ALLOWED_WORDS]


def _in_word(char: str) -> bool:
    return (char.isascii() and char.isalnum()) or char in "-'’_"


def _remove(text: str, part: str) -> str:
    """`text` without each occurrence of `part` that is not inside a longer Latin word."""
    start = text.find(part)
    while start != -1:
        end = start + len(part)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not _in_word(before) and not _in_word(after):
            text = text[:start] + " " + text[end:]
            start = text.find(part, start + 1)
        else:
            start = text.find(part, end)
    return text


class _PageParser(HTMLParser):
    def __init__(self, *, check_english: bool, user_text: UserText, site_host: str, english_scope=""):
        super().__init__(convert_charrefs=True)
        self.check_english = check_english
        self.english_scope = english_scope
        self.user_text = user_text
        self.site_host = site_host
        self.findings: list[Finding] = []
        # One entry per open element: (tag, excluded from the English check, short description).
        self.stack: list[tuple[str, bool, str]] = []
        self.user_depth = None  # depth of the outermost open element marked as user content
        self.scope_depth = None if english_scope else 0  # depth of the open element held to English
        self.title_parts: list[str] = []

    # Where a finding is: the nearest elements with an id or class, outermost first.
    def where(self, extra: str = "") -> str:
        parts = [desc for _tag, _excluded, desc in self.stack[-4:]]
        if extra:
            parts.append(extra)
        return " > ".join(parts)

    @property
    def excluded(self) -> bool:
        if self.scope_depth is None:
            return True
        return bool(self.stack) and self.stack[-1][1]

    @property
    def in_user_content(self) -> bool:
        return self.user_depth is not None

    @property
    def tag(self) -> str:
        return self.stack[-1][0] if self.stack else ""

    def in_tag(self, *names) -> bool:
        return any(tag in names for tag, _excluded, _desc in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs_dict = {name: (value or "") for name, value in attrs}
        user = "data-user-content" in attrs_dict
        if self.scope_depth is None and tag == self.english_scope:
            self.scope_depth = len(self.stack)
        inherited = bool(self.stack) and self.stack[-1][1]
        excluded = inherited or user or _not_interface(attrs_dict)
        desc = tag + (f"#{attrs_dict['id']}" if attrs_dict.get("id") else "") + (
            "." + ".".join(attrs_dict["class"].split()[:2]) if attrs_dict.get("class") else "")
        self._check_attributes(tag, attrs_dict, excluded or self.scope_depth is None,
                               self.in_user_content or user, desc)
        if tag not in VOID:
            if user and self.user_depth is None:
                self.user_depth = len(self.stack)
            self.stack.append((tag, excluded, desc))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                if self.user_depth is not None and self.user_depth >= depth:
                    self.user_depth = None
                if self.scope_depth and self.scope_depth >= depth:
                    self.scope_depth = None
                return

    def handle_comment(self, data):
        pass

    def handle_data(self, data):
        if self.in_tag("script", "style"):
            if self.tag == "script":
                for leak in [leak for leak in SCRIPT_LEAKS if leak in data][:1]:
                    self.findings.append(Finding("leak", _around(data, leak), self.where()))
            return
        # One finding per text node: a printed StreamField holds several of the markers.
        leaks = [leak for leak in LEAKS if leak in data]
        for leak in leaks[:1]:
            self.findings.append(Finding("leak", _around(data, leak), self.where()))
        if self.tag == "title":
            self.title_parts.append(data)
            return
        if (leaks or not self.check_english or self.excluded
                or self.in_tag("head", "textarea", "code", "pre")):
            return
        words = self.user_text.english_left(data)
        if words:
            self.findings.append(Finding("english", normalise(data), self.where()))

    def _check_attributes(self, tag, attrs, excluded, user, desc):
        for name, value in attrs.items():
            for leak in [leak for leak in LEAKS if leak in value][:1]:
                self.findings.append(Finding("leak", f"{name}={_around(value, leak)}", self.where(desc)))
        if tag == "img" and "alt" not in attrs:
            self.findings.append(Finding("alt", f"<img src={attrs.get('src', '')!r}> has no alt",
                                         self.where(desc)))
        urls = [attrs[name] for name in URL_ATTRS if attrs.get(name)]
        if attrs.get("srcset"):
            urls += [part.split()[0] for part in attrs["srcset"].split(",") if part.strip()]
        if tag == "meta" and (attrs.get("property") or attrs.get("name")) in LINK_METAS:
            urls.append(attrs.get("content", ""))
        for url in urls:
            host = foreign_host(url, self.site_host)
            if host and not user:
                self.findings.append(Finding("host", url, self.where(desc)))
        if self.check_english and not excluded and not self.in_tag("head"):
            checked = [attrs.get(name, "") for name in TRANSLATABLE_ATTRS]
            if tag == "input" and attrs.get("type") in ("submit", "button", "reset"):
                checked.append(attrs.get("value", ""))
            for value in checked:
                if value and self.user_text.english_left(value):
                    self.findings.append(Finding("english", normalise(value), self.where(desc)))

    def close(self):
        super().close()
        title = "".join(self.title_parts)
        if self.check_english and self.user_text.english_left(title):
            self.findings.append(Finding("english", normalise(title), "title"))


def _not_interface(attrs: dict) -> bool:
    """Text that is not this page's interface language: marked not to translate, in another language,
    or Wagtail's own user bar (Wagtail's translation, not ours)."""
    if attrs.get("translate") == "no" or attrs.get("id", "").startswith("wagtail-userbar"):
        return True
    lang = attrs.get("lang")
    return lang is not None and not lang.lower().startswith("zh")


def _around(text: str, needle: str, width: int = 60) -> str:
    at = text.find(needle)
    start = max(0, at - width)
    return normalise(text[start:at + len(needle) + width])


def foreign_host(url: str, site_host: str) -> str:
    """The host of an absolute http(s) URL that is neither the site's nor a known external one."""
    url = url.strip()
    if not url.startswith(("http://", "https://", "//")):
        return ""
    host = urlsplit(url if not url.startswith("//") else "http:" + url).netloc.lower()
    if host == site_host or host.split(":")[0] in KNOWN_EXTERNAL_HOSTS:
        return ""
    return host


def check_html(html: str, *, zh: bool, user_text: UserText, site_host: str,
               english_scope: str = "") -> list[Finding]:
    """Findings on one HTML page; `english_scope` names the element (e.g. "main") that alone is held to
    the English check, when the rest of the page is another application's (Wagtail's admin)."""
    parser = _PageParser(check_english=zh, user_text=user_text, site_host=site_host,
                         english_scope=english_scope)
    parser.feed(html)
    parser.close()
    return parser.findings


XML_URL = re.compile(r"(?:<loc>|<link>|<guid[^>]*>|<id>|\b(?:href|url|src)=\")\s*(https?://[^<\"\s]+)")
ICS_URL = re.compile(r"^URL[;:][^\r\n]*?(https?://\S+)", re.MULTILINE)


def check_text(body: str, *, content_type: str, site_host: str) -> list[Finding]:
    """Feeds, sitemaps, calendars and JSON: Python leaks and the hosts of the links they carry."""
    findings = [Finding("leak", _around(body, leak)) for leak in
                ("object at 0x", "ListValue", "StructValue", "StreamValue", "{%", "{#") if leak in body]
    if "calendar" in content_type:
        urls = ICS_URL.findall(body.replace("\r\n ", "").replace("\n ", ""))
    else:
        urls = XML_URL.findall(unescape(body))
    for url in urls:
        if foreign_host(url, site_host):
            findings.append(Finding("host", url))
    return findings


# Whose words each model holds. Members and staff write in any language (posts, chat, reviews, names,
# notes, codes). Notifications are the site's own sentences: interface text. Every other string field
# (pages, snippets, image titles used as alt text, tags) is an editor's, which this site writes in both
# languages in one field, as the demo does ("Tend Xinyi 信義店"): an editor's text with no Chinese in it
# is English left under 繁體中文 (a home hero, a section's introduction), not user content.
PEOPLES_WORDS = frozenset({
    "portal.user", "portal.providerapplication", "community.topic", "community.post",
    "community.postrevision",
    "community.report", "community.moderationaction", "community.servicereview", "community.reviewanswer",
    "community.room", "community.message", "community.messagereport", "events.eventphoto",
    "events.eventrating", "events.registration", "events.coupon", "events.couponuse", "events.pointsentry",
})
SITES_WORDS = frozenset({"portal.notification", "portal.notificationpreference"})
WAGTAILS_WITH_CONTENT = frozenset({
    "wagtailcore.page", "wagtailcore.site", "wagtailimages.image", "taggit.tag"})
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def collect_user_text() -> UserText:
    """The strings the database holds, as pages show them (stored HTML and StreamField values split into
    text nodes): all of people's words, and editors' words that have Chinese in them."""
    from django.apps import apps
    from django.db import models
    from wagtail.fields import RichTextField, StreamField

    def add(strings: set, value, editors: bool):
        if isinstance(value, str):
            texts = _text_nodes(value) if "<" in value and ">" in value else []
            for text in [*texts, normalise(value)]:
                if text and (not editors or CJK.search(text)):
                    strings.add(text)
        elif isinstance(value, dict):
            for item in value.values():
                add(strings, item, editors)
        elif isinstance(value, list | tuple):
            for item in value:
                add(strings, item, editors)

    strings: set[str] = set()
    own = {"portal", "content", "community", "events"}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.proxy or label in SITES_WORDS or (
                model._meta.app_label not in own and label not in WAGTAILS_WITH_CONTENT):
            continue
        editors = label not in PEOPLES_WORDS
        fields = [f.attname for f in model._meta.concrete_fields
                  if isinstance(f, models.CharField | models.TextField | RichTextField | StreamField)
                  and not f.choices and f.model is model]
        for row in model._default_manager.values_list(*fields) if fields else []:
            for value in row:
                add(strings, value.get_prep_value() if hasattr(value, "get_prep_value") else value,
                    editors)
    User = apps.get_model("portal", "User")
    # A member without a display name is shown by the start of their e-mail address (User.name).
    names = [name for display_name, email in User.objects.values_list("display_name", "email")
             for name in (display_name or email.split("@")[0], email)]
    return UserText(strings=strings, names=names)


def _text_nodes(html: str) -> list[str]:
    nodes = []

    class Collector(HTMLParser):
        def handle_data(self, data):
            data = normalise(data)
            if data:
                nodes.append(data)

    Collector(convert_charrefs=True).feed(html)
    return nodes
