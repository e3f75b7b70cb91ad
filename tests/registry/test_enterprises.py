import pytest

from qingshen.registry import services
from qingshen.registry.industries import industries_load
from qingshen.registry.models import Industry
from qingshen.trail.models import Event


def test_industries_are_shipped(db):
    assert Industry.objects.filter(level="section").count() == 20
    assert Industry.objects.filter(level="division").count() == 97
    assert Industry.objects.get(code="26").parent.code == "C"
    assert Industry.objects.get(code="26").is_key_industry


def test_industry_classes_load_from_a_file(db, tmp_path):
    path = tmp_path / "classes.csv"
    path.write_text(
        "code,level,parent,name_zh,name_en\n261,group,26,基础化学原料制造,\n"
        "2611,class,261,无机酸制造,Inorganic acids\n",
        encoding="utf-8",
    )
    assert industries_load(path) == 2
    assert Industry.objects.get(code="2611").section_code == "C"
    bad = tmp_path / "bad.csv"
    bad.write_text("code,level,parent,name_zh\n9999,class,999,无父\n", encoding="utf-8")
    from qingshen.registry.industries import IndustryFileError

    with pytest.raises(IndustryFileError):
        industries_load(bad)
    assert not Industry.objects.filter(code="9999").exists()


def test_create_normalises_and_checks(world):
    city = world.users["city"]
    ent = services.enterprise_create(
        actor=city,
        name=" 新企业 ",
        uscc="９１１１０１０８５５１３８５０８２ｑ",
        jurisdiction=world.north,
        industry=Industry.objects.get(code="33"),
    )
    assert ent.uscc == "91110108551385082Q" and ent.name == "新企业" and ent.is_key_industry
    assert Event.objects.filter(action="enterprise.create", object_id=str(ent.pk)).exists()
    with pytest.raises(services.RegistryError) as err:
        services.enterprise_create(
            actor=city, name="另一家", uscc="91110108551385082Q", jurisdiction=world.north
        )
    assert "新企业" in str(err.value.message)
    with pytest.raises(services.RegistryError):
        services.enterprise_create(
            actor=city, name="坏码", uscc="91110108551385082A", jurisdiction=world.north
        )
    with pytest.raises(services.RegistryError):
        services.enterprise_create(
            actor=world.users["district"], name="越权", uscc="91512081MA62K0260E", jurisdiction=world.south
        )


def test_rename_keeps_history_and_logs(world):
    ent = services.enterprise_update(
        actor=world.users["district"], enterprise=world.ent_north, name="北区新名"
    )
    assert ent.name == "北区新名"
    assert list(ent.former_names.values_list("name", flat=True)) == ["北区化工有限公司"]
    event = Event.objects.filter(action="enterprise.update").latest("id")
    assert event.before == {"name": "北区化工有限公司"} and event.after == {"name": "北区新名"}
    with pytest.raises(services.RegistryError):
        services.enterprise_update(actor=world.users["district_south"], enterprise=world.ent_north, name="x")
    with pytest.raises(services.RegistryError):
        services.enterprise_update(actor=world.users["city"], enterprise=world.ent_north, uscc="x")


def test_load_industries_command(db, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "c.csv"
    path.write_text("code,level,parent,name_zh,name_en\n331,group,33,结构性金属制品制造,\n", encoding="utf-8")
    call_command("load_industries", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Industry.objects.filter(code="331", parent__code="33").exists()
    with pytest.raises(CommandError):
        call_command("load_industries", str(tmp_path / "missing.csv"))
