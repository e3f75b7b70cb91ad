"""The name of a data row (district, indicator, industry, procedure step) in the current language.

Reference data is Chinese first; where it carries an English name, English pages show that one and
fall back to the Chinese. Official documents render under the Chinese locale, so they keep Chinese."""

from django import forms
from django.utils.translation import get_language


def english() -> bool:
    return (get_language() or "zh-hans").startswith("en")


def in_language(zh: str, en: str = "") -> str:
    """`en` on English pages when there is one, else `zh`."""
    return en if en and english() else zh


class LocalName:
    """For models with a Chinese name field and an English one (`name_en` unless told otherwise)."""

    name_zh_field = "name"
    name_en_field = "name_en"

    @property
    def local_name(self) -> str:
        return in_language(getattr(self, self.name_zh_field), getattr(self, self.name_en_field, "") or "")


class LocalNameChoiceField(forms.ModelChoiceField):
    """A choice of districts, indicators …, each shown by its name in the current language (an
    indicator with its unit)."""

    def label_from_instance(self, obj):
        label = getattr(obj, "label", None)
        return label if isinstance(label, str) else obj.local_name
