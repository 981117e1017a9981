"""Without a terminal the CLI never prompts and never shows a traceback (issue #13).

Each ``fieldmat connect …`` below runs as a real subprocess with stdin from /dev/null and
without the flag or variable it needs: it must exit 2 with ONE line naming what to give.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.prompt import NoTerminal, ask

pytestmark = pytest.mark.slow

NOWHERE = "http://127.0.0.1:9"  # never contacted: each case stops before any request


def run_cli(home: Path, keyring_file: Path, *args: str, **env_extra: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    for name in ("FIELDMAT_PASSWORD", "FIELDMAT_WHOOP_CLIENT_SECRET"):
        env.pop(name, None)
    env.update(
        FIELDMAT_HOME=str(home),
        PYTHON_KEYRING_BACKEND="tests.sync.filekeyring.FileKeyring",
        FIELDMAT_TEST_KEYRING=str(keyring_file),
        QT_QPA_PLATFORM="offscreen",
        **env_extra,
    )
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    ("args", "env", "names"),
    [
        (("connect", "whoop", "--url", NOWHERE), {}, "--client-id"),
        (("connect", "whoop", "--url", NOWHERE, "--client-id", "abc"), {}, "FIELDMAT_WHOOP_CLIENT_SECRET"),
        (("connect", "reboot", "--url", NOWHERE, "--email", "e@x.org"), {}, "FIELDMAT_PASSWORD"),
        (("connect", "reboot", "--url", NOWHERE), {}, "--api-key-stdin"),
        (("connect", "team", "--url", NOWHERE), {"FIELDMAT_PASSWORD": "pw"}, "--email"),
        (("connect", "team", "--url", NOWHERE, "--email", "e@x.org"), {}, "FIELDMAT_PASSWORD"),
        (("connect", "yoga", "--url", NOWHERE, "--email", "e@x.org"), {}, "FIELDMAT_PASSWORD"),
    ],
    ids=[
        "whoop-client-id",
        "whoop-secret",
        "reboot-password",
        "reboot-no-way",
        "team-email",
        "team-password",
        "yoga-password",
    ],
)
def test_connect_without_terminal_exits_2_naming_the_flag(
    tmp_path: Path, fieldmat_home: Path, args: tuple[str, ...], env: dict[str, str], names: str
) -> None:
    out = run_cli(fieldmat_home, tmp_path / "keys.json", *args, **env)
    assert out.returncode == 2, out.stdout + out.stderr
    assert "Traceback" not in out.stderr and "EOFError" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and names in lines[0], out.stderr


def test_never_connected_messages_are_accurate(tmp_path: Path, fieldmat_home: Path) -> None:
    keys = tmp_path / "keys.json"
    out = run_cli(fieldmat_home, keys, "disconnect", "whoop")
    assert out.returncode == 0 and "was not connected" in out.stdout
    assert "revocation" not in out.stdout + out.stderr
    out = run_cli(fieldmat_home, keys, "sync", "--provider", "whoop", "--json")
    data = json.loads(out.stdout)
    assert out.returncode == 1 and data["ok"] is False  # --json and the exit code agree
    assert (data["results"][0]["status"], data["results"][0]["kind"]) == ("failed", "not_connected")
    assert "fieldmat connect whoop" in data["results"][0]["errors"][0]
    out = run_cli(fieldmat_home, keys, "sync", "--json")
    assert out.returncode == 0 and json.loads(out.stdout) == {"ok": True, "results": []}


def test_ask_with_closed_stdin_names_the_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    closed = io.StringIO()
    closed.close()
    monkeypatch.setattr(sys, "stdin", closed)
    with pytest.raises(NoTerminal, match="give --email E"):
        ask("Email: ", what="The account email", needs="--email E")
    monkeypatch.setattr(sys, "stdin", None)
    with pytest.raises(NoTerminal, match="FIELDMAT_PASSWORD"):
        ask("Password: ", what="The password", needs="FIELDMAT_PASSWORD", secret=True)
