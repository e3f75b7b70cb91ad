"""What an uploaded file is, judged by its content and never by its name.

Accepted: PDF, OFD, Office and WPS documents (OLE2 .doc/.xls/.ppt/.wps/.et/.dps, zip-based
.docx/.xlsx/.pptx), images, and zip archives of those. Refused: executables and scripts (also inside a
zip, also renamed), archives inside archives, zip bombs, polyglots (an archive inside or behind a PDF,
an image or an Office 97 file, also as an archive's member), archive members whose paths climb out
(`..`, absolute, drive letters), and any file whose content contradicts its extension. `check_upload`
returns the detected type or raises DocumentRefused with a reason.
"""

import os
import tempfile
import zipfile

import filetype
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from qingshen.core.errors import Refused
from qingshen.core.files import polyglot

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Content families and the extensions each may carry.
EXTENSIONS = {
    "pdf": {"pdf"},
    "ole2": {"doc", "xls", "ppt", "wps", "et", "dps"},
    "docx": {"docx", "docm", "wps"},  # WPS saves .wps in either container
    "xlsx": {"xlsx", "xlsm", "et"},
    "pptx": {"pptx", "dps"},
    "ofd": {"ofd"},
    "jpg": {"jpg", "jpeg"},
    "png": {"png"},
    "gif": {"gif"},
    "bmp": {"bmp"},
    "tif": {"tif", "tiff"},
    "webp": {"webp"},
    "heic": {"heic", "heif"},  # phone photos
    "zip": {"zip"},
}
ARCHIVE_EXTENSIONS = polyglot.ARCHIVE_EXTENSIONS
ZIP_DOCUMENT_EXTENSIONS = EXTENSIONS["docx"] | EXTENSIONS["xlsx"] | EXTENSIONS["pptx"] | EXTENSIONS["ofd"]
IMAGE_TYPES = {"jpg", "png", "gif", "bmp", "tif", "webp", "heic"}
EXECUTABLE_EXTENSIONS = polyglot.PROGRAM_EXTENSIONS
EXECUTABLE_MIME = {
    "application/x-msdownload",
    "application/x-executable",
    "application/x-mach-binary",
    "application/x-elf",
    "application/vnd.microsoft.portable-executable",
    "application/x-shockwave-flash",
    "application/x-dex",
}
HEAD_BYTES = 8192
# Families that are not archives: nothing may hide an archive inside or behind them.
NOT_ARCHIVES = {"pdf", "ole2"} | IMAGE_TYPES


class DocumentRefused(Refused):
    """An upload refused before anything is stored."""


def extension_of(name: str) -> str:
    return os.path.splitext(name or "")[1].lower().lstrip(".")


