"""Hidden content: an archive inside or behind a file that is not an archive (a polyglot), and archive
members whose names climb out of the folder they are unpacked into.

A PDF with a zip appended still opens as a PDF, and the zip opens in any archiver: the one file is
two. The checks are structural, so chance byte patterns inside compressed streams do not trip them: a
zip is found by zipfile itself (its end record, where archivers look) or by a local header / central
directory entry whose fields are all plausible (version, method, date, a printable name).
"""

import re
import struct
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

CHUNK = 1024 * 1024
LOCAL_HEADER = b"PK\x03\x04"
CENTRAL_ENTRY = b"PK\x01\x02"
_LOCAL = struct.Struct("<4sHHHHHIIIHH")  # APPNOTE.TXT 4.3.7
_CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")  # APPNOTE.TXT 4.3.12
# Compression methods of APPNOTE.TXT 4.4.5 that archivers write (stored, deflate, deflate64, bzip2,
# LZMA, zstd, xz, PPMd, AES).
ZIP_METHODS = {0, 8, 9, 12, 14, 93, 95, 98, 99}
ZIP_MAX_VERSION = 63  # the highest "version needed to extract" APPNOTE.TXT 6.3.x defines
NAME_MAX = 1024  # longer member names are not written by real archivers; also bounds the look-ahead
LOOKAHEAD = _CENTRAL.size + NAME_MAX
# Adobe's PDF Reference 1.7, Appendix H, the implementation note on §3.4.4 "File Trailer": readers
# look for %%EOF only in the last 1024 bytes, so more than that after it is content no reader shows.
PDF_TRAILER_TOLERANCE = 1024
PDF_EOF = b"%%EOF"
# Signatures of what must never follow a PDF's end: archives and programs.
TRAILING_SIGNATURES = (
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"Rar!\x1a\x07",
    b"7z\xbc\xaf\x27\x1c",
    b"\x1f\x8b\x08",
    b"MZ\x90\x00",  # the DOS header every Windows program starts with (bare "MZ" occurs in text)
    b"\x7fELF",
)
_DRIVE = re.compile(r"^[A-Za-z]:")
# Programs and scripts, by extension (uploads refuse them anywhere, also inside archives).
PROGRAM_EXTENSIONS = frozenset({
    "exe", "dll", "com", "scr", "msi", "bat", "cmd", "ps1", "vbs", "vbe", "js", "jse", "wsf", "hta",
    "sh", "bin", "elf", "so", "dylib", "apk", "jar", "lnk", "cpl", "reg", "app", "run",
})  # fmt: skip
ARCHIVE_EXTENSIONS = frozenset({"zip", "rar", "7z", "gz", "tgz", "tar", "bz2", "xz"})


def unsafe_member_name(name: str) -> bool:
    """A member name that would be written outside the folder it is unpacked into: a `..` step, an
    absolute path (/ or \\) or a drive letter (C:)."""
    if not name:
        return False
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return True
    return ".." in re.split(r"[\\/]", name)


@dataclass(frozen=True)
class Hidden:
    """What was found: `kind` is trailing_zip, embedded_zip, after_eof or unsafe_member."""

    kind: str
    name: str = ""

    @property
    def message(self) -> str:
        if self.kind == "unsafe_member":
            return _(
                "The archive contains a file with an unsafe path (%(name)s): names may not contain “..”, "
                "start with / or \\ or with a drive letter."
            ) % {"name": self.name}
        if self.kind == "after_eof":
            return _(
                "The PDF has other data hidden after its end; it may be a disguised archive or program. "
                "Save or print it to PDF again and upload the new copy."
            )
        return _(
            "The file has an archive hidden inside it (a disguised file); it was not accepted. Save it "
            "again from the program that made it and upload the new copy."
        )


def _printable(raw: bytes) -> bool:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp437")  # the zip default when the UTF-8 flag is not set
    return bool(text) and all(ch >= " " and ch != "\x7f" for ch in text)


def _plausible_date(dos_date: int) -> bool:
    month, day = (dos_date >> 5) & 0xF, dos_date & 0x1F
    return 1 <= month <= 12 and 1 <= day <= 31


