"""The demo's city: districts and zones, enterprises across the key industries, one user per role."""

import datetime
import hashlib

from qingshen.accounts.models import Jurisdiction, User
from qingshen.accounts.roles import Role
from qingshen.core.env import env_str
from qingshen.registry import services as registry_services
from qingshen.registry import uscc
from qingshen.registry.models import Enterprise, Industry

DEMO_PASSWORD = env_str("QINGSHEN_DEMO_PASSWORD", "qingshen-demo")


DISTRICTS = [
    ("渝中区", "500103", "Yuzhong District"),
    ("大渡口区", "500104", "Dadukou District"),
    ("江北区", "500105", "Jiangbei District"),
    ("沙坪坝区", "500106", "Shapingba District"),
    ("九龙坡区", "500107", "Jiulongpo District"),
    ("南岸区", "500108", "Nan'an District"),
    ("北碚区", "500109", "Beibei District"),
    ("綦江区", "500110", "Qijiang District"),
    ("大足区", "500111", "Dazu District"),
    ("渝北区", "500112", "Yubei District"),
    ("巴南区", "500113", "Banan District"),
    ("长寿区", "500115", "Changshou District"),
    ("江津区", "500116", "Jiangjin District"),
    ("合川区", "500117", "Hechuan District"),
    ("永川区", "500118", "Yongchuan District"),
    ("璧山区", "500120", "Bishan District"),
    ("涪陵区", "500102", "Fuling District"),
    ("万州区", "500101", "Wanzhou District"),
]


ZONES = [
    ("两江新区", "Liangjiang New Area"),
    ("重庆高新区", "Chongqing High-tech Zone"),
    ("万盛经开区", "Wansheng Economic Development Zone"),
]


# (division, name stem, suffix): key industries of 环办科财〔2020〕27号 and Chongqing's 电池.
INDUSTRY_NAMES = [
    ("26", "化工", "化工有限公司"),
    ("33", "电镀", "表面处理有限公司"),
    ("31", "钢铁", "钢铁有限责任公司"),
    ("30", "建材", "水泥有限公司"),
    ("32", "有色", "铝业有限公司"),
    ("17", "印染", "印染有限公司"),
    ("22", "造纸", "纸业有限公司"),
    ("27", "制药", "原料药有限公司"),
    ("13", "食品", "农副食品有限公司"),
    ("23", "印刷", "包装印刷有限公司"),
    ("44", "能源", "热电有限公司"),
    ("25", "焦化", "焦化有限公司"),
    ("38", "电池", "新能源电池有限公司"),
    ("36", "汽车", "汽车零部件涂装有限公司"),
]


PLACE_WORDS = [
    "长江",
    "嘉陵",
    "缙云",
    "歌乐",
    "南山",
    "铁山",
    "明月",
    "华蓥",
    "金佛",
    "四面",
    "綦河",
    "龙溪",
    "朝天",
    "磁器",
    "鹅岭",
    "观音",
    "双桂",
    "白帝",
    "巫峡",
    "大宁",
]


P_2025 = datetime.date(2025, 3, 20)


def make_uscc(region: str, serial: int) -> str:
    """A valid 统一社会信用代码 for demo use: 9 (market regulation) 1 (enterprise), region, subject id."""
    digest = hashlib.sha256(f"qingshen-demo-{serial}".encode()).digest()
    subject = "".join(uscc.ALPHABET[b % len(uscc.ALPHABET)] for b in digest[:9])
    first17 = f"91{region}{subject}"
    return first17 + uscc.check_character(first17)


def demo_user(username: str, role: str, name: str, **scope) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"role": role, "first_name": name, **scope}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def demo_jurisdictions():
    province = _english(
        Jurisdiction.objects.get_or_create(
            name="重庆市", parent=None, defaults={"level": Jurisdiction.Level.PROVINCE, "code": "500000"}
        )[0],
        "Chongqing Municipality",
    )
    city = _english(
        Jurisdiction.objects.get_or_create(
            name="重庆市（市局）",
            parent=province,
            defaults={"level": Jurisdiction.Level.CITY, "code": "500100"},
        )[0],
        "Chongqing (municipal bureau)",
    )
    districts = []
    for order, (name, code, name_en) in enumerate(DISTRICTS):
        d, _ = Jurisdiction.objects.get_or_create(
            name=name,
            parent=city,
            defaults={"level": Jurisdiction.Level.DISTRICT, "code": code, "sort_order": order},
        )
        districts.append(_english(d, name_en))
    for order, (name, name_en) in enumerate(ZONES, start=len(DISTRICTS)):
        d, _ = Jurisdiction.objects.get_or_create(
            name=name,
            parent=city,
            defaults={"level": Jurisdiction.Level.DISTRICT, "is_functional_zone": True, "sort_order": order},
        )
        districts.append(_english(d, name_en))
    return province, city, districts


def _english(jurisdiction, name_en: str):
    """Demo databases made before jurisdictions had English names get them too."""
    if not jurisdiction.name_en:
        jurisdiction.name_en = name_en
        jurisdiction.save(update_fields=["name_en"])
    return jurisdiction


def demo_enterprises(districts, city_user) -> list[Enterprise]:
    industries = {i.code: i for i in Industry.objects.filter(level="division")}
    result = []
    for n in range(60):
        district = districts[n % len(districts)]
        division, stem, suffix = INDUSTRY_NAMES[n % len(INDUSTRY_NAMES)]
        name = (
            f"重庆{PLACE_WORDS[n % len(PLACE_WORDS)]}{stem}{suffix}"
            if n < 20
            else f"重庆{PLACE_WORDS[n % len(PLACE_WORDS)]}{PLACE_WORDS[(n // 20) + 3]}{suffix}"
        )
        code = make_uscc(district.code or "500000", n)
        existing = Enterprise.objects.filter(uscc=code).first()
        if existing:
            result.append(existing)
            continue
        result.append(
            registry_services.enterprise_create(
                actor=city_user,
                name=name,
                uscc=code,
                jurisdiction=district,
                industry=industries.get(division),
                check_scope=False,
                permit_number=f"{code}001P",
                legal_representative="张三",
                address=f"重庆市{district.name}工业园区{n + 1}号",
                contact_name="李四",
                contact_phone=f"023-6{n:07d}",
                contact_email=f"ehs{n}@example.cn",
            )
        )
    return result


def demo_grounds(n: int) -> list[str]:
    return [["emissions"], ["hazardous"], ["energy"], ["emissions", "hazardous"], ["hazardous"]][n % 5]


def demo_enterprise_account(enterprise: Enterprise) -> User:
    from qingshen.accounts.invitations import enterprise_primary_account

    existing = enterprise_primary_account(enterprise)  # made on publication, with its invitation
    if existing is not None:
        return existing
    user, created = User.objects.get_or_create(
        username=f"e{enterprise.uscc.lower()}",
        defaults={"role": Role.ENTERPRISE, "enterprise": enterprise, "first_name": enterprise.name[:30]},
    )
    if created:  # these accounts only act in the demo's history; nobody logs in with them
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
