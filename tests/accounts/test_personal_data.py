"""Personal data is stored encrypted, read as plain text, masked in the log and lists (issue 8 §4)."""

import pytest
from django.db import connection

from qingshen.core import keyservice
from qingshen.registry import services as registry_services
from qingshen.registry.models import Enterprise
from qingshen.trail.models import Event
from qingshen.web.templatetags.trail_tags import masked


def _raw(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608  (test constants)
        return cursor.fetchone()[0]


def test_contact_fields_are_encrypted_at_rest(world):
    ent = world.ent_north
    ent.contact_phone, ent.contact_email = "13812345678", "ehs@example.cn"
    ent.save()
    raw_phone = _raw("registry_enterprise", "contact_phone", ent.pk)
    raw_email = _raw("registry_enterprise", "contact_email", ent.pk)
    assert raw_phone.startswith("enc:v1:") and "13812345678" not in raw_phone
    assert raw_email.startswith("enc:v1:") and "ehs@" not in raw_email
    fresh = Enterprise.objects.get(pk=ent.pk)
    assert fresh.contact_phone == "13812345678" and fresh.contact_email == "ehs@example.cn"
    # Same plain text, different ciphertext (a fresh nonce each time).
    ent.save()
    assert _raw("registry_enterprise", "contact_phone", ent.pk) != raw_phone


def test_user_phone_is_encrypted(world):
    user = world.users["city"]
    user.phone = "023-63899999"
    user.save()
    assert _raw("accounts_user", "phone", user.pk).startswith("enc:v1:")
    user.refresh_from_db()
    assert user.phone == "023-63899999"


def test_the_data_migration_encrypts_existing_plain_values(world):
    import importlib

    from django.apps import apps

    ent = world.ent_north
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registry_enterprise SET contact_phone = %s WHERE id = %s", ["023-61234567", ent.pk]
        )
    assert _raw("registry_enterprise", "contact_phone", ent.pk) == "023-61234567"
    assert Enterprise.objects.get(pk=ent.pk).contact_phone == "023-61234567"  # plain text still reads
    migration = importlib.import_module("qingshen.registry.migrations.0003_encrypt_personal_data")
    migration.encrypt_existing(apps, None)
    assert _raw("registry_enterprise", "contact_phone", ent.pk).startswith("enc:v1:")
    assert Enterprise.objects.get(pk=ent.pk).contact_phone == "023-61234567"


def test_a_tampered_ciphertext_is_not_accepted(world):
    from cryptography.exceptions import InvalidTag

    blob = keyservice.encrypt_text("13812345678")
    forged = blob[:-4] + ("AAAA" if not blob.endswith("AAAA") else "BBBB")
    with pytest.raises((InvalidTag, ValueError)):
        keyservice.decrypt_text(forged)


def test_masking():
    assert masked("13812345678") == "138****5678"
    assert masked("023-61234567") == "023*****4567"
    assert masked("ehs@example.cn") == "e***@example.cn"
    assert masked("") == ""


def test_the_log_masks_personal_data(world):
    registry_services.enterprise_update(
        actor=world.users["city"], enterprise=world.ent_north, contact_phone="13812345678"
    )
    event = Event.objects.filter(action="enterprise.update").order_by("-seq").first()
    assert "13812345678" not in str(event.after)
    assert event.after["contact_phone"] == "138****5678"
