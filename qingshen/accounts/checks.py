"""Deployment checks for issue 8 (run by `manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def data_key_configured(app_configs, **kwargs):
    if not settings.QINGSHEN_DATA_KEY and settings.QINGSHEN_KEY_SERVICE.endswith("EnvKeyService"):
        return [
            Warning(
                "QINGSHEN_DATA_KEY is not set: personal data is encrypted with a key derived from SECRET_KEY.",
                hint="Set QINGSHEN_DATA_KEY to base64 of 32 random bytes (README: Data protection).",
                id="qingshen.W001",
            )
        ]
    return []
