"""The peer for `make bench`: the Wagtail team's demo site (bakerydemo), served beside Tend in the same run.

`../shared/peers/bakerydemo` is copied once into a folder outside the project (`$TEND_PEER_HOME`, default
`~/.cache/tend-bench/bakerydemo-<commit>`) with a venv of its own, migrated, loaded with its demo data and
collected; later runs reuse it. It runs as shipped: SQLite (its faster setup here, per its README), no
Redis, DEBUG off, served by gunicorn (its own WSGI server). `python bench/peer.py` sets it up alone.
"""

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEERS = Path(os.environ.get("TEND_PEERS", ROOT.parent / "shared" / "peers"))
SOURCE = PEERS / "bakerydemo"
REQUIREMENTS = PEERS / "bakerydemo-requirements.txt"
COMMIT = "8e2b625"  # the upstream commit shared/peers/README.md names; a new copy gets a new home
HOME = Path(os.environ.get("TEND_PEER_HOME", Path.home() / ".cache" / "tend-bench" / f"bakerydemo-{COMMIT}"))
READY = HOME / ".tend-ready"
# Comparable pages (shared/peers/README.md): name -> path, beside Tend's home, care tip/event, story index.
PAGES = {
    "peer home": "/",
    "peer blog post": "/blog/wild-yeast/",
    "peer breads listing": "/breads/",
}


def env() -> dict:
    """Its own environment: nothing of Tend's (no DATABASE_URL or REDIS_URL), production settings."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")}
    key_file = HOME / ".secret_key"
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "bakerydemo.settings.production",
        "DJANGO_SECRET_KEY": key_file.read_text().strip() if key_file.exists() else "",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }


def setup(log=print) -> None:
    """Copy, install and load once; a half-finished earlier attempt starts again from the copy."""
    if READY.exists():
        return
    if not SOURCE.is_dir():
        raise SystemExit(f"The peer is missing: {SOURCE} (set TEND_PEERS to the folder holding bakerydemo/)")
    log(f"Setting up the peer (bakerydemo) in {HOME} once: copy, venv, install, migrate, demo data…")
    shutil.rmtree(HOME, ignore_errors=True)
    shutil.copytree(SOURCE, HOME, ignore=shutil.ignore_patterns(".git", "node_modules"))
    (HOME / ".secret_key").write_text(secrets.token_urlsafe(50))
    python = HOME / ".venv" / "bin" / "python"
    quiet = {"stdout": subprocess.DEVNULL, "check": True, "cwd": HOME}
    subprocess.run(["python3.11", "-m", "venv", str(HOME / ".venv")], **quiet)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", str(REQUIREMENTS)], **quiet)
    for command in (["migrate", "--noinput"], ["load_initial_data"], ["collectstatic", "--noinput"]):
        subprocess.run([str(python), "manage.py", *command], env=env(), **quiet)
    READY.touch()


def serve(port: int, workers: int) -> subprocess.Popen:
    """gunicorn with `workers` sync workers on 127.0.0.1:port, as the demo's own docs serve it."""
    return subprocess.Popen(
        [str(HOME / ".venv" / "bin" / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "bakerydemo.wsgi:application"],
        cwd=HOME, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


if __name__ == "__main__":
    setup()
    print(f"Peer ready in {HOME}")
    sys.exit(0)
