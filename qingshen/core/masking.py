"""Masking secrets and personal data shown in the log and in lists."""

import re

# Keys whose values never reach the log (passwords, keys, tokens, one-time codes).
SECRET_KEY_PATTERN = re.compile(
    r"pass(word)?|passwd|secret|token|api_?key|private_?key|^key$|otp|totp|recovery|session_?key|credential",
    re.IGNORECASE,
)
# Keys holding personal data: logged partly masked (enough to tell values apart, not to use them).
PERSONAL_KEY_PATTERN = re.compile(r"phone|mobile|e_?mail|id_?(number|card)|bank", re.IGNORECASE)
SECRET_MASK = "******"  # noqa: S105  (the placeholder, not a password)


def mask(value: str) -> str:
    """138****5678 / a***@example.cn: enough to recognise, not to use."""
    if not value:
        return value
    if "@" in value:
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    if len(value) <= 4:
        return "*" * len(value)
    keep = 3 if len(value) >= 11 else 2
    return value[:keep] + "*" * (len(value) - keep - 4) + value[-4:]
