"""No import cycles: between modules of each area, and between the layers (app, pose, sync, ui).

The import graph is grimp's (import-linter's own engine): every ``import`` statement of the
packages, including those under ``TYPE_CHECKING`` and inside functions, since a cycle hidden
behind a lazy or type-only import still ties the modules together for a reader.

A cycle that has to stay for a while is listed below (``KNOWN_MODULE_CYCLES``, empty now) and
its area marked ``xfail(strict=True)`` (``AREA_XFAIL``): when a later change removes it, its
test XPASSes and fails, so the entry has to be deleted — the list can only shrink. A new cycle anywhere fails
``test_no_module_cycle_but_the_known_ones``. Between the layers there is none left (the
import-linter ``layers`` contract in pyproject.toml also orders them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import grimp
import pytest

PACKAGES = ("app", "pose", "sync", "ui")

# The composition root may import every layer (it builds the AppContext and opens the window).
COMPOSITION_ROOT = "app.__main__"

# Module cycles left for the next round: none. A cycle that cannot be broken at once is listed
# here with the reason, and its area is then expected to fail (``AREA_XFAIL``).
KNOWN_MODULE_CYCLES: dict[frozenset[str], str] = {}

# The areas checked one by one: the core packages, each subpackage of ui, and ui's own modules.
AREAS = ("app", "pose", "sync", "ui.dashboard", "ui.match", "ui.practice", "ui.sync", "ui (its own modules)")


AREA_XFAIL: dict[str, str] = {}


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES, cache_dir=None)


def _edges(graph: grimp.ImportGraph) -> dict[str, set[str]]:
    return {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}


def _layer_edges(graph: grimp.ImportGraph) -> dict[str, set[str]]:
    """Which layer imports which (the composition root left out)."""
    layers: dict[str, set[str]] = {p: set() for p in PACKAGES}
    for module, imported in _edges(graph).items():
        if module == COMPOSITION_ROOT:
            continue
        for target in imported:
            source_layer, target_layer = module.split(".")[0], target.split(".")[0]
            if source_layer != target_layer:
                layers[source_layer].add(target_layer)
    return layers


def strongly_connected(edges: Mapping[str, Iterable[str]]) -> list[frozenset[str]]:
    """The cycles of a directed graph: its strongly connected components of more than one node
    (or with a self-loop). Tarjan's algorithm, iterative (the graph has ~300 nodes)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = [(root, sorted(edges.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, todo = work[-1]
            if todo:
                nxt = todo.pop()
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(edges.get(nxt, ()))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1 or node in edges.get(node, ()):
                    found.append(frozenset(component))
    return found


def _in_area(module: str, area: str) -> bool:
    if area == "ui (its own modules)":
        return module.count(".") == 1 and module.startswith("ui.")
    return module == area or module.startswith(area + ".")


def _describe(graph: grimp.ImportGraph, cycle: frozenset[str]) -> str:
    first, *rest = sorted(cycle)
    chains = [" -> ".join(graph.find_shortest_chain(first, other) or ()) for other in rest[:1]]
    back = [" -> ".join(graph.find_shortest_chain(other, first) or ()) for other in rest[:1]]
    return f"{sorted(cycle)}: {'; '.join(chains + back)}"


def test_cycle_finder_finds_cycles_and_only_cycles() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}, "f": set()}
    assert sorted(map(sorted, strongly_connected(edges))) == [["a", "b", "c"], ["e"]]


def test_no_module_cycle_but_the_known_ones(graph: grimp.ImportGraph) -> None:
    cycles = strongly_connected(_edges(graph))
    new = [_describe(graph, c) for c in cycles if c not in KNOWN_MODULE_CYCLES]
    assert not new, "import cycles:\n" + "\n".join(new)


@pytest.mark.parametrize(
    "area",
    [
        pytest.param(area, marks=pytest.mark.xfail(strict=True, reason=AREA_XFAIL[area]))
        if area in AREA_XFAIL
        else area
        for area in AREAS
    ],
)
def test_no_module_cycle_in(graph: grimp.ImportGraph, area: str) -> None:
    cycles = [c for c in strongly_connected(_edges(graph)) if any(_in_area(m, area) for m in c)]
    assert not cycles, "\n".join(_describe(graph, c) for c in cycles)


def test_no_cycle_between_layers(graph: grimp.ImportGraph) -> None:
    cycles = strongly_connected(_layer_edges(graph))
    assert not cycles, f"layer cycles: {[sorted(c) for c in cycles]}"
