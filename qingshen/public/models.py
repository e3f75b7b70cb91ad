from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchKey(models.Model):
    """An enterprise's search keys for the public site: pinyin initials kept beside the name, so a
    search by "cqst" is an indexed prefix query. Maintained on every save of the enterprise."""

    enterprise = models.OneToOneField(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="search_key",
    )
    initials = models.CharField(_("pinyin initials"), max_length=200)

    class Meta:
        verbose_name = _("search key")
        verbose_name_plural = _("search keys")
        indexes = [
            # PostgreSQL needs the pattern operator class for LIKE 'x%' under a non-C collation.
            models.Index(
                fields=["initials"], name="searchkey_initials_like", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self):
        return self.initials