def _entry_name(data: bytes, at: int) -> str | None:
    """The member name of a zip header starting at `at`, or None if the bytes are not a real one."""
    if data.startswith(LOCAL_HEADER, at):
        if len(data) - at < _LOCAL.size:
            return None
        _sig, version, _flags, method, _time, date, _crc, _cs, _us, nlen, _xlen = _LOCAL.unpack_from(data, at)
        start = at + _LOCAL.size
    else:
        if len(data) - at < _CENTRAL.size:
            return None
        fields = _CENTRAL.unpack_from(data, at)
        version, method, date, nlen = fields[2], fields[4], fields[6], fields[10]
        start = at + _CENTRAL.size
    if version > ZIP_MAX_VERSION or method not in ZIP_METHODS or not _plausible_date(date):
        return None
    if not 0 < nlen <= NAME_MAX or start + nlen > len(data):
        return None
    raw = data[start : start + nlen]
    if not _printable(raw):
        return None
    return raw.decode("utf-8", errors="replace")


def embedded_zip_names(fileobj) -> list[str]:
    """The names in every real zip header anywhere in the file (read in chunks, from the start)."""
    names: list[str] = []
    fileobj.seek(0)
    carry = b""
    while True:
        chunk = fileobj.read(CHUNK)
        data = carry + chunk
        limit = len(data) if not chunk else max(len(data) - LOOKAHEAD, 0)
        for sig in (LOCAL_HEADER, CENTRAL_ENTRY):
            at = data.find(sig)
            while 0 <= at < limit:
                name = _entry_name(data, at)
                if name is not None:
                    names.append(name)
                at = data.find(sig, at + 1)
        if not chunk:
            break
        carry = data[limit:]
    fileobj.seek(0)
    return names


def trailing_zip_names(fileobj) -> list[str]:
    """The members of a zip that archivers would find at the end of the file (none: [])."""
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as zf:
            return zf.namelist()
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, OSError):
        return []
    finally:
        fileobj.seek(0)


def _pdf_trailer(fileobj) -> bytes | None:
    """What follows the last %%EOF (at most what is needed to judge it); None if there is no %%EOF."""
    fileobj.seek(0)
    last, pos, carry = -1, 0, b""
    while True:
        chunk = fileobj.read(CHUNK)
        if not chunk:
            break
        data = carry + chunk
        found = data.rfind(PDF_EOF)
        if found >= 0:
            last = pos - len(carry) + found
        carry = data[-(len(PDF_EOF) - 1) :]
        pos += len(chunk)
    if last < 0:
        fileobj.seek(0)
        return None
    fileobj.seek(last + len(PDF_EOF))
    tail = fileobj.read(2 * PDF_TRAILER_TOLERANCE)
    fileobj.seek(0)
    return tail


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name.rsplit("/", 1)[-1] else ""


def hidden_content(fileobj, *, family: str) -> Hidden | None:
    """Judge a file of content `family` (pdf, ole2, an image family, csv …) that is not an archive.

    PDF, images and text: any zip inside or behind them is refused. OLE2 (.doc/.xls/.wps): Office
    stores embedded charts and objects as zip packages inside the file, so there only zips carrying a
    program, an archive or an unsafe path are refused.
    """
    if family == "pdf":
        tail = _pdf_trailer(fileobj)
        if tail is not None:
            rest = tail.strip(b" \t\r\n\f\x00")
            if len(rest) > PDF_TRAILER_TOLERANCE or any(sig in rest for sig in TRAILING_SIGNATURES):
                return Hidden("after_eof")
    if family == "ole2":
        for name in trailing_zip_names(fileobj) + embedded_zip_names(fileobj):
            if unsafe_member_name(name):
                return Hidden("unsafe_member", name)
            if _extension(name) in PROGRAM_EXTENSIONS | ARCHIVE_EXTENSIONS:
                return Hidden("embedded_zip", name)
        return None
    if trailing_zip_names(fileobj):
        return Hidden("trailing_zip")
    if embedded_zip_names(fileobj):
        return Hidden("embedded_zip")
    return None
