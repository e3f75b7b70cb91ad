"""A filter form's fields (label, widget, errors) drawn in Python, for a page drawn on every visit.

Django draws each label, widget, option and attribute list through a template of its own: on the case
list that was a quarter of the page's time. Here a field's label and its fixed choices are drawn once
per form class, field and language (translations do not change while the process runs), and each
request only marks the chosen option, the errors and the attributes Django's bound field would give
(`required`, `aria-invalid`, `aria-describedby`, the id). Choices from a queryset are read on each
request, as Django reads them, in one plain query. The HTML is Django's own, attribute order aside
(tests/core/test_field_html.py compares them): text inputs, checkboxes and single selects of flat
choices; any other widget is drawn by Django.
"""

from dataclasses import dataclass

from django import forms
from django.forms.utils import flatatt
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

# An option as (its value, its tag up to the closing ">" of <option …>, the rest): " selected" goes between.
Option = tuple[str, str, str]
# (form class, field name, language) → (label tag, the options of fixed choices, or None).
_PARTS: dict[tuple[type, str, str], tuple[str, list[Option] | None]] = {}


def _options(choices) -> list[Option]:
    options = []
    for value, label in choices:
        value = "" if value is None else str(value)
        options.append(
            (value, format_html('\n  <option value="{}"', value), format_html(">{}</option>", label))
        )
    return options


def _fixed_choices(field) -> bool:
    return isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField)


def _parts(bound) -> tuple[str, list[Option] | None]:
    key = (type(bound.form), bound.name, get_language() or "")
    parts = _PARTS.get(key)
    if parts is None:
        options = _options(bound.field.choices) if _fixed_choices(bound.field) else None
        parts = _PARTS[key] = (bound.label_tag(), options)
    return parts


def _queryset_options(field) -> list[Option]:
    """A model choice field's options as its iterator gives them, from one plain query (the iterator
    reads through a server-side cursor: three round trips on PostgreSQL). A field that names
    `option_columns` has them read as values with the id and labelled by its `option_label(*values)`,
    without building an object per option."""
    choices = [] if field.empty_label is None else [("", field.empty_label)]
    columns = getattr(field, "option_columns", None)
    if columns and field.to_field_name is None:
        rows = field.queryset.values_list("pk", *columns)
        choices += [(pk, field.option_label(*values)) for pk, *values in rows]
    else:
        choices += [(field.prepare_value(obj), field.label_from_instance(obj)) for obj in field.queryset]
    return _options(choices)


def _attrs(bound) -> dict:
    widget = bound.field.widget
    attrs = bound.build_widget_attrs({}, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    return widget.build_attrs(widget.attrs, attrs)


def _select(bound, options: list[Option]) -> str:
    chosen = set(bound.field.widget.format_value(bound.value()))
    parts = [format_html('<select name="{}"{}>', bound.html_name, flatatt(_attrs(bound)))]
    for value, opening, rest in options:
        if value in chosen:  # as Django's single select: only the first option of the value is marked
            parts += (opening, " selected", rest)
            chosen = set()
        else:
            parts += (opening, rest)
    parts.append("\n</select>")
    return "".join(parts)


def _input(bound) -> str:
    widget = bound.field.widget
    attrs = _attrs(bound)
    value = bound.value()
    if isinstance(widget, forms.CheckboxInput):
        if widget.check_test(value):
            attrs["checked"] = True
        value = None
    else:
        value = widget.format_value(value)
    value_attr = "" if value is None else format_html(' value="{}"', value)
    return format_html(
        '<input type="{}" name="{}"{}{}>', widget.input_type, bound.html_name, value_attr, flatatt(attrs)
    )


def _drawn_here(bound) -> bool:
    widget = bound.field.widget
    if type(widget) in (forms.TextInput, forms.CheckboxInput):
        return True
    if type(widget) is not forms.Select:
        return False
    # Flat choices only: a group's choices stand where an option's label would.
    return not _fixed_choices(bound.field) or all(
        not isinstance(c[1], (list, tuple)) for c in bound.field.choices
    )


@dataclass
class DrawnField:
    """One field of a form: `widget` as `{{ field }}` draws it, `label` as `{{ field.label_tag }}`, and
    the whole (label, widget, errors) when shown itself."""

    bound: forms.BoundField

    @cached_property
    def label(self) -> SafeString:
        return mark_safe(_parts(self.bound)[0])  # noqa: S308  (Django's own label tag, kept)

    @cached_property
    def widget(self) -> SafeString:
        bound = self.bound
        if not _drawn_here(bound):
            return bound.as_widget()
        options = _parts(bound)[1]
        if isinstance(bound.field.widget, forms.Select):
            return mark_safe(_select(bound, _queryset_options(bound.field) if options is None else options))  # noqa: S308
        return mark_safe(_input(bound))  # noqa: S308  (every part is escaped by format_html)

    def __str__(self) -> str:
        html = self.label + self.widget
        if self.bound.errors:
            errors = mark_safe(" ".join(conditional_escape(e) for e in self.bound.errors))  # noqa: S308
            html += format_html(
                '<div class="invalid-feedback" id="{}_error">{}</div>', self.bound.auto_id, errors
            )
        return mark_safe(html)  # noqa: S308  (every part is escaped)

    def __html__(self) -> str:
        return str(self)


def drawn_fields(form) -> dict[str, DrawnField]:
    """Every field of `form` by name, drawn as above when the template shows it."""
    return {name: DrawnField(form[name]) for name in form.fields}
