"""Portal accounts for the enterprises of a history import's open cases. The import makes none (a
closed round's enterprise may be gone); afterwards the importer may invite those still working on
their round the way a list's publication does (accounts.invitations.enterprise_account_ensure)."""

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from qingshen.accounts.invitations import enterprise_account_ensure
from qingshen.accounts.models import User
from qingshen.accounts.roles import Role
from qingshen.cases.models import AuditCase
from qingshen.cases.states import CLOSED_STATES
from qingshen.programmes import scoping
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.models import HistoryBatch
from qingshen.registry.models import Enterprise
from qingshen.trail.services import event_record


def enterprises_to_invite(batch: HistoryBatch, actor) -> QuerySet[Enterprise]:
    """The enterprises of the batch's open cases in the actor's jurisdiction that have no account."""
    if batch.status != HistoryBatch.Status.COMMITTED or scoping.history_city(actor) != batch.city:
        return Enterprise.objects.none()
    open_cases = AuditCase.objects.filter(
        programme__city=batch.city, history_sha256=batch.sha256, enterprise=OuterRef("pk")
    ).exclude(state__in=sorted(CLOSED_STATES))
    accounts = User.objects.filter(role=Role.ENTERPRISE, enterprise=OuterRef("pk"))
    return (
        Enterprise.objects.filter(Exists(open_cases), jurisdiction__path__startswith=actor.jurisdiction.path)
        .exclude(Exists(accounts))
        .order_by("pk")
    )


def history_batch_invite(*, batch: HistoryBatch, actor) -> int:
    """Give each enterprise of the batch's open cases without an account its account and first-login
    invitation (mailed where the registry has an address). Returns how many were invited."""
    if batch.created_by_id != actor.pk:
        raise ProgrammeError(_("Only the person who uploaded the file may invite its enterprises."))
    if batch.status != HistoryBatch.Status.COMMITTED:
        raise ProgrammeError(_("Invitations follow the import: this file is not imported."))
    with transaction.atomic():
        invited = [
            e.pk
            for e in enterprises_to_invite(batch, actor).select_for_update(of=("self",))
            if enterprise_account_ensure(enterprise=e, actor=actor) is not None
        ]
        event_record(
            action="programme.history.invite",
            actor=actor,
            obj=batch,
            after={"sha256": batch.sha256, "enterprises": invited},
        )
    return len(invited)
