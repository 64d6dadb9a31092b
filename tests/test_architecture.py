"""The house rules of `docs/architecture.md`, checked on the source: imports point down
the layers (never up, so there is no cycle), folders stay a screenful, modules stay
readable."""

from __future__ import annotations

import ast
import pathlib

import qec

PACKAGE = pathlib.Path(qec.__file__).parent

# Bottom to top; a module may import from its own layer's folder and the layers below.
LAYERS = (
    ("errors", "intervals", "lazy", "progress", "parent_watch", "interrupts", "last_circuit"),
    ("circuits",),
    ("noise",),
    ("experiment",),
    ("sampling",),
    ("analysis",),
    ("overhead",),
    ("plotting",),
    ("literature",),
    ("cli",),
)
# Inside qec.sampling: the shared core, then one folder per estimator (which do not
# import each other), then the modules that choose between them and read them back.
SAMPLING_LAYERS = (("core",), ("monte_carlo", "stratified", "splitting"))
MAX_MODULES_PER_FOLDER = 12
MAX_LINES = 520  # "about 500"


def _layer(
    parts: tuple[str, ...], layers: tuple[tuple[str, ...], ...], *, rest: int | None = None
) -> int | None:
    """The layer of the module `parts`; `rest` for names no layer lists."""
    for i, names in enumerate(layers):
        if parts and parts[0] in names:
            return i
    return rest


def _imports(path: pathlib.Path) -> set[tuple[str, ...]]:
    """The `qec` modules `path` imports, anywhere in it (lazy imports included), as
    name parts after `qec`."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        found |= {tuple(n.split(".")[1:]) for n in names if n.split(".")[0] == "qec"}
    return found


def _modules() -> list[tuple[tuple[str, ...], pathlib.Path]]:
    return [
        (path.relative_to(PACKAGE).with_suffix("").parts, path)
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != PACKAGE / "__init__.py"  # the facade re-exports every layer
    ]


def _upward(
    own: tuple[str, ...],
    target: tuple[str, ...],
    layers: tuple[tuple[str, ...], ...],
    *,
    rest: int | None = None,
) -> bool:
    """Whether `own` importing `target` points up a layer, or across to a sibling."""
    mine, theirs = _layer(own, layers, rest=rest), _layer(target, layers, rest=rest)
    if mine is None or theirs is None:
        return False
    return theirs > mine or (theirs == mine and target[:1] != own[:1] and theirs < len(layers))


def test_no_import_points_up_a_layer_or_across_one() -> None:
    violations = []
    for parts, path in _modules():
        for target in _imports(path):
            up = _upward(parts, target, LAYERS)
            if parts[0] == target[0] == "sampling":
                # sampling's own modules (estimate, method, ...) sit above its folders
                up = _upward(parts[1:], target[1:], SAMPLING_LAYERS, rest=len(SAMPLING_LAYERS))
            if up:
                violations.append(f"{'.'.join(parts)} imports qec.{'.'.join(target)}")
    assert violations == []


def test_every_module_belongs_to_a_layer() -> None:
    assert [p for p, _ in _modules() if _layer(p, LAYERS) is None] == []


def test_folders_hold_a_screenful_of_modules() -> None:
    crowded = {
        str(folder.relative_to(PACKAGE.parent)): n
        for folder in [PACKAGE, *(p for p in PACKAGE.rglob("*") if p.is_dir())]
        if (n := len([m for m in folder.glob("*.py") if m.name != "__init__.py"]))
        > MAX_MODULES_PER_FOLDER
    }
    assert crowded == {}


def test_modules_stay_readable() -> None:
    long = {
        str(path.relative_to(PACKAGE.parent)): n
        for _, path in _modules()
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}
