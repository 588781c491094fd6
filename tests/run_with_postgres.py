"""Run a command against a throwaway PostgreSQL server, then stop and delete the server.

    python tests/run_with_postgres.py -- .venv/bin/pytest

The server lives in a temporary directory, listens on 127.0.0.1 (a free port) and a Unix socket
inside that directory, and is removed afterwards whatever the command's outcome. PostgreSQL
refuses to run as root, so when we are root the server runs as the `postgres` (or `nobody`) user.
The command gets DATABASE_URL pointing at the server and its exit code becomes ours.

Where PostgreSQL is not installed this says so and exits 0, except under CI=true, where a missing
database is a failure rather than a silent skip.
"""

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

SERVER_SETTINGS = [
    # Durability is pointless for a database that is deleted in a minute; speed is not.
    "-c", "fsync=off",
    "-c", "synchronous_commit=off",
    "-c", "full_page_writes=off",
    "-c", "max_connections=50",
]  # fmt: skip


def find_postgres_bin() -> Path | None:
    """The directory holding initdb and pg_ctl, from PATH or Debian's versioned install."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(os.path.realpath(on_path)).parent
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists() and Path(candidate, "pg_ctl").exists():
            return Path(candidate)
    return None


def server_account() -> pwd.struct_passwd | None:
    """The unprivileged account to run the server as when we are root; None when we aren't."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise SystemExit("run_with_postgres: running as root and no 'postgres' or 'nobody' user exists")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_as(account, args, **kwargs):
    """Run a server command, dropping to the unprivileged account when we are root."""
    if account is not None:
        kwargs.update(user=account.pw_uid, group=account.pw_gid, extra_groups=[])
    return subprocess.run(args, check=True, **kwargs)


def main(argv: list[str]) -> int:
    command = argv[argv.index("--") + 1 :] if "--" in argv else argv
    if not command:
        print(__doc__)
        return 2
    in_ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

    bin_dir = find_postgres_bin()
    if bin_dir is None:
        message = "PostgreSQL (initdb, pg_ctl) is not installed"
        if in_ci:
            print(f"run_with_postgres: {message}; under CI that is a failure.", file=sys.stderr)
            return 1
        print(f"run_with_postgres: {message}: the PostgreSQL pass is SKIPPED.", file=sys.stderr)
        return 0

    account = server_account()
    workdir = Path(tempfile.mkdtemp(prefix="catalog-postgres-"))
    data_dir, log_file = workdir / "data", workdir / "server.log"
    if account is not None:
        os.chown(workdir, account.pw_uid, account.pw_gid)
    port = free_port()
    started = False

    def stop_server(*_):
        if started:
            run_as(
                account,
                [bin_dir / "pg_ctl", "-D", data_dir, "-m", "immediate", "-w", "stop"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        shutil.rmtree(workdir, ignore_errors=True)

    # Stop the server on Ctrl-C or a CI timeout, not only on a normal exit.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        run_as(
            account,
            [bin_dir / "initdb", "-D", data_dir, "-U", "postgres", "-A", "trust",
             "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        options = " ".join(["-h 127.0.0.1", f"-p {port}", f"-k {workdir}", *SERVER_SETTINGS])
        run_as(
            account,
            [bin_dir / "pg_ctl", "-D", data_dir, "-l", log_file, "-o", options, "-w", "start"],
            stdout=subprocess.DEVNULL,
        )
        started = True
        version = subprocess.run(
            [bin_dir / "pg_ctl", "--version"], capture_output=True, text=True
        ).stdout.strip()
        print(f"run_with_postgres: {version} on 127.0.0.1:{port} in {workdir}", flush=True)
        # The database DATABASE_URL names, for commands other than the tests (which make their
        # own test_catalog): migrate, load_catalog, the benchmarks.
        run_as(
            account,
            [bin_dir / "createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "catalog"],
        )
        env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/catalog"}
        return subprocess.run(command, env=env).returncode
    except subprocess.CalledProcessError as error:
        print(f"run_with_postgres: could not start PostgreSQL: {error}", file=sys.stderr)
        if log_file.exists():
            print(log_file.read_text(errors="replace"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        stop_server()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
