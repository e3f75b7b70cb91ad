"""The operation log's settings (trail/): checkpoints, their file, the verifier's processes; read into
settings.py."""

import os

from qingshen.core.env import env_int, env_path, env_str, var_dir

VAR_DIR = var_dir()
__all__ = [
    "QINGSHEN_LOG_CHECKPOINT_EVERY",
    "QINGSHEN_LOG_CHECKPOINT_FILE",
    "QINGSHEN_LOG_FLUSH_ALLOWED",
    "QINGSHEN_LOG_KEY",
    "QINGSHEN_LOG_LINK",
    "QINGSHEN_LOG_LINK_GRACE_SECONDS",
    "QINGSHEN_LOG_VERIFY_PARALLEL_FROM",
    "QINGSHEN_LOG_VERIFY_PROCESSES",
]

# The operation log's checkpoints (trail/checkpoints.py): HMAC-SM3 seals of the chain's head. The key: base64
# of 32 bytes; without one it is derived from the data key. Never in the database.
QINGSHEN_LOG_KEY = env_str("QINGSHEN_LOG_KEY", "")
# A checkpoint every this many rows (and on demand): at most this many rows at the end of the log can be
# removed or rewritten before a checkpoint shows it. Each costs one HMAC and one insert, under 1 % of the
# appends' time at 100 (bench/bench_log_chain.py; qingshen default, local practice).
QINGSHEN_LOG_CHECKPOINT_EVERY = env_int("QINGSHEN_LOG_CHECKPOINT_EVERY", 100)
# Every checkpoint is also appended to this JSON-lines file, off the database: copy it off the machine
# with the backups (README: Backup and restore).
QINGSHEN_LOG_CHECKPOINT_FILE = env_path("QINGSHEN_LOG_CHECKPOINT_FILE", VAR_DIR / "log-checkpoints.jsonl")
# When an event is linked into the chain (trail/linking.py): "commit" after the writer's transaction commits,
# in a short transaction of its own, so writers do not queue on the chain's lock for the rest of their
# transactions (bench/bench_log_writers.py: 8 writer processes on PostgreSQL); "inline" in the writer's
# transaction, holding that lock until it commits (the test suite, whose transactions never commit).
# SQLite runs one writer at a time whatever the log does, so there it stays inline: the same chain,
# one transaction a change instead of two.
_ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
QINGSHEN_LOG_LINK = env_str("QINGSHEN_LOG_LINK", "commit" if _ON_POSTGRESQL else "inline")
# An event still unlinked this long after its time is reported by verify_log: its writer stopped between
# its commit and the link (the sweep and the verifier link such rows). A writer links right after its
# commit, so a row waits seconds at most; an hour leaves room for a transaction that ran long before it
# committed (qingshen default).
QINGSHEN_LOG_LINK_GRACE_SECONDS = env_int("QINGSHEN_LOG_LINK_GRACE_SECONDS", 3600)
# `verify_log` walks a long chain in this many processes on PostgreSQL (trail/chain_parallel.py). One walk
# already keeps two cores busy (it streams the rows: its PostgreSQL backend produces them while it hashes),
# so the default is one process per two cores, at most 4: one on a 2-core machine, where 2 processes gained
# nothing over 1,000,000 rows (0.97x to 1.18x one process's time), 0.5 s of 1.8 over 200,000 (0.71x;
# bench/bench_log.py). Below QINGSHEN_LOG_VERIFY_PARALLEL_FROM rows the fork costs more than it saves
# (qingshen defaults).
QINGSHEN_LOG_VERIFY_PROCESSES = env_int(
    "QINGSHEN_LOG_VERIFY_PROCESSES", max(1, min((os.cpu_count() or 1) // 2, 4))
)
QINGSHEN_LOG_VERIFY_PARALLEL_FROM = env_int("QINGSHEN_LOG_VERIFY_PARALLEL_FROM", 50_000)
# `manage.py flush` would delete the append-only log, so it refuses; only the test runner, which empties
# the database after each transactional test, turns this on (settings_test.py).
QINGSHEN_LOG_FLUSH_ALLOWED = False
