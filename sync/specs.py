"""The one list of providers: a ``ProviderSpec`` each (cheap to import: no HTTP, no database).

The engine (push/pull, health path), the CLI (``choices``, connect flow) and the Accounts
screen (cards, labels) all read ``SPECS``; ``sync.registry`` builds providers from it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProviderSpec:
    """Everything Fieldmat knows about a provider before talking to it.

    ``connect``: "password" (email + password, ``sync.accounts``), "oauth" (WHOOP's browser
    sign-in) or "api_key" (Reboot: key or password). ``settings``: the ``ProviderSettings``
    fields this provider uses. ``health_path``: a cheap unauthenticated GET that proves the
    server is there ("/" when the API has none).
    """

    name: str
    label: str
    module: str
    can_push: bool
    can_pull: bool
    connect: str
    health_path: str = "/"
    settings: tuple[str, ...] = ("base_url", "account")
    signup_path: str | None = None
    login_path: str | None = None


SPECS: dict[str, ProviderSpec] = {
    s.name: s
    for s in (
        ProviderSpec(
            "team",
            "team server",
            "sync.team.provider",
            can_push=True,
            can_pull=True,
            connect="password",
            health_path="/api/health",
            login_path="/api/auth/login",
        ),
        ProviderSpec(
            "yoga",
            "yoga cloud",
            "sync.yoga.provider",
            can_push=True,
            can_pull=True,
            connect="password",
            health_path="/api/health",
            login_path="/auth/login",
            signup_path="/auth/signup",
        ),
        ProviderSpec(
            "whoop",
            "WHOOP",
            "sync.whoop.provider",
            can_push=False,
            can_pull=True,
            connect="oauth",
            settings=("base_url", "account", "client_id"),
        ),
        ProviderSpec(
            "reboot", "Reboot Motion", "sync.reboot.provider", can_push=False, can_pull=True, connect="api_key"
        ),
    )
}


def spec(name: str) -> ProviderSpec | None:
    return SPECS.get(name)


def names() -> tuple[str, ...]:
    """The providers of this build's list, in display order."""
    return tuple(SPECS)


def label(name: str) -> str:
    found = SPECS.get(name)
    return found.label if found else name
