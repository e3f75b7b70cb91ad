"""Experts of the pool: adding one, taking one out of the draws, and their logins. A new expert gets an
account and a first-login link, as an enterprise does (the invitation machinery of qingshen.portal:
mailed where an address exists, copyable by the city on the expert's page, renewable, valid
QINGSHEN_INVITATION_DAYS days)."""

from django.db import transaction

from qingshen.accounts.invitations import free_username, invitation_issue
from qingshen.accounts.models import Invitation, Jurisdiction, User
from qingshen.accounts.roles import Role
from qingshen.registry.models import Industry
from qingshen.reviews import scoping
from qingshen.reviews.errors import ReviewNotFound, ReviewRefused
from qingshen.reviews.models import Expert
from qingshen.trail.services import event_record


def expert_account_ensure(
    *, expert: Expert, actor=None, username: str = "", base_url: str = ""
) -> Invitation:
    """The expert's login (made if missing: `username`, else expert-<id>) and a fresh first-login link;
    an earlier link stops working."""
    with transaction.atomic():
        expert = Expert.objects.select_for_update().get(pk=expert.pk)
        user = expert.user
        if user is None:
            user = User.objects.create(
                username=free_username(username or f"expert-{expert.pk}"),
                role=Role.EXPERT,
                first_name=expert.name[:150],
                email=expert.email,
            )
            user.set_unusable_password()
            user.save(update_fields=["password"])
            expert.user = user
            expert.save(update_fields=["user"])
            event_record(
                action="account.create", actor=actor, obj=user, after={"expert": expert.pk, "role": user.role}
            )
        return invitation_issue(user=user, actor=actor, email=expert.email or user.email, base_url=base_url)


def expert_invitation_renew(*, actor, expert_id: int, base_url: str = "") -> Invitation:
    """The city makes a new first-login link (the old one lost or expired), with the login if missing."""
    if not scoping.may_manage_experts(actor):
        raise ReviewNotFound()
    expert = scoping.experts_visible(actor).filter(pk=expert_id).first()
    if expert is None:
        raise ReviewNotFound()
    return expert_account_ensure(expert=expert, actor=actor, base_url=base_url)


def expert_create(*, actor, row: dict, base_url: str = "") -> Expert:
    """One expert added by the city, checked as an imported row is (reviews.importing), with a login
    and its first-login link."""
    from qingshen.reviews.importing import _parse

    if not scoping.may_manage_experts(actor):
        raise ReviewNotFound()
    industries = {i.code: i for i in Industry.objects.exclude(level="section")}
    regions = {j.name: j for j in Jurisdiction.objects.all()}
    username = (row.get("username") or "").strip()
    taken = (
        set(User.objects.filter(username=username).values_list("username", flat=True)) if username else set()
    )
    item, errors = _parse(
        {k: (v or "").strip() for k, v in row.items()}, industries, regions, set(), set(), taken
    )
    if errors:
        raise ReviewRefused("；".join(errors))
    with transaction.atomic():
        expert = Expert.objects.create(**item["data"])
        expert.specialties.set([industries[c] for c in item["codes"]])
        event_record(
            action="expert.create",
            actor=actor,
            obj=expert,
            after={"name": expert.name, "industries": item["codes"]},
        )
        expert_account_ensure(expert=expert, actor=actor, username=item["username"], base_url=base_url)
    return expert


def expert_login_state(expert: Expert) -> dict:
    """For the expert's page: the login, whether a password is set, the latest link."""
    user = expert.user
    invitation = Invitation.objects.filter(user=user).order_by("-created_at").first() if user else None
    return {"account": user, "invitation": invitation}


@transaction.atomic
def expert_set_active(*, actor, expert_id: int, is_active: bool) -> Expert:
    """The city takes an expert out of the draws (or back in); seats already taken stay."""
    if not scoping.may_manage_experts(actor):
        raise ReviewNotFound()
    expert = Expert.objects.select_for_update().filter(pk=expert_id).first()
    if expert is None:
        raise ReviewNotFound()
    before = expert.is_active
    expert.is_active = is_active
    expert.save(update_fields=["is_active"])
    event_record(
        action="expert.active",
        actor=actor,
        obj=expert,
        before={"is_active": before},
        after={"is_active": is_active},
    )
    return expert
