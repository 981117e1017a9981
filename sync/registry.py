"""Which providers exist (one ``ProviderSpec`` each) and how to build one for a run.

``sync.specs.SPECS`` is the one list of providers: the engine (push/pull, health path), the CLI
(``choices``, connect flow) and the Accounts screen (cards, labels) all read it.

``create(name, ctx, client) -> Provider``. Providers live in modules imported lazily, so a
build without a provider's module still runs (that provider is reported as unavailable)::

    team   -> sync.team.provider      yoga   -> sync.yoga.provider
    whoop  -> sync.whoop.provider     reboot -> sync.reboot.provider

A provider module exposes ``create_provider(ctx: AppContext, client: httpx.Client) -> Provider``
(or calls ``sync.registry.register(name, factory)`` when imported). ``register`` also lets
tests plug a fake in.
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
from typing import TYPE_CHECKING, cast

import httpx

from sync.errors import ProviderUnavailable
from sync.provider import Provider, ProviderFactory
from sync.specs import SPECS, ProviderSpec, names, spec

__all__ = ["SPECS", "ProviderSpec", "names", "spec"]

if TYPE_CHECKING:
    from app.context import AppContext


MODULES: dict[str, str] = {name: spec.module for name, spec in SPECS.items()}
LABELS: dict[str, str] = {name: spec.label for name, spec in SPECS.items()}
# Providers whose accounts are made with email + password through ``sync.accounts.connect``.
PASSWORD_PROVIDERS = tuple(name for name, spec in SPECS.items() if spec.connect == "password")


_factories: dict[str, ProviderFactory] = {}
_lock = threading.Lock()


def register(name: str, factory: ProviderFactory, label: str | None = None) -> None:
    with _lock:
        _factories[name] = factory
        if label:
            LABELS[name] = label


def unregister(name: str) -> None:
    with _lock:
        _factories.pop(name, None)


def known() -> list[str]:
    """Every provider name this build knows about (installed or not)."""
    return list(dict.fromkeys([*MODULES, *_factories]))


def label(name: str) -> str:
    return LABELS.get(name, name)


def is_available(name: str) -> bool:
    if name in _factories:
        return True
    module = MODULES.get(name)
    if module is None:
        return False
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # the parent package is missing
        return False


def available() -> list[str]:
    return [n for n in known() if is_available(n)]


def factory(name: str) -> ProviderFactory:
    with _lock:
        found = _factories.get(name)
    if found is not None:
        return found
    module_name = MODULES.get(name)
    if module_name is None or not is_available(name):
        raise ProviderUnavailable(f"The {label(name)} provider is not part of this Fieldmat build.")
    module = importlib.import_module(module_name)
    with _lock:
        found = _factories.get(name)  # the module may have registered itself on import
    if found is not None:
        return found
    create_fn = getattr(module, "create_provider", None)
    if create_fn is None:
        raise ProviderUnavailable(f"{module_name} has no create_provider(ctx, client).")
    return cast(ProviderFactory, create_fn)


def create(name: str, ctx: AppContext, client: httpx.Client) -> Provider:
    return factory(name)(ctx, client)
