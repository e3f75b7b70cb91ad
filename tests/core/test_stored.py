"""removed_on_failure: files stored inside a failing block are removed; a block that succeeds keeps them."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from qingshen.core.files.stored import removed_on_failure


class Boom(Exception):
    pass


class _Field:
    """What the services record: a stored file's storage and name (as on a model's FieldFile)."""

    def __init__(self, name):
        self.storage, self.name = default_storage, default_storage.save(name, ContentFile(b"x"))


def test_a_failing_block_removes_what_it_stored_and_reraises(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    kept = _Field("before.txt")
    with pytest.raises(Boom), removed_on_failure() as stored:
        a = stored.add(_Field("a.txt"))
        stored.extend([_Field("b.txt")])
        assert default_storage.exists(a.name)
        raise Boom
    assert sorted(p.name for p in tmp_path.iterdir()) == [kept.name]


def test_a_block_that_succeeds_keeps_its_files(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    with removed_on_failure() as stored:
        stored.add(_Field("a.txt"))
    assert len(stored) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]
