"""Demo discharge permits: most enterprises hold one in force, a few hold none, one is expiring and
one has lapsed, so the registry, the disclosure's limits and the sweep's permit warnings all have
something to show without every enterprise being warned."""

import datetime
from decimal import Decimal

from django.utils import timezone

from qingshen.registry.permit_models import Permit
from qingshen.registry.permits import permit_save

ISSUER = "重庆市生态环境局"
WATER = [
    {"pollutant": "化学需氧量", "outlet": "DW001", "limit_value": Decimal("50"), "unit": "mg/L"},
    {"pollutant": "氨氮", "outlet": "DW001", "limit_value": Decimal("5"), "unit": "mg/L"},
]
AIR = [
    {"pollutant": "二氧化硫", "outlet": "DA001", "limit_value": Decimal("50"), "unit": "mg/m3"},
    {"pollutant": "氮氧化物", "outlet": "DA001", "limit_value": Decimal("100"), "unit": "mg/m3"},
]


def demo_permits(enterprises, city_user) -> int:
    """One permit per enterprise but every tenth (none); the second expiring within the renewal notice
    and the fourth lapsed. Run once, with the first load."""
    today = timezone.localdate()
    made = 0
    for n, enterprise in enumerate(enterprises):
        if n % 10 == 9 or Permit.objects.filter(enterprise=enterprise).exists():
            continue
        if n == 1:
            valid_to = today + datetime.timedelta(days=30)
        elif n == 3:
            valid_to = today - datetime.timedelta(days=20)
        else:
            valid_to = today + datetime.timedelta(days=365 * 3)
        permit_save(
            actor=city_user,
            enterprise=enterprise,
            number=f"{enterprise.uscc}001{'V' if n % 3 else 'P'}",
            management_class=Permit.ManagementClass.KEY if n % 4 else Permit.ManagementClass.SIMPLIFIED,
            issuing_authority=ISSUER,
            valid_from=valid_to - datetime.timedelta(days=365 * 5),
            valid_to=valid_to,
            pollutants=WATER if n % 2 else AIR,
        )
        made += 1
    return made
