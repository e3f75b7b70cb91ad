from django.core.management.base import BaseCommand

from qingshen.maintenance import checkpoint_mail
from qingshen.trail import checkpoints


class Command(BaseCommand):
    help = (
        "Seal the operation log's head now (a keyed checkpoint, also appended to the checkpoint file); "
        "with --mail, send it to every active audit administrator."
    )

    def add_arguments(self, parser):
        parser.add_argument("--mail", action="store_true", help="mail the checkpoint to the auditors")

    def handle(self, *args, mail=False, **options):
        if mail:
            from qingshen.accounts.models import User
            from qingshen.accounts.roles import Role

            auditors = list(User.objects.filter(role=Role.AUDITOR, is_active=True))
            checkpoint = checkpoint_mail.checkpoint_mail(users=auditors, actor_name="manage.py")
            self.stdout.write(f"Mailed to {len(auditors)} auditor(s).")
        else:
            checkpoint = checkpoints.checkpoint_create(actor_name="manage.py")
        self.stdout.write(self.style.SUCCESS(checkpoints.line_of(checkpoint)))
