"""Rewrite the pinyin search keys of every enterprise (after an upgrade that changes how keys are
made, a restore or a bulk load; saving an enterprise keeps its keys current otherwise)."""

from django.core.management.base import BaseCommand

from qingshen.registry.search_key_services import search_keys_rebuild_all


class Command(BaseCommand):
    help = "Rewrite the pinyin search keys (initials and full pinyin) of every enterprise."

    def handle(self, *args, **options):
        self.stdout.write(f"enterprises: {search_keys_rebuild_all()}")
