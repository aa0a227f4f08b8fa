"""The one place user HTML is produced. bleach is no longer released: swap the sanitiser here only."""

import bleach
from bleach.linkifier import Linker
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "hr", "i",
        "img", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th",
        "thead", "tr", "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "abbr": ["title"],
    "img": ["src", "alt", "title", "width", "height", "loading"],
    "td": ["align"],
    "th": ["align"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

# html=False: raw HTML in Markdown is shown as text, never passed through.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
    ["table", "strikethrough"]
)


def _set_rel(attrs, new=False):
    href_key = (None, "href")
    if href_key in attrs:
        attrs[(None, "rel")] = LINK_REL
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)
_linker = Linker(callbacks=[_set_rel], skip_tags={"pre", "code"}, parse_email=False)


def clean_html(html: str) -> str:
    """Reduce HTML to the allowlist: safe tags, http(s)/mailto links with rel=nofollow ugc noopener."""
    return _linker.linkify(_cleaner.clean(html))


def render_markdown(source: str) -> str:
    """Markdown source to clean HTML (raw HTML disabled, then cleaned)."""
    return clean_html(_markdown.render(source))


def linkify_text(text: str) -> str:
    """Plain text (chat, bios) to escaped HTML with safe links."""
    return clean_html(bleach.clean(text, tags=set(), strip=False))
