"""System checks of the security set-up (the deploy ones run with `manage.py check --deploy`)."""

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


@register(Tags.security)
def key_service_seals_the_log(app_configs, **kwargs):
    """The log's checkpoints are sealed by the key service: a replacement class must offer `mac`."""
    from django.core.checks import Error
    from django.utils.module_loading import import_string

    try:
        service = import_string(settings.QINGSHEN_KEY_SERVICE)
    except ImportError as exc:
        return [Error(f"QINGSHEN_KEY_SERVICE cannot be imported: {exc}", id="qingshen.E002")]
    if not callable(getattr(service, "mac", None)):
        return [
            Error(
                f"{settings.QINGSHEN_KEY_SERVICE} has no mac(bytes) -> bytes: the operation log's "
                "checkpoints cannot be sealed.",
                hint="Add a keyed digest (HMAC-SM3 or the device's MAC) to the key service.",
                id="qingshen.E001",
            )
        ]
    return []
