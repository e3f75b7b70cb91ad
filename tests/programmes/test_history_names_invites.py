"""History import: an enterprise the registry names otherwise is asked about once (keep the registry's
name or take the file's, per enterprise or for all; a rename keeps the old name as a former name), and
after the import the enterprises of the open cases can be invited to the portal as a publication does.
Run this file on PostgreSQL too."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qingshen.accounts.models import Invitation, User
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.history import batches, invitations
from qingshen.programmes.models import HistoryBatch
from qingshen.registry.models import Enterprise, EnterpriseName
from qingshen.trail import chain
from qingshen.trail.models import Event
from tests import factories as f
from tests.programmes.test_history_import import code, history_file, row

OLD, NEW = "旧名化工有限公司", "新名化工有限公司"


@pytest.fixture
def checked(django_capture_on_commit_callbacks):
    def run(rows, *, actor):
        with django_capture_on_commit_callbacks(execute=True):
            batch = batches.history_batch_create(
                upload=SimpleUploadedFile("history.xlsx", history_file(rows)), actor=actor
            )
        batch.refresh_from_db()
        return batch

    return run


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    def run(batch, *, actor, renames=()):
        with django_capture_on_commit_callbacks(execute=True):
            batches.history_batch_commit_request(batch=batch, actor=actor, renames=renames)
        batch.refresh_from_db()
        return batch

    return run


@pytest.fixture
def renamed_world(world):
    world.old = f.enterprise(world.north, OLD)
    return world


def _rows(w):
    # The enterprise under its new name in two years, and one new to the registry.
    return [
        row(1, year=2020, uscc=w.old.uscc, name=NEW, published_on="2020-02-08"),
        row(2, year=2021, uscc=w.old.uscc, name=NEW),
        row(3),
    ]


def test_a_differing_name_is_asked_once_per_enterprise(renamed_world, checked):
    w = renamed_world
    batch = checked(_rows(w), actor=w.users["city"])
    assert batch.status == "ready", batch.errors
    assert batch.conflicts == [{"uscc": w.old.uscc, "registry_name": OLD, "file_name": NEW, "rows": [2, 3]}]


def test_no_question_when_the_latest_year_has_the_registry_name(renamed_world, checked):
    w = renamed_world
    rows = [
        row(1, year=2019, uscc=w.old.uscc, name=NEW, published_on="2019-02-08"),
        row(2, uscc=w.old.uscc, name=OLD),
    ]
    assert checked(rows, actor=w.users["city"]).conflicts == []


def test_keeping_the_registry_name_changes_nothing_in_the_registry(renamed_world, checked, commit):
    w = renamed_world
    batch = commit(checked(_rows(w), actor=w.users["city"]), actor=w.users["city"])
    assert batch.status == "committed", batch.errors
    w.old.refresh_from_db()
    assert w.old.name == OLD and not EnterpriseName.objects.filter(enterprise=w.old).exists()
    assert Event.objects.get(action="programme.history.commit").after["renamed"] == []


def test_renaming_takes_the_file_name_and_keeps_the_old_one(renamed_world, checked, commit):
    w = renamed_world
    batch = commit(checked(_rows(w), actor=w.users["city"]), actor=w.users["city"], renames={w.old.uscc})
    assert batch.status == "committed", batch.errors
    w.old.refresh_from_db()
    assert w.old.name == NEW
    assert list(EnterpriseName.objects.filter(enterprise=w.old).values_list("name", flat=True)) == [OLD]
    assert Event.objects.filter(action="enterprise.update", object_id=str(w.old.pk)).count() == 1
    assert Event.objects.get(action="programme.history.commit").after["renamed"] == [w.old.uscc]
    # The cases' log lines name the enterprise as it is now called.
    reprs = Event.objects.filter(action="case.import.historical").values_list("object_repr", flat=True)
    assert sum(NEW in r for r in reprs) == 2
    assert chain.verify().ok


def test_a_rename_of_an_enterprise_without_a_conflict_is_refused(renamed_world, checked):
    w = renamed_world
    batch = checked(_rows(w), actor=w.users["city"])
    with pytest.raises(ProgrammeError):
        batches.history_batch_commit_request(batch=batch, actor=w.users["city"], renames={code(3)})
    batch.refresh_from_db()
    assert batch.status == "ready"


def test_the_preview_asks_and_the_choice_for_all_applies(
    renamed_world, checked, client, django_capture_on_commit_callbacks
):
    w = renamed_world
    batch = checked(_rows(w), actor=w.users["city"])
    client.force_login(w.users["city"])
    page = client.get(reverse("history-batch", args=[batch.pk])).content.decode()
    assert 'id="history-conflicts"' in page and OLD in page and NEW in page
    url = reverse("history-commit", args=[batch.pk])
    missing = client.post(url, {})
    assert missing.status_code == 200 and f'data-field="decision-{w.old.uscc}"' in missing.content.decode()
    batch.refresh_from_db()
    assert batch.status == "ready"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"decision-all": "rename"}).status_code == 302
    batch.refresh_from_db()
    w.old.refresh_from_db()
    assert batch.status == "committed" and w.old.name == NEW


def test_the_own_choice_wins_over_the_choice_for_all(
    renamed_world, checked, client, django_capture_on_commit_callbacks
):
    w = renamed_world
    batch = checked(_rows(w), actor=w.users["city"])
    client.force_login(w.users["city"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("history-commit", args=[batch.pk]),
            {f"decision-{w.old.uscc}": "keep", "decision-all": "rename"},
        )
    w.old.refresh_from_db()
    assert HistoryBatch.objects.get(pk=batch.pk).status == "committed" and w.old.name == OLD


OPEN = {"audit_started_on": "2021-03-20"}
CLOSED = {
    "evaluation": "通过",
    "evaluation_on": "2022-01-10",
    "acceptance": "合格",
    "acceptance_on": "2022-09-01",
}


def test_the_enterprises_of_open_cases_are_invited_once(world, checked, commit):
    city = world.users["city"]
    rows = [
        row(1, **OPEN),
        row(2),
        row(3, **CLOSED),  # accepted: nobody to invite
        row(4, uscc=world.ent_north.uscc, name=world.ent_north.name, year=2020, published_on="2020-02-08"),
    ]
    batch = commit(checked(rows, actor=city), actor=city)
    assert batch.status == "committed", batch.errors
    # The import itself makes no account; the north enterprise has one already.
    assert not User.objects.filter(enterprise__uscc__in=[code(1), code(2), code(3)]).exists()
    assert set(invitations.enterprises_to_invite(batch, city).values_list("uscc", flat=True)) == {
        code(1),
        code(2),
    }
    assert invitations.history_batch_invite(batch=batch, actor=city) == 2
    for n in (1, 2):
        user = User.objects.get(enterprise__uscc=code(n))
        assert user.role == "enterprise" and user.username == code(n) and not user.has_usable_password()
        assert Invitation.objects.filter(user=user, used_at__isnull=True).count() == 1
    assert not User.objects.filter(enterprise__uscc=code(3)).exists()
    event = Event.objects.get(action="programme.history.invite")
    assert len(event.after["enterprises"]) == 2
    assert Event.objects.filter(action="account.create").count() == 2
    # Again: nobody left to invite.
    assert invitations.history_batch_invite(batch=batch, actor=city) == 0
    assert User.objects.filter(enterprise__uscc__in=[code(1), code(2)]).count() == 2
    assert chain.verify().ok


def test_only_the_importer_invites_and_only_after_the_import(world, checked, commit):
    city = world.users["city"]
    batch = checked([row(1, **OPEN)], actor=city)
    with pytest.raises(ProgrammeError):
        invitations.history_batch_invite(batch=batch, actor=city)  # not imported yet
    batch = commit(batch, actor=city)
    with pytest.raises(ProgrammeError):
        invitations.history_batch_invite(batch=batch, actor=world.users["district"])
    assert not User.objects.filter(enterprise__uscc=code(1)).exists()


def test_the_invite_page_action(world, checked, commit, client):
    city = world.users["city"]
    batch = commit(checked([row(1, **OPEN), row(2, **CLOSED)], actor=city), actor=city)
    client.force_login(city)
    page = client.get(reverse("history-batch", args=[batch.pk])).content.decode()
    assert 'id="history-invite-form"' in page
    url = reverse("history-invite", args=[batch.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert response.status_code == 200 and User.objects.filter(enterprise__uscc=code(1)).exists()
    assert 'id="history-invite-form"' not in response.content.decode()  # nobody left
    # Someone else's batch is not found.
    client.force_login(world.users["district"])
    assert client.post(url).status_code == 404
    assert client.get(reverse("history-batch", args=[batch.pk])).status_code == 404
    assert (
        Enterprise.objects.get(uscc=code(2)).pk and not User.objects.filter(enterprise__uscc=code(2)).exists()
    )
