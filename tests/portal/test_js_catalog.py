"""The JavaScript's strings come from Django's catalogue (the djangojs domain), never from branches on
the page's language; the catalogue is a same-origin script the browser keeps until it changes."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from portal import js_catalog

JS = Path(settings.BASE_DIR) / "static" / "js"
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@pytest.fixture(autouse=True)
def _fresh_catalog():
    js_catalog.current_version.cache_clear()
    js_catalog._rendered.clear()
    yield
    js_catalog.current_version.cache_clear()
    js_catalog._rendered.clear()


def test_no_script_branches_on_the_language_or_carries_its_own_chinese():
    for path in sorted(JS.glob("*.js")):
        source = path.read_text()
        assert not re.search(r"zh-hant", source, re.IGNORECASE), f"{path.name} branches on zh-Hant"
        assert not re.search(r"\blang\s*===?", source), f"{path.name} compares the page's language"
        assert not CJK.search(source), f"{path.name} carries Chinese text: use gettext()"


@pytest.mark.django_db
def test_pages_load_the_catalogue_before_their_modules(client, site_tree):
    body = client.get("/").content.decode()
    catalogue = js_catalog.url("en")
    assert catalogue == f"/i18n/en/{js_catalog.current_version()}.js"
    assert body.index(f'<script src="{catalogue}"></script>') < body.index('type="module"')
    client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    assert f'<script src="{js_catalog.url("zh-hant")}"></script>' in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_catalogue_is_a_script_kept_for_a_year(client):
    response = client.get(js_catalog.url("zh-hant"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "django.ngettext" in response.content.decode()


@pytest.mark.django_db
def test_an_old_version_is_sent_to_the_current_one_and_an_unknown_language_is_not_found(client):
    old = client.get("/i18n/zh-hant/000000000000.js")
    assert old.status_code == 302 and old["Location"] == js_catalog.url("zh-hant")
    assert "immutable" not in old.get("Cache-Control", "")
    assert client.get(f"/i18n/xx/{js_catalog.current_version()}.js").status_code == 404


def _compiled_catalogue(folder: Path) -> None:
    messages = folder / "zh_Hant" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "djangojs.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
        'msgid "%s new post"\nmsgid_plural "%s new posts"\nmsgstr[0] "%s 則新回覆"\n',
        encoding="utf-8")
    subprocess.run(["msgfmt", "-o", str(messages / "djangojs.mo"), str(messages / "djangojs.po")],
                   check=True)


@pytest.mark.django_db
def test_the_catalogue_carries_the_compiled_translations_under_a_new_version(client, tmp_path):
    before = js_catalog.current_version()
    _compiled_catalogue(tmp_path)
    with override_settings(LOCALE_PATHS=[tmp_path]):
        js_catalog.current_version.cache_clear()
        assert js_catalog.current_version() != before
        script = client.get(js_catalog.url("zh-hant")).content.decode()
        english = client.get(js_catalog.url("en")).content.decode()
    assert "%s \\u5247\\u65b0\\u56de\\u8986" in script or "%s 則新回覆" in script
    assert "則新回覆" not in english and "\\u5247" not in english
