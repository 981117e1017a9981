"""Schemathesis (from PyPI) against the running server, from the contracts in ../shared/providers.

The contracts leave some things undefined that a generator needs: path parameters named in a
path but never declared, query parameters without a schema, request bodies not marked
required. ``complete`` fills exactly those (strings, an ISO date-time, a 1-500 limit, required
bodies, a 32-bit maximum for unbounded integers, the yoga server's own sign-up rules: an email
with an @, a password of 8 or more characters) and leaves out ``cursor`` (opaque: only an
earlier answer gives one); it changes nothing the contracts do define. Two checks are left out, on purpose:
``status_code_conformance`` (the contracts list only the success codes, while their own text
requires 401/404/422/429 answers) and ``negative_data_rejection`` (the contract says unknown
or read-only fields are ignored, never rejected). The example count is bounded so CI stays quick.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests import loopback
from tests.club_server.conftest import EMAIL
from tests.club_server.harness import RunningServer

pytestmark = pytest.mark.slow
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
QUERY_SCHEMAS = {
    "updated_since": {"type": "string", "format": "date-time"},
    "since": {"type": "string", "format": "date-time"},
    "limit": {"type": "integer", "minimum": 1, "maximum": 500},
}
OPAQUE = {"cursor"}
# Rules the yoga contract leaves to each server, as this one keeps them.
SERVER_RULES: dict[str, Any] = {"email": r"^[^@\s]+@[^@\s]+$", "password_min": 8}
INT32_MAX = 2**31 - 1


def _bound_integers(node: Any) -> None:
    """Integers without a maximum get the 32-bit one the server stores (the contract names none)."""
    if isinstance(node, dict):
        if node.get("type") == "integer" and "maximum" not in node:
            node["maximum"] = INT32_MAX
        for value in node.values():
            _bound_integers(value)
    elif isinstance(node, list):
        for value in node:
            _bound_integers(value)  # values only a previous answer gives; paging has its own tests


def complete(spec: dict[str, Any]) -> dict[str, Any]:
    for path, operations in spec["paths"].items():
        names = re.findall(r"{(\w+)}", path)
        for method, op in operations.items():
            if not isinstance(op, dict):
                continue
            params = [p for p in op.get("parameters", []) if p["name"] not in OPAQUE]
            op["parameters"] = params
            declared = {p["name"] for p in params if p.get("in") == "path"}
            for name in names:
                if name not in declared:
                    params.append({"name": name, "in": "path", "required": True, "schema": {"type": "string"}})
            for p in params:
                if p.get("in") in (None, "query") and "schema" not in p and "content" not in p:
                    p["in"] = "query"
                    p["schema"] = QUERY_SCHEMAS.get(p["name"], {"type": "string"})
            if "requestBody" in op:
                op["requestBody"]["required"] = True
            if path == "/auth/signup":
                props = op["requestBody"]["content"]["application/json"]["schema"]["properties"]
                props["email"]["pattern"] = SERVER_RULES["email"]
                props["password"]["minLength"] = SERVER_RULES["password_min"]
            if method == "get" and path == "/share/{token}":
                op["responses"].setdefault("200", {})["content"] = {"text/html": {"schema": {"type": "string"}}}
    _bound_integers(spec)
    return spec


def run_schemathesis(spec_file: Path, url: str, token: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    spec = complete(yaml.safe_load(spec_file.read_text()))
    completed = tmp_path / spec_file.name
    completed.write_text(yaml.safe_dump(spec))
    return subprocess.run(
        [str(SCHEMATHESIS), "run", str(completed), "--url", url, "-H", f"Authorization: Bearer {token}",
         "--max-examples", "15", "--seed", "20261206", "--checks", "all",
         "--exclude-checks", "status_code_conformance,negative_data_rejection", "--workers", "1",
         "--request-timeout", "20", "--no-shrink"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )  # fmt: skip


def test_team_api_meets_its_contract(team_server: RunningServer, shared_dir: Path, tmp_path: Path) -> None:
    token = team_server.login(EMAIL)["Authorization"].removeprefix("Bearer ")
    result = run_schemathesis(shared_dir / "providers/team/openapi.yaml", team_server.url, token, tmp_path)
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failures" not in result.stdout.splitlines()[-1]


def test_yoga_api_meets_its_contract(yoga_server: RunningServer, shared_dir: Path, tmp_path: Path) -> None:
    body = {"fullname": "Asha Yogi", "email": "asha@example.org", "password": "long-Pa55word", "sex": "f",
            "dob": "1990-04-01"}  # fmt: skip
    assert loopback.post(yoga_server.url + "/auth/signup", json=body).status_code == 201
    login = loopback.post(yoga_server.url + "/auth/login", json={"email": body["email"], "password": body["password"]})
    result = run_schemathesis(shared_dir / "providers/yoga/openapi.yaml", yoga_server.url,
                              login.json()["access_token"], tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
