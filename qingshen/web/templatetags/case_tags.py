from django import template
from django.conf import settings

register = template.Library()


@register.filter(name="abs")
def absolute(value):
    try:
        return abs(int(value))
    except (TypeError, ValueError):
        return value


@register.filter
def level_label(value) -> str:
    from qingshen.cases.states import level_label as label

    return label(value)


@register.filter
def due_class(left):
    """CSS class of a deadline that is `left` days away (negative: overdue)."""
    if left is None:
        return ""
    if left < 0:
        return "overdue"
    if left <= settings.QINGSHEN_DUE_SOON_DAYS:
        return "due-soon"
    return ""
