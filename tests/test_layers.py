"""The layer contract: a module imports only from its own layer or the layers below it.

    app > render > engine > readers | rules > perf > shared (model, errors, i18n, zhtext) > lazyre

readers and rules are siblings: neither imports the other. Every import counts, also the
ones inside functions (an AST walk, not the import machinery)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "fzcheck"

# top first; names in one tuple share a level
LAYERS: list[tuple[str, ...]] = [
    ("app",),
    ("render",),
    ("engine",),
    ("readers", "rules"),
    ("perf",),
    ("model", "errors", "i18n", "zhtext", ""),  # "" is fzcheck/__init__.py (the version)
    ("lazyre",),  # patterns compiled on first use (fzcheck.perf.cache plugs its cache in)
]
LEVEL = {name: n for n, names in enumerate(LAYERS) for name in names}
LEVEL["__main__"] = -1  # python -m fzcheck: above the command line it starts


def part_of(module: str) -> str:
    """The layer name of a module of the package: fzcheck.engine.match -> engine."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def imported_modules(tree: ast.AST, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, module) for every import of a fzcheck module, at any depth."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "fzcheck"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the module's own package
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "fzcheck":
                continue
            if target == "fzcheck":  # from fzcheck import engine, __version__
                out += [(node.lineno, f"fzcheck.{a.name}" if a.name in LEVEL else "fzcheck") for a in node.names]
            else:
                out.append((node.lineno, target))
    return out


def violations(module: str, source: str, is_package: bool = False) -> list[str]:
    """What in this module's source breaks the contract, as 'module:line imports target'."""
    own = part_of(module)
    if own not in LEVEL:
        return [f"{module}: not in any layer (add its folder to LAYERS in tests/test_layers.py)"]
    out = []
    for line, target in imported_modules(ast.parse(source), module, is_package):
        other = part_of(target)
        if other not in LEVEL:
            out.append(f"{module}:{line} imports {target}, which is in no layer")
        elif other != own and LEVEL[other] <= LEVEL[own]:
            how = "a sibling layer" if LEVEL[other] == LEVEL[own] else "a layer above"
            out.append(f"{module}:{line} imports {target} ({how}: {other} is not below {own or 'fzcheck'})")
    return out


def package_modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        out.append((".".join(rel.parts), path))
    return out


def test_no_module_imports_upward_or_sideways():
    found = []
    for module, path in package_modules():
        is_package = path.name == "__init__.py"
        name = module[: -len(".__init__")] if is_package else module
        found += violations(name, path.read_text(encoding="utf-8"), is_package)
    assert not found, "layer contract broken:\n" + "\n".join(found)


@pytest.mark.parametrize("module, source", [
    ("fzcheck.engine.check", "from fzcheck.render import Report\n"),
    ("fzcheck.engine.check", "def f():\n    from fzcheck.app.cli import main\n"),  # inside a function
    ("fzcheck.readers.docx", "from fzcheck.engine.outline import find_headings\n"),
    ("fzcheck.readers.pdf", "from fzcheck.rules.model import Rule\n"),  # siblings
    ("fzcheck.perf.prefilter", "import fzcheck.rules.patterns\n"),
    ("fzcheck.model", "from fzcheck import engine\n"),
    ("fzcheck.engine.kinds", "from ..render import common\n"),  # relative
])
def test_a_planted_upward_import_is_flagged(module, source):
    assert violations(module, source)


def test_a_planted_import_in_a_real_module_is_flagged():
    path = PACKAGE / "engine" / "check.py"
    source = path.read_text(encoding="utf-8")
    assert violations("fzcheck.engine.check", source) == []
    planted = source + "\n\ndef _planted():\n    from fzcheck.render.text import render\n    return render\n"
    assert any("fzcheck.render.text" in v for v in violations("fzcheck.engine.check", planted))


@pytest.mark.parametrize("module, source", [
    ("fzcheck.app.cli", "from fzcheck.render import FORMATS\nfrom fzcheck.engine.check import Options\n"),
    ("fzcheck.render.text", "from fzcheck.model import PASS\nfrom fzcheck.i18n import t\n"),
    ("fzcheck.engine.match", "from fzcheck.perf.prefilter import TextIndex\nfrom fzcheck.rules.model import Rule\n"),
    ("fzcheck.readers.docx", "from fzcheck.zhtext import opening_marker\nfrom . import limits\n"),
])
def test_downward_imports_are_allowed(module, source):
    assert violations(module, source) == []


def test_the_package_shows_its_layers_at_a_glance():
    entries = sorted(p.name for p in PACKAGE.iterdir() if p.name != "__pycache__")
    assert len(entries) <= 14, entries  # 13 + lazyre.py (patterns compiled on first use)
    for folder in ("app", "render", "engine", "readers", "rules", "perf"):
        assert (PACKAGE / folder / "__init__.py").is_file(), folder
