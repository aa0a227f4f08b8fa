"""Every CSV the site sends is written here, so no cell a member typed can run as a spreadsheet formula.

OWASP's CSV Injection advice, followed as written: a text cell that begins with =, +, -, @, tab or
carriage return gets a single quote in front and is otherwise unchanged; every text cell is wrapped in
double quotes (the csv module's QUOTE_NONNUMERIC, which doubles quotes inside), so a ";" or "," in a name
cannot start a new cell in a spreadsheet that splits on either. Numbers we computed (points, counts,
negative adjustments) stay numbers: written from an int or Decimal, "-30" is a value, never a formula.
"""

import csv
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse
from django.utils.http import content_disposition_header

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell as written: numbers as they are, anything else as text a spreadsheet will not evaluate."""
    if value is None or isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(filename: str, rows: Iterable[Iterable]) -> HttpResponse:
    """A CSV download of `rows` (the header is the first row; an empty row separates two tables)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    # filename* as RFC 6266 says, so an event slug in Chinese is a valid header.
    response["Content-Disposition"] = content_disposition_header(True, filename)
    # Excel reads a CSV as UTF-8 (members' Chinese names) only when it starts with the byte-order mark.
    response.write("\ufeff")
    writer = csv.writer(response, quoting=csv.QUOTE_NONNUMERIC)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return response


def take_over_wagtail_exports() -> None:
    """Wagtail's admin reports (site history, aging and locked pages, workflows, form submissions)
    export page titles and users' names as they are: their CSV goes through csv_response too. Their
    XLSX is safe already (Wagtail types formula-looking cells as text)."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    def write_csv_response(self, queryset):
        header = [self.get_heading(queryset, field) for field in self.list_export]
        rows = (
            [self.preprocess_field_value(field, value, self.FORMAT_CSV)
             for field, value in self.to_row_dict(item).items()]
            for item in queryset
        )
        return csv_response(f"{self.get_filename()}.csv", [header, *rows])

    SpreadsheetExportMixin.write_csv_response = write_csv_response
