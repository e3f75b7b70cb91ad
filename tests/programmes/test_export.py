"""Exports: layout (title, issuer, frozen header, A4 landscape), escaping, and the round trip."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from python_calamine import CalamineWorkbook

from qingshen.programmes import exports, listings, plan, services
from qingshen.programmes.imports import batches
from qingshen.programmes.imports.rows import HEADERS
from tests import factories as f


def _cells(data: bytes):
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


def test_layout_title_frozen_header_a4_landscape(world):
    data = exports.annual_list(programme=world.programme, listings=world.programme.listings.all())
    rows = _cells(data)
    assert world.programme.title in rows[0][0]
    assert world.city.name in rows[1][0]
    assert rows[2][:4] == [HEADERS["seq"], HEADERS["district"], HEADERS["name"], HEADERS["uscc"]]
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert 'ySplit="3"' in sheet and 'state="frozen"' in sheet
    assert 'orientation="landscape"' in sheet and 'paperSize="9"' in sheet and 'fitToHeight="0"' in sheet


def test_formula_leading_cells_are_escaped(world):
    ent = f.enterprise(world.north, '=HYPERLINK("http://evil")')
    programme = services.programme_create(city=world.city, year=2027, actor=world.users["city"])
    listings.listing_add(
        programme=programme, enterprise=ent, grounds=["emissions"], actor=world.users["city"], note="@cmd"
    )
    for lead in ("+1", "-1"):
        assert exports.escape(lead) == "'" + lead
    data = exports.annual_list(programme=programme, listings=programme.listings.select_related("enterprise"))
    values = [v for row in _cells(data) for v in row]
    assert '\'=HYPERLINK("http://evil")' in values and "'@cmd" in values
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize("kind", ["annual", "plan"])
def test_round_trip_export_then_import_gives_the_same_list(world, kind, django_capture_on_commit_callbacks):
    city = world.users["city"]
    # A plan list names the next two years: the 2028 programme's entries for 2029 fit the 2027 one too.
    source_year, target_year = (2027, 2028) if kind == "annual" else (2028, 2027)
    source = services.programme_create(city=world.city, year=source_year, actor=city)
    target = services.programme_create(city=world.city, year=target_year, actor=city)
    specs = [
        (world.north, ["emissions", "hazardous"], "", "=1+1 看起来像公式"),
        (world.south, ["energy"], "", ""),
        (world.zone, ["other"], "园区重点任务", "备注"),
    ]
    for district, grounds, reason, note in specs:
        ent = f.enterprise(district)
        if kind == "annual":
            listings.listing_add(
                programme=source, enterprise=ent, grounds=grounds, other_reason=reason, note=note, actor=city
            )
        else:
            plan.plan_entry_add(
                programme=source,
                enterprise=ent,
                planned_year=2029,
                grounds=[g for g in grounds if g != "other"],
                note=note,
                actor=city,
            )
    if kind == "annual":
        data = exports.annual_list(programme=source, listings=source.listings.all())
    else:
        data = exports.plan_list(programme=source, entries=source.plan_entries.all())
    with django_capture_on_commit_callbacks(execute=True):
        batch = batches.import_batch_create(
            programme=target, kind=kind, upload=SimpleUploadedFile("back.xlsx", data), actor=city
        )
    batch.refresh_from_db()
    assert batch.status == "ready" and not batch.conflicts, batch.errors
    with django_capture_on_commit_callbacks(execute=True):
        batches.import_batch_commit_request(batch=batch, actor=city, renames=set())

    def snapshot(programme):
        if kind == "annual":
            return sorted(
                (x.enterprise_id, tuple(x.grounds), x.other_reason, x.note, x.lead_authority)
                for x in programme.listings.all()
            )
        return sorted((x.enterprise_id, tuple(x.grounds), x.note) for x in programme.plan_entries.all())

    assert snapshot(target) == snapshot(source) and len(snapshot(target)) == 3
