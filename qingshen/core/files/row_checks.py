"""An imported cell checked against the model field it will be stored in, before anything is written.

The field checks itself with Django's own validation (max_length, decimal digits and places, choices,
e-mail and credit-code validators), and the character rules (accounts/characters.py) come first, so a
value the commit would refuse, or that PostgreSQL could not store, is reported at check time with its
row and column instead of failing the whole import later.
"""

from django.core.exceptions import ValidationError

from qingshen.core import text as characters


def cell_characters_problem(value, *, multiline: bool = False) -> str | None:
    """The character rules of an imported cell: no control character (tab and line breaks allowed in
    multi-line text) and no text-direction character."""
    return characters.problem(value, multiline=multiline, bidi=True)


def field_problem(model, field_name: str, value, *, multiline: bool = False) -> str | None:
    """Why `value` cannot be stored in `model.field_name`, in the user's language, or None.

    An empty value is left to the importer, which says what is missing in its own words."""
    message = cell_characters_problem(value, multiline=multiline)
    if message:
        return message
    field = model._meta.get_field(field_name)
    if value in field.empty_values:
        return None
    try:
        field.clean(value, None)
    except ValidationError as exc:
        return "；".join(str(m) for m in exc.messages)
    return None
