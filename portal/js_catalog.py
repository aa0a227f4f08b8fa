"""The JavaScript strings' translations (the djangojs domain, `make messages`), served as a script.

Pages load it with a <script> before their modules, from the same origin (the CSP allows only 'self'
scripts, so it cannot be inline), at an address that names the language and a version of the compiled
catalogs: the browser keeps it for a year and asks again only when the translations change. Each
process renders each language once.
"""

import hashlib
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.views.i18n import JavaScriptCatalog

YEAR = 365 * 24 * 3600


@cache
def current_version() -> str:
    """A digest of the compiled djangojs catalogs: it changes when `make messages` compiles new ones."""
    digest = hashlib.sha256()
    for folder in map(Path, settings.LOCALE_PATHS):
        for path in sorted(folder.glob("*/LC_MESSAGES/djangojs.mo")):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def url(language: str | None = None) -> str:
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return reverse("js_catalog", kwargs={"language": language, "version": current_version()})


class Catalog(JavaScriptCatalog):
    # Only our own strings (LOCALE_PATHS, always read): not every installed app's admin catalogue.
    packages = ["portal"]


_rendered: dict[tuple[str, str], bytes] = {}


def javascript_catalog(request, language: str, version: str):
    if language not in dict(settings.LANGUAGES):
        raise Http404
    if version != current_version():
        # A page cached before the translations changed: the current catalogue, not kept.
        return redirect(url(language))
    key = (language, version)
    if key not in _rendered:
        with translation.override(language):
            _rendered[key] = Catalog.as_view()(request).content
    response = HttpResponse(_rendered[key], content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    return response
