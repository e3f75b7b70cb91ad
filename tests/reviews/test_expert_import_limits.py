"""The expert pool import checks each stored column against its Expert field instead of cutting it,
and refuses control and text-direction characters per row (run on PostgreSQL too)."""

import pytest

from qingshen.reviews.importing import expert_import
from qingshen.reviews.models import Expert
from tests.reviews.test_pool_pages import HEADER, _xlsx

HEADER_WITH_MAIL = [*HEADER, "邮箱", "电话"]


def _report(world, *rows):
    return expert_import(actor=world.users["city"], fileobj=_xlsx([HEADER_WITH_MAIL, *rows]))


def _row(**kw):
    row = {"name": "赵工", "codes": "26", "fields": "工艺", "employer": "重庆大学", "uscc": "", "title": "教授",
           "cert": "CP-90", "login": "", "email": "", "phone": ""}  # fmt: skip
    row.update(kw)
    return list(row.values())


def test_a_long_name_is_refused_not_cut(world):
    report = _report(world, _row(name="赵" * 51), _row(name="钱" * 50, cert="CP-91"))
    assert not report.ok and not Expert.objects.exists()
    (n, ok, message), second = report.rows
    assert (n, ok) == (2, False) and "姓名" in message and "50" in message
    assert second[1] is True


def test_columns_are_checked_against_their_fields(world):
    report = _report(
        world, _row(email="not-an-address"), _row(cert="C" * 61), _row(employer="单" * 201, cert="CP-92")
    )
    assert [ok for _n, ok, _m in report.rows] == [False, False, False]
    assert (
        "邮箱" in report.rows[0][2]
        and "培训证书编号" in report.rows[1][2]
        and "工作单位" in report.rows[2][2]
    )


@pytest.mark.parametrize(
    "kw", [{"name": "赵\x00工"}, {"login": "zhao\x00"}, {"cert": "CP\u202e-9"}, {"codes": "26\x1b"}]
)
def test_control_and_direction_characters_are_refused_per_row(world, kw):
    report = _report(world, _row(**kw), _row(name="钱工", cert="CP-93"))
    assert [ok for _n, ok, _m in report.rows] == [False, True]
    assert "U+" in report.rows[0][2]
    assert not Expert.objects.exists()


def test_a_clean_file_imports(world):
    report = _report(world, _row(email="zhao@example.cn", phone="023-1234567"))
    assert report.ok and Expert.objects.get().email == "zhao@example.cn"
