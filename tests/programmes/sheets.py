"""Generated spreadsheets for the import tests: good ones, and every kind of bad one."""

import io
import zipfile

import xlsxwriter

HEADER = ["序号", "区县", "企业名称", "统一社会信用代码", "行业代码", "纳入类型", "备注"]


def xlsx(rows, *, header=HEADER, title_rows=(), merge_district=None) -> bytes:
    """A workbook: optional title rows, the header, the rows; merge_district=(first, last) merges
    the district cells of those data rows (0-based) the way the notices do."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    r = 0
    for title in title_rows:
        sheet.merge_range(r, 0, r, len(header) - 1, title)
        r += 1
    for c, h in enumerate(header):
        sheet.write_string(r, c, h)
    r += 1
    first = r
    for row in rows:
        for c, v in enumerate(row):
            if isinstance(v, int | float):
                sheet.write_number(r, c, v)
            else:
                sheet.write_string(r, c, v)
        r += 1
    if merge_district:
        a, b = merge_district
        sheet.merge_range(first + a, 1, first + b, 1, rows[a][1])
    book.close()
    return out.getvalue()


def csv_bytes(rows, *, header=HEADER, encoding="utf-8") -> bytes:
    import csv

    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    return out.getvalue()


def entity_bomb(rows) -> bytes:
    """A real workbook whose shared strings part declares the billion-laughs entities."""
    source = zipfile.ZipFile(io.BytesIO(xlsx(rows)))
    out = io.BytesIO()
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{"&lol%s;" % (i - 1 if i > 1 else "") * 10}">' for i in range(1, 10))
        + "]>"
    )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/sharedStrings.xml":
                data = bomb.encode() + data.split(b"?>", 1)[1]
            z.writestr(info, data)
    return out.getvalue()


def encrypted() -> bytes:
    """What Excel writes for a password-protected .xlsx: an OLE container with an EncryptedPackage stream."""
    return (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 504
        + "EncryptionInfo".encode("utf-16-le")
        + b"\0" * 100
        + "EncryptedPackage".encode("utf-16-le")
        + b"\0" * 2000
    )


def empty_workbook() -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.add_worksheet()
    book.close()
    return out.getvalue()
