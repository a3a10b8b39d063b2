"""Prepare instance/ for a local run: ``python -m coordinator.instance_setup``.

Writes instance/config.py with a random SECRET_KEY (mode 0600) when there is
none, and creates the first encryption key in instance/keys/ (directory 0700,
file 0600) when there is no keyring. Idempotent: what exists is left as it is.
The application itself never generates a key.

``--base-url URL`` (make run passes the host and port it serves on) keeps
``BASE_URL`` in instance/config.py in step, so the links the command line prints
point where the server runs; a BASE_URL written by hand is never touched.
"""
import os
import secrets
import sys
from pathlib import Path

from . import PROJECT_ROOT, crypto

CONFIG_TEMPLATE = '''"""Local settings for this machine. Never commit this file."""
SECRET_KEY = {secret!r}
'''


def write_config(instance: Path) -> bool:
    config = instance / "config.py"
    if config.exists():
        return False
    instance.mkdir(mode=0o700, exist_ok=True)
    fd = os.open(config, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(CONFIG_TEMPLATE.format(secret=secrets.token_urlsafe(48)))
    return True


MANAGED = "  # kept in step by make run"


def set_base_url(instance: Path, url: str) -> bool:
    """Write BASE_URL into config.py unless one was set by hand; True when it changed."""
    config = instance / "config.py"
    lines = config.read_text().splitlines()
    line = f"BASE_URL = {url!r}{MANAGED}"
    for i, existing in enumerate(lines):
        if existing.startswith("BASE_URL"):
            if not existing.endswith(MANAGED) or existing == line:
                return False
            lines[i] = line
            break
    else:
        lines.append(line)
    config.write_text("\n".join(lines) + "\n")
    return True


def main(argv=None):
    argv = list(argv or [])
    instance = Path(os.environ.get("COORDINATOR_INSTANCE_PATH") or PROJECT_ROOT / "instance")
    if write_config(instance):
        print(f"Wrote {instance / 'config.py'} with a new random SECRET_KEY (mode 0600).")
    if "--base-url" in argv:
        url = argv[argv.index("--base-url") + 1]
        if set_base_url(instance, url):
            print(f"BASE_URL is {url} (links printed by the command line point there).")
    keys_dir = Path(os.environ.get("COORDINATOR_KEYS_DIR") or instance / "keys")
    if not os.environ.get("COORDINATOR_KEYRING") and not any(keys_dir.glob("*.key")):
        key_id = crypto.add_key(keys_dir)
        print(f"Created the first encryption key {key_id} in {keys_dir}. Back it up apart from the database.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
