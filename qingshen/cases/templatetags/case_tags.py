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
def due_class(left):
    """CSS class of a deadline that is `left` days away (negative: overdue)."""
    if left is None:
        return ""
    if left < 0:
        return "overdue"
    if left <= settings.QINGSHEN_DUE_SOON_DAYS:
        return "due-soon"
    return ""


@register.filter
def plain(value):
    """A decimal without trailing zeros (8.8000 -> 8.8, 120.00 -> 120); empty stays empty."""
    from decimal import Decimal, InvalidOperation

    if value in (None, ""):
        return ""
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return value
    text = format(number.normalize(), "f")
    return text
