"""What the option tests share: an option's data and a baseline saved for the north case."""

from decimal import Decimal

from django.utils import timezone

from qingshen.cases import options
from qingshen.cases.models import Indicator
from qingshen.cases.options import OptionData

TODAY = timezone.localdate()


def option_data(case, **kw):
    base = {"code": "F1", "name": "更换节能电机", "cost_class": "low", "investment": Decimal("3.5"),
            "status": "planned", "planned_on": case.published_on}  # fmt: skip
    base.update(kw)
    return OptionData(**base)


def baseline_set(world, code, value):
    return options.baseline_save(
        case=world.case_north,
        actor=world.users["enterprise"],
        indicator=Indicator.objects.get(code=code),
        value=Decimal(value),
    )
