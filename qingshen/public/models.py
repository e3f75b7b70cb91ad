from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchKey(models.Model):
    """An enterprise's pinyin keys for searching by pinyin: the initials and the full pinyin of its
    name, kept beside the name (public/search_keys.py) and maintained on every save of the
    enterprise. A search matches a key that contains the query, anywhere in the name."""

    enterprise = models.OneToOneField(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="search_key",
    )
    initials = models.CharField(_("pinyin initials"), max_length=200)
    full = models.CharField(_("full pinyin"), max_length=600, default="")

    class Meta:
        verbose_name = _("search key")
        verbose_name_plural = _("search keys")

    def __str__(self):
        return self.initials
