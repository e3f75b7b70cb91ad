from django.db.models.signals import post_save
from django.dispatch import receiver

from qingshen.registry import search_key_services as services
from qingshen.registry.models import Enterprise


@receiver(post_save, sender=Enterprise, dispatch_uid="public-search-key")
def enterprise_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        services.search_key_refresh(enterprise=instance)
