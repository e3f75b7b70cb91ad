"""`{{ value|figure:unit }}`: a number written as its unit says (qingshen/core/numbers.py)."""

from django import template

from qingshen.core import numbers

register = template.Library()


@register.filter
def figure(value, unit=None) -> str:
    return numbers.figure(value, unit)


@register.filter
def money(value) -> str:
    """An amount in 万元 (10k yuan)."""
    return numbers.figure(value, numbers.MONEY)


@register.filter
def yuan(value) -> str:
    """An amount in whole yuan (a fine)."""
    return numbers.figure(value, numbers.YUAN)
