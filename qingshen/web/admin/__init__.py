"""The sysadmin's Django admin over the domain's models (autodiscovered as `qingshen.web.admin`)."""

from qingshen.web.admin import accounts, oversight, registry, reviews  # noqa: F401
