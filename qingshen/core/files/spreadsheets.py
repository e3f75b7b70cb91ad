"""Reading an uploaded table safely: type by content, bombs and encryption refused, cells as text.

Every refusal is a `FileRefused` with a message for the user; nothing is parsed before the checks.
"""

import csv
import io
import zipfile
from collections.abc import Iterator

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from qingshen.core.errors import Refused
from qingshen.core.files import polyglot

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and the wrapper of an encrypted .xlsx
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")
XML_PROBE_BYTES = 4096
SPREADSHEET_EXTENSIONS = {"xlsx", "xls", "csv"}


# Cells a spreadsheet would run as a formula (CSV/Excel injection); every export escapes them.
FORMULA_LEAD = ("=", "+", "-", "@")


def escape_cell(value) -> str:
    """A cell that starts like a formula is written with a leading apostrophe (design.md §7)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_LEAD) else text


class FileRefused(Refused):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def sniff(data: bytes, name: str) -> str:
    """The file's real kind ("xlsx", "xls" or "csv"), checked against its name; refuse anything else."""
    ext = _extension(name)
    if ext not in SPREADSHEET_EXTENSIONS:
        raise FileRefused(_("Upload an .xlsx, .xls or .csv file."))
    if not data:
        raise FileRefused(_("The file is empty."))
    limit = settings.QINGSHEN_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise FileRefused(
            _("The file is larger than the limit of %(limit)s.") % {"limit": filesizeformat(limit)}
        )
    if data.startswith(EXECUTABLE_MAGIC):
        raise FileRefused(_("This is a program, not a spreadsheet; it was not opened."))
    if data.startswith(b"PK\x03\x04"):
        if ext != "xlsx":
            raise FileRefused(_("The file's content does not match its name: save it as .xlsx."))
        check_xlsx_archive(data)
        return "xlsx"
    if data.startswith(OLE_MAGIC):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data:
            raise FileRefused(
                _("The workbook is password-protected: remove the password and upload it again.")
            )
        if ext == "xlsx":
            raise FileRefused(_("The file's content does not match its name: save it as .xlsx."))
        _refuse_hidden(data, "ole2")
        return "xls"
    if ext != "csv":
        raise FileRefused(_("The file is not a readable workbook (it may be damaged)."))
    if b"\x00" in data[:4096]:
        raise FileRefused(_("This is not a text (CSV) file."))
    _refuse_hidden(data, "csv")
    return "csv"


def _refuse_hidden(data: bytes, family: str) -> None:
    """A table with an archive inside or behind it (a polyglot) is refused; in an .xls, where Excel
    keeps embedded objects as zip packages, only a zip carrying a program or an unsafe path."""
    found = polyglot.hidden_content(io.BytesIO(data), family=family)
    if found is not None:
        raise FileRefused(found.message)


def check_xlsx_archive(data: bytes) -> None:
    """Refuse zip bombs (size or ratio), foreign archives and XML with DTDs (entity bombs)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise FileRefused(_("The workbook is damaged and cannot be read.")) from exc
    names = {i.filename for i in infos}
    for name in names:
        if polyglot.unsafe_member_name(name):
            raise FileRefused(polyglot.Hidden("unsafe_member", name).message)
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise FileRefused(_("This archive is not an Excel workbook."))
    total = sum(i.file_size for i in infos)
    if (
        total > settings.QINGSHEN_IMPORT_MAX_UNZIPPED_BYTES
        or total > settings.QINGSHEN_IMPORT_MAX_RATIO * max(len(data), 1) + 1024 * 1024
    ):
        raise FileRefused(_("The workbook expands to an unreasonable size (a zip bomb?); it was not opened."))
    for info in infos:
        if info.flag_bits & 0x1:
            raise FileRefused(
                _("The workbook is password-protected: remove the password and upload it again.")
            )
        if info.filename.endswith((".xml", ".rels")):
            try:
                with archive.open(info) as part:
                    head = part.read(XML_PROBE_BYTES)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
                raise FileRefused(_("The workbook is damaged and cannot be read.")) from exc
            if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                raise FileRefused(
                    _("The workbook contains XML declarations that are refused (an entity bomb?).")
                )


def _cell_text(value) -> str:
    """calamine gives numbers as floats: a code typed as a number must come back as its digits."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value).strip()


class SheetRows:
    """The first sheet's rows as lists of text, read one at a time (merged cells give their value in
    the first cell). `height` is the sheet's number of rows, known before reading (CSV: its lines)."""

    def __init__(self, data: bytes, kind: str):
        if kind == "csv":
            self.height = data.count(b"\n") + 1
            self._rows = _csv_rows(data)
            return
        from python_calamine import CalamineWorkbook

        try:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
            if not workbook.sheet_names:
                raise FileRefused(_("The workbook has no sheet."))
            sheet = workbook.get_sheet_by_index(0)
            self.height = sheet.end[0] + 1 if sheet.end else 0  # from row 1, as the rows are read
            # iter_rows starts at row 1 but at the first used column: the blank columns before it
            # are put back, so a cell keeps the column it has in the sheet.
            lead = [""] * (sheet.start[1] if sheet.start else 0)
            self._rows = (lead + [_cell_text(v) for v in row] for row in sheet.iter_rows())
        except FileRefused:
            raise
        except Exception as exc:  # calamine raises its own error types for damaged or encrypted files
            raise FileRefused(_("The workbook is damaged or encrypted and cannot be read.")) from exc

    def __iter__(self) -> Iterator[list[str]]:
        try:
            yield from self._rows
        except FileRefused:
            raise
        except Exception as exc:
            raise FileRefused(_("The workbook is damaged or encrypted and cannot be read.")) from exc


def rows_of(data: bytes, kind: str) -> Iterator[list[str]]:
    """The first sheet's rows as lists of text (merged cells give their value in the first cell)."""
    yield from SheetRows(data, kind)


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileRefused(_("The CSV file is neither UTF-8 nor GB18030 text."))
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            yield [c.strip() for c in row]
    except csv.Error as exc:
        raise FileRefused(_("The CSV file is malformed: %(e)s") % {"e": exc}) from exc