def _is_executable_head(head: bytes) -> bool:
    if head[:2] == b"MZ" or head[:4] in (b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xfe\xed\xfa\xce"):
        return True
    if head[:4] in (b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xfe\xed\xfa\xcf") or head[:2] == b"#!":
        return True
    kind = filetype.guess(head)
    return kind is not None and kind.mime in EXECUTABLE_MIME


def _zip_family(zf: zipfile.ZipFile) -> str:
    names = set(zf.namelist())
    if "[Content_Types].xml" in names:
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        if any(n.startswith("ppt/") for n in names):
            return "pptx"
    if "OFD.xml" in names:
        return "ofd"
    return "zip"


def _family_of_head(head: bytes) -> str | None:
    """The family of content that does not need the whole file (None: not recognised)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(OLE2_MAGIC):
        return "ole2"
    kind = filetype.guess(head)
    if kind is None:
        return None
    if kind.extension in IMAGE_TYPES or kind.extension in {"jpeg", "tiff"}:
        return {"jpeg": "jpg", "tiff": "tif"}.get(kind.extension, kind.extension)
    if kind.extension == "zip" or kind.mime.startswith("application/vnd.openxmlformats"):
        return "zip-container"
    return kind.extension  # something else; never in EXTENSIONS unless listed


def _check_zip_size(zf: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """Refuse a zip (or an Office/OFD file, which is one) that would unpack beyond the caps, before
    anything is decompressed: a small upload must not cost gigabytes of memory or CPU."""
    infos = zf.infolist()
    for info in infos:
        if polyglot.unsafe_member_name(info.filename):
            raise DocumentRefused(polyglot.Hidden("unsafe_member", info.filename).message)
    if len(infos) > settings.QINGSHEN_ZIP_MAX_MEMBERS:
        raise DocumentRefused(
            _("The archive has more than %(n)s files.") % {"n": settings.QINGSHEN_ZIP_MAX_MEMBERS}
        )
    total = sum(i.file_size for i in infos)
    cap = settings.QINGSHEN_ZIP_MAX_UNCOMPRESSED_BYTES
    if total > cap:
        raise DocumentRefused(
            _("Unpacked, the archive would be larger than %(limit)s.") % {"limit": filesizeformat(cap)}
        )
    return infos


def _check_zip_members(zf: zipfile.ZipFile) -> None:
    infos = _check_zip_size(zf)
    for info in infos:
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise DocumentRefused(_("The archive is encrypted; upload it without a password."))
        ext = extension_of(info.filename)
        if ext in EXECUTABLE_EXTENSIONS:
            raise DocumentRefused(
                _("The archive contains a program or script (%(name)s); these are not accepted.")
                % {"name": info.filename}
            )
        with zf.open(info) as member:
            head = member.read(HEAD_BYTES)
        if _is_executable_head(head):
            raise DocumentRefused(
                _("The archive contains a program (%(name)s); these are not accepted.")
                % {"name": info.filename}
            )
        family = _family_of_head(head)
        if ext in ARCHIVE_EXTENSIONS or (family == "zip-container" and ext not in ZIP_DOCUMENT_EXTENSIONS):
            raise DocumentRefused(
                _("The archive contains another archive (%(name)s); put all files in one zip.")
                % {"name": info.filename}
            )
        accepted = ZIP_DOCUMENT_EXTENSIONS if family == "zip-container" else EXTENSIONS.get(family, set())
        if family == "zip" or ext not in accepted:
            raise DocumentRefused(
                _("The archive contains a file that is not accepted or not what its name says (%(name)s).")
                % {"name": info.filename}
            )
        if family != "zip-container":
            # A member may itself be a polyglot (a PDF with a zip behind it): judge its whole content.
            with tempfile.SpooledTemporaryFile(max_size=polyglot.CHUNK * 8) as copy, zf.open(info) as member:
                for chunk in iter(lambda: member.read(polyglot.CHUNK), b""):
                    copy.write(chunk)
                _check_hidden(copy, family, shown_as=info.filename)


def _check_hidden(fileobj, family: str, shown_as: str = "") -> None:
    """Refuse an archive hidden inside or behind a file that is not one (see files/polyglot.py)."""
    found = polyglot.hidden_content(fileobj, family=family)
    if found is not None:
        message = found.message
        if shown_as:
            message = _("%(name)s: %(problem)s") % {"name": shown_as, "problem": message}
        raise DocumentRefused(message)


def check_upload(upload) -> str:
    """The content type of `upload` (a family key of EXTENSIONS), or DocumentRefused."""
    name = getattr(upload, "name", "") or ""
    ext = extension_of(name)
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    if ext in EXECUTABLE_EXTENSIONS or _is_executable_head(head):
        raise DocumentRefused(_("Programs and scripts are not accepted, whatever their name."))
    family = _family_of_head(head)
    if family == "zip-container":
        try:
            with zipfile.ZipFile(upload) as zf:
                _check_zip_size(zf)
                family = _zip_family(zf)
                if family == "zip":
                    _check_zip_members(zf)
                elif zf.testzip() is not None:
                    raise DocumentRefused(_("The file is damaged; save it again and upload the new copy."))
        except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as exc:
            raise DocumentRefused(_("The file is damaged; save it again and upload the new copy.")) from exc
        finally:
            upload.seek(0)
    if family is None or family not in EXTENSIONS:
        raise DocumentRefused(
            _(
                "This type of file is not accepted. Upload PDF, OFD, Office or WPS documents, images, or a zip of those."
            )
        )
    if ext not in EXTENSIONS[family]:
        raise DocumentRefused(
            _(
                "The file's content is %(content)s but its name ends in “.%(ext)s”. Check that it is the right file."
            )
            % {"content": family.upper(), "ext": ext or "—"}
        )
    if family in NOT_ARCHIVES:
        _check_hidden(upload, family)
    return family
