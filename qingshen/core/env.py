"""Reading settings from the environment, and what a first start prepares on disk.

Settings read the environment through these helpers only, so importing them has no side effect; the entry
points (manage.py, wsgi, asgi) call `first_start()` before Django loads the settings.
"""

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
_TRUE = {"1", "true", "yes", "on"}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    return float(value) if value else default


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in _TRUE


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_path(name: str, default: Path) -> Path:
    return Path(os.environ.get(name) or default)


def var_dir() -> Path:
    """Where the running system keeps its files (database, media, keys, backups)."""
    return env_path("QINGSHEN_VAR_DIR", BASE_DIR / "var")


def secret_key_file() -> Path:
    return var_dir() / "secret_key"


def secret_key_read() -> str:
    """SECRET_KEY from the environment, else the one `first_start` wrote; empty when neither exists."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = secret_key_file()
    return path.read_text().strip() if path.exists() else ""


def first_start() -> None:
    """Make var/ and its static folder, and generate the secret key once (never committed)."""
    root = var_dir()
    (root / "static").mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it before collectstatic
    path = secret_key_file()
    if not os.environ.get("SECRET_KEY") and not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
