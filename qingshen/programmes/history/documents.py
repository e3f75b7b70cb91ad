"""Documents of rounds imported from before the system: one zip whose folders are named by credit code
and year (`<code>_<year>/…`, `<code>-<year>/…` or `<code>/<year>/…`), each file attached to that
round's imported case as a document of the kind its name (or its folder's) says.

The zip passes the document upload checks as a whole, every file is matched to a case and a kind, and
each file passes them again on its own, before anything is stored: a file that cannot be placed
refuses the whole archive, with a line per file saying why and what to do."""

import dataclasses
import re
import tempfile
import zipfile

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from qingshen.cases import scoping as cases_scoping
from qingshen.cases.documents import document_store
from qingshen.cases.errors import DocumentRefused
from qingshen.cases.models import Document
from qingshen.core.files.uploads import check_upload
from qingshen.programmes import scoping
from qingshen.programmes.errors import ProgrammeError
from qingshen.registry import uscc
from qingshen.trail.services import event_record

Kind = Document.Kind
# Words a file or folder name carries for each kind, most specific first (验收报告 before 报告).
KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (Kind.ACCEPTANCE_OPINION, ("验收意见",)),
    (Kind.OPINION, ("评估意见", "技术审查意见", "审查意见")),
    (Kind.ACCEPTANCE_REPORT, ("验收报告",)),
    (Kind.AUDIT_REPORT, ("审核报告",)),
    (Kind.MONITORING_REPORT, ("监测报告", "监测")),
    (Kind.DISCLOSURE_PROOF, ("公示", "披露")),
    (Kind.APPLICATION, ("申请",)),
    (Kind.IMPLEMENTATION_EVIDENCE, ("实施",)),
    (Kind.TECHNICAL_EVIDENCE, ("技术",)),
    (Kind.CAPACITY_PROOF, ("能力", "资质")),
    (Kind.NOTICE_LETTER, ("告知",)),
    (Kind.WITHDRAWAL, ("撤销", "退出")),
    (Kind.PHOTO, ("照片", "图片")),
    (Kind.OTHER, ("其他", "其它")),
)
YEAR = re.compile(r"^(19|20)\d\d$")
CODE_YEAR = re.compile(r"^([0-9A-Za-z]{18})[_\-－—\s]+((?:19|20)\d\d)$")


@dataclasses.dataclass
class Placed:
    name: str  # the file's path in the zip
    code: str = ""
    year: int | None = None
    kind: str = ""
    case: object = None
    size: int = 0
    problem: str = ""
    spool: object = None  # the file's checked copy, until it is stored

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label) if self.kind else ""


class ArchiveRefused(ProgrammeError):
    def __init__(self, message: str, placed: list[Placed] | None = None):
        super().__init__(message)
        self.placed = placed or []


