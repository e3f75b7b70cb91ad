"""Model fields whose values are stored encrypted (keyservice.py); code reads and writes plain text."""

from django.db import models

from qingshen.core.keyservice import decrypt_text, encrypt_text


class EncryptedMixin:
    """Plain text in Python, ciphertext in the column. The column is text whatever max_length says
    (max_length limits the plain value in forms). Lookups other than isnull/empty cannot match."""

    def db_type(self, connection):
        return models.TextField().db_type(connection)

    def cast_db_type(self, connection):
        return models.TextField().cast_db_type(connection)

    def from_db_value(self, value, expression, connection):
        return decrypt_text(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt_text(value) if isinstance(value, str) else value


class EncryptedCharField(EncryptedMixin, models.CharField):
    pass


class EncryptedEmailField(EncryptedMixin, models.EmailField):
    pass
