"""Importing the expert pool from xlsx: all rows or none, with a report per row."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qingshen.accounts.models import Jurisdiction, User
from qingshen.core.files import row_checks
from qingshen.registry import uscc as uscc_codes
from qingshen.registry.models import Industry
from qingshen.reviews import scoping
from qingshen.reviews.errors import ReviewNotFound
from qingshen.reviews.models import Expert
from qingshen.trail.services import event_record

# Header (Chinese, as the bureaus' sheets have it) -> field.
COLUMNS = {
    "姓名": "name",
    "行业代码": "industries",
    "专业领域": "fields",
    "工作单位": "employer_name",
    "单位统一社会信用代码": "employer_uscc",
    "地区": "region",
    "职称": "title",
    "电话": "phone",
    "邮箱": "email",
    "培训证书编号": "certificate_no",
    "登录名": "username",
}
FIELD_WORDS = {"工艺": "process", "环境": "environment", "能源": "energy", "审核": "audit"}
HEADER_OF = {key: header for header, key in COLUMNS.items()}
# Columns stored as they are typed: checked against the Expert field they go into (length, e-mail).
STORED_AS_TYPED = ("name", "employer_name", "title", "phone", "email", "certificate_no")


@dataclass
class ImportReport:
    rows: list = field(default_factory=list)  # (row number, ok, message)
    created: int = 0

    @property
    def ok(self) -> bool:
        return bool(self.rows) and all(ok for _n, ok, _m in self.rows)


def _read(fileobj) -> list[list[str]]:
    """The first sheet as text, through the list import's guards (type by content, size, zip and
    entity bombs, encryption) and reader (numbers typed into code cells come back as digits)."""
    from qingshen.core.files.spreadsheets import FileRefused, rows_of, sniff

    data = fileobj.read()
    try:
        kind = sniff(data, getattr(fileobj, "name", "") or "experts.xlsx")
        rows = list(rows_of(data, kind))
    except FileRefused as exc:
        raise ValueError(exc.message) from exc
    if len(rows) > settings.QINGSHEN_IMPORT_MAX_ROWS:
        raise ValueError(_("The file has more than %(n)s rows.") % {"n": settings.QINGSHEN_IMPORT_MAX_ROWS})
    return rows


def _parse(
    row: dict, industries: dict, regions: dict, seen: set, seen_logins: set, taken_logins: set
) -> tuple[dict, list[str]]:
    # Every cell's characters first: a refused one is named, and the row is not looked up further.
    errors = [
        f"{HEADER_OF[key]}：{message}"
        for key, value in row.items()
        if (message := row_checks.cell_characters_problem(value))
    ]
    if errors:
        return {"data": {}, "codes": [], "username": ""}, errors
    errors = [
        f"{HEADER_OF[key]}：{message}"
        for key in STORED_AS_TYPED
        if (message := row_checks.field_problem(Expert, key, row.get(key, "")))
    ]
    name = row.get("name", "")
    if not name:
        errors.append(_("the name is empty"))
    codes = [c.strip() for c in row.get("industries", "").replace("，", ",").split(",") if c.strip()]
    if not codes:
        errors.append(_("no industry code"))
    unknown = [c for c in codes if c not in industries]
    if unknown:
        errors.append(_("unknown industry codes %(codes)s") % {"codes": ", ".join(unknown)})
    employer_uscc = row.get("employer_uscc", "")
    if employer_uscc:
        try:
            employer_uscc = uscc_codes.validate(employer_uscc)
        except uscc_codes.InvalidCode as exc:
            errors.append(str(exc.reason))
    region = None
    if row.get("region"):
        region = regions.get(row["region"])
        if region is None:
            errors.append(_("unknown region %(r)s") % {"r": row["region"]})
    words = [
        w.strip() for w in row.get("fields", "").replace("，", ",").replace("、", ",").split(",") if w.strip()
    ]
    bad_words = [w for w in words if w not in FIELD_WORDS]
    if bad_words:
        errors.append(_("unknown fields %(f)s (use 工艺、环境、能源、审核)") % {"f": "、".join(bad_words)})
    cert = row.get("certificate_no", "")
    if cert and (cert in seen or Expert.objects.filter(certificate_no=cert).exists()):
        errors.append(_("certificate %(c)s is already in the pool") % {"c": cert})
    seen.add(cert)
    username = row.get("username", "")
    if username:
        try:
            User.username_validator(username)
            if len(username) > User._meta.get_field("username").max_length:
                raise ValidationError(_("too long"))
        except ValidationError:
            errors.append(
                _("login %(u)s is not a valid user name (letters, digits and @.+-_, at most 150)")
                % {"u": username[:40]}
            )
        if username in seen_logins:
            errors.append(_("login %(u)s appears twice in the file") % {"u": username})
        elif username in taken_logins:
            errors.append(_("login %(u)s already exists") % {"u": username})
        seen_logins.add(username)
    data = {
        "name": name,
        "fields": [FIELD_WORDS[w] for w in words if w in FIELD_WORDS],
        "employer_name": row.get("employer_name", ""),
        "employer_uscc": employer_uscc if employer_uscc else "",
        "region": region,
        "title": row.get("title", ""),
        "phone": row.get("phone", ""),
        "email": row.get("email", ""),
        "certificate_no": cert,
    }
    return {"data": data, "codes": codes, "username": username}, errors


def expert_import(*, actor, fileobj, base_url: str = "") -> ImportReport:
    """Create experts from the first sheet; any bad row and nothing is written."""
    if not scoping.may_manage_experts(actor):
        raise ReviewNotFound()
    report = ImportReport()
    try:
        rows = _read(fileobj)
    except ValueError as exc:
        report.rows.append((0, False, str(exc)))
        return report
    if not rows:
        report.rows.append((0, False, _("The sheet is empty.")))
        return report
    header = [COLUMNS.get(h) for h in rows[0]]
    if "name" not in header or "industries" not in header:
        report.rows.append((1, False, _("The first row must name the columns, at least 姓名 and 行业代码.")))
        return report
    industries = {i.code: i for i in Industry.objects.exclude(level="section")}
    regions = {j.name: j for j in Jurisdiction.objects.all()} | {
        j.code: j for j in Jurisdiction.objects.exclude(code="")
    }
    parsed, seen, seen_logins = [], set(), set()
    username_column = header.index("username") if "username" in header else None
    wanted = {
        r[username_column]
        for r in rows[1:]
        if username_column is not None
        and username_column < len(r)
        and not row_checks.cell_characters_problem(r[username_column])
    }
    taken_logins = set(User.objects.filter(username__in=wanted - {""}).values_list("username", flat=True))
    for n, values in enumerate(rows[1:], start=2):
        if not any(values):
            continue
        row = {key: values[i] for i, key in enumerate(header) if key and i < len(values)}
        item, errors = _parse(row, industries, regions, seen, seen_logins, taken_logins)
        report.rows.append((n, not errors, "；".join(errors) if errors else _("ok")))
        parsed.append(item)
    if not report.ok:
        return report
    from qingshen.reviews.experts import expert_account_ensure

    with transaction.atomic():
        for item in parsed:
            expert = Expert.objects.create(**item["data"])
            expert.specialties.set([industries[c] for c in item["codes"]])
            # Every expert gets a login (the file's 登录名, else expert-<id>) and a first-login link.
            expert_account_ensure(expert=expert, actor=actor, username=item["username"], base_url=base_url)
        report.created = len(parsed)
        event_record(action="expert.import", actor=actor, after={"created": report.created})
    return report
