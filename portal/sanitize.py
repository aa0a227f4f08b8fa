"""The one place user HTML is produced. bleach is no longer released: swap the sanitiser here only."""

import re
from collections.abc import Mapping
from functools import partial

import bleach
from bleach.linkifier import LinkifyFilter
from markdown_it import MarkdownIt
from markdown_it.token import Token

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

# Chat's light Markdown: inline only (bold, italic, code, strikethrough), no headings, lists or
# images; line breaks stay text (the chat shows them with white-space: pre-wrap).
_chat_markdown = MarkdownIt("zero", {"html": False}).enable(
    ["emphasis", "backticks", "strikethrough", "escape"]
)


def _set_rel(attrs, new=False):
    href_key = (None, "href")
    if href_key in attrs:
        attrs[(None, "rel")] = LINK_REL
    return attrs


# Linking runs inside the cleaner, on its token stream: bleach's separate Linker escaped the text of
# the tags it skips a second time, so `a<b` in code showed as `a&lt;b` in every post and chat message.
_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[partial(LinkifyFilter, callbacks=[_set_rel], skip_tags={"pre", "code"}, parse_email=False)],
)


def clean_html(html: str) -> str:
    """Reduce HTML to the allowlist: safe tags, http(s)/mailto links with rel=nofollow ugc noopener."""
    return _cleaner.clean(html)


# An @name: a display name or the part of an e-mail before the @ (community.selectors reads who).
MENTION = re.compile(r"(?<![\w@])@([\w.\-]{2,40})")


def _link_mentions(tokens: list[Token], mentions: Mapping[str, str]) -> None:
    """Turn each @handle of the text (not in code, not already in a link) that `mentions` knows
    (lower-cased handle -> address) into a link, before the HTML is rendered and cleaned."""
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        children, in_link = [], 0
        for child in token.children:
            in_link += {"link_open": 1, "link_close": -1}.get(child.type, 0)
            if child.type != "text" or in_link:
                children.append(child)
                continue
            text, start = child.content, 0
            for match in MENTION.finditer(text):
                handle = match.group(1).rstrip(".")
                url = mentions.get(handle.lower())
                if url is None:
                    continue
                end = match.start() + 1 + len(handle)
                children.append(Token("text", "", 0, content=text[start:match.start()]))
                children += [Token("link_open", "a", 1, attrs={"href": url}),
                             Token("text", "", 0, content=text[match.start():end]),
                             Token("link_close", "a", -1)]
                start = end
            children.append(Token("text", "", 0, content=text[start:]))
        token.children = children


def render_markdown(source: str, mentions: Mapping[str, str] | None = None) -> str:
    """Markdown source to clean HTML (raw HTML disabled, then cleaned); an @handle that `mentions`
    names (lower-cased handle -> address) links to that address."""
    tokens = _markdown.parse(source)
    if mentions:
        _link_mentions(tokens, mentions)
    return clean_html(_markdown.renderer.render(tokens, _markdown.options, {}))


def linkify_text(text: str) -> str:
    """Plain text (bios, reviews) to escaped HTML with safe links."""
    return clean_html(bleach.clean(text, tags=set(), strip=False))


def render_chat_text(text: str) -> str:
    """A chat message to clean HTML: light inline Markdown and safe links."""
    return clean_html(_chat_markdown.renderInline(text))