def _name_of(info: zipfile.ZipInfo) -> str:
    """A member's name as its author saw it: zips made on Chinese Windows carry GBK names without
    the UTF-8 flag, which zipfile reads as cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def kind_of(parts: list[str]) -> str:
    """The kind the file name, or else the nearest folder name, says; "" when none does."""
    for part in reversed(parts):
        lowered = part.lower()
        for kind, words in KIND_WORDS:
            if any(w in part for w in words) or lowered.startswith(kind.value) or str(kind.label) in part:
                return kind.value
    return ""


def _code_and_year(folders: list[str]) -> tuple[str, int | None]:
    for i, part in enumerate(folders):
        m = CODE_YEAR.match(part.strip())
        if m:
            return uscc.normalise(m.group(1)), int(m.group(2))
        if len(part.strip()) == 18 and i + 1 < len(folders) and YEAR.match(folders[i + 1].strip()):
            return uscc.normalise(part.strip()), int(folders[i + 1].strip())
    return "", None


def _placed(actor, names: list[tuple[zipfile.ZipInfo, str]]) -> list[Placed]:
    """Each file's case and kind, or the reason it has none. Two queries for the whole archive."""
    out = []
    for info, name in names:
        parts = [p for p in name.split("/") if p]
        p = Placed(name=name, size=info.file_size)
        p.code, p.year = _code_and_year(parts[:-1])
        if not p.code:
            p.problem = _(
                "Put the file in a folder named by the credit code and year, e.g. 91500000MA5U000000_2021/."
            )
        elif not uscc.is_valid(p.code):
            p.problem = _("“%(code)s” is not a valid unified social credit code.") % {"code": p.code}
        else:
            p.kind = kind_of(parts[-1:]) or kind_of(parts[:-1])
            if not p.kind:
                p.problem = _(
                    "The type cannot be told from the name: name the file or its folder with one of %(words)s."
                ) % {"words": "、".join(words[0] for _k, words in KIND_WORDS)}
        if info.file_size > settings.QINGSHEN_UPLOAD_MAX_BYTES:
            p.problem = _("The file is larger than the limit of %(limit)s.") % {
                "limit": filesizeformat(settings.QINGSHEN_UPLOAD_MAX_BYTES)
            }
        out.append(p)
    wanted = {(p.code, p.year) for p in out if not p.problem}
    cases = {}
    if wanted:
        found = (
            cases_scoping.cases_visible(actor)
            .filter(
                history_imported_on__isnull=False,
                enterprise__uscc__in={c for c, _y in wanted},
                programme__year__in={y for _c, y in wanted},
            )
            .select_related("enterprise", "programme")
        )
        for case in found:
            cases[(case.enterprise.uscc, case.programme.year)] = case
    for p in out:
        if not p.problem:
            p.case = cases.get((p.code, p.year))
            if p.case is None:
                p.problem = _(
                    "No imported round of %(code)s in %(year)s that you may see: import the round first."
                ) % {
                    "code": p.code,
                    "year": p.year,
                }
    return out


def history_documents_attach(*, upload, actor) -> list[Placed]:
    """Attach every file of the zip to its imported case, all of them or none."""
    if not scoping.may_import_history(actor):
        raise ProgrammeError(_("You may not import earlier years."))
    if upload is None:
        raise ProgrammeError(_("Choose a file to upload."))
    limit = settings.QINGSHEN_UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ProgrammeError(
            _("The file is larger than the limit of %(limit)s.") % {"limit": filesizeformat(limit)}
        )
    if not (upload.name or "").lower().endswith(".zip"):
        raise ProgrammeError(_("Upload the documents as one .zip file."))
    try:
        if check_upload(upload) != "zip":
            raise ProgrammeError(_("Upload the documents as one .zip file."))
    except DocumentRefused as exc:
        raise ProgrammeError(exc.message) from exc
    with zipfile.ZipFile(upload) as zf:
        names = [(i, _name_of(i)) for i in zf.infolist() if not i.is_dir()]
        if not names:
            raise ProgrammeError(_("The archive holds no files."))
        placed = _placed(actor, names)
        # Each file on its own through the same checks, before anything is stored.
        spooled = []
        try:
            for (info, _n), p in zip(names, placed, strict=True):
                if p.problem:
                    continue
                copy = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (closed below)
                spooled.append(copy)
                with zf.open(info) as member:
                    for chunk in iter(lambda member=member: member.read(1024 * 1024), b""):
                        copy.write(chunk)
                copy.seek(0)
                try:
                    check_upload(File(copy, name=p.name.rsplit("/", 1)[-1]))
                except DocumentRefused as exc:
                    p.problem = exc.message
                p.spool = copy
            bad = [p for p in placed if p.problem]
            if bad:
                raise ArchiveRefused(
                    _("Nothing was attached: %(n)s of %(total)s files cannot be placed (listed below).")
                    % {"n": len(bad), "total": len(placed)},
                    placed,
                )
            # One transaction: a failure part-way rolls every record back; the files already stored
            # stay under their staging names, which no record names, and the reconciler removes them.
            with transaction.atomic():
                for p in placed:
                    p.spool.seek(0)
                    document_store(
                        case=p.case,
                        kind=p.kind,
                        upload=File(p.spool, name=p.name.rsplit("/", 1)[-1]),
                        actor=actor,
                        supersedes=None,
                    )
                event_record(
                    action="programme.history.documents",
                    actor=actor,
                    after={
                        "archive": (upload.name or "")[:255],
                        "files": len(placed),
                        "cases": len({p.case.pk for p in placed}),
                    },
                )
        finally:
            for copy in spooled:
                copy.close()
    return placed
