"""Import uploads: a table with an archive hidden in or behind it, or an unsafe member path, is refused."""

import io
import zipfile

import pytest

from qingshen.core.files import spreadsheets

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
CSV = "企业名称,统一社会信用代码,纳入类型\n甲公司,91500000000000000X,emissions\n".encode()
# Longer than the 4 KB a text file is sniffed by, so what follows is not seen by that check.
LONG_CSV = CSV + "乙公司,91500000000000001X,emissions\n".encode() * 200


def _zip(members):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("名单.csv", LONG_CSV + _zip({"evil.exe": b"MZ" + b"\x00" * 64})),
        ("名单.csv", LONG_CSV + _zip({"readme.txt": b"hi"})),
        ("名单.xls", OLE2 + _zip({"evil.exe": b"MZ" + b"\x00" * 64})),
        ("名单.xls", OLE2 + _zip({"../../x.xml": b"<x/>"})),
        (
            "名单.xlsx",
            _zip({"[Content_Types].xml": b"<T/>", "xl/workbook.xml": b"<w/>", "/etc/cron.d/x": b""}),
        ),
    ],
)
def test_hidden_archives_and_unsafe_paths_are_refused(name, data):
    with pytest.raises(spreadsheets.FileRefused):
        spreadsheets.sniff(data, name)


def test_plain_tables_pass():
    assert spreadsheets.sniff(LONG_CSV, "名单.csv") == "csv"
    assert spreadsheets.sniff(OLE2, "名单.xls") == "xls"
