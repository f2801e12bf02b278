"""The layout's rules, checked on the source: few top-level modules, no import cycles, no private names
across modules, Click only in the CLI, no ImportError fallbacks for radweg's own modules, no issue numbers."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "radweg"


def _module(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, ast.Module]:
    return {_module(p): ast.parse(p.read_text(encoding="utf-8"), str(p)) for p in sorted(PKG.rglob("*.py"))}


def _type_checking_blocks(tree: ast.Module) -> set[int]:
    """Line numbers of imports under ``if TYPE_CHECKING:`` (not run, so no cycle)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for sub in ast.walk(node):
                if isinstance(sub, (ast.Import, ast.ImportFrom)):
                    lines.add(sub.lineno)
    return lines


def _imports(name: str, tree: ast.Module, modules: set[str]) -> list[tuple[str, list[str], int]]:
    """(imported module, names taken from it, line) for every radweg import that runs, at any level."""
    skip = _type_checking_blocks(tree)
    out: list[tuple[str, list[str], int]] = []
    package = name if (PKG / Path(*name.split(".")[1:]) / "__init__.py").exists() else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if node.lineno in skip if isinstance(node, (ast.Import, ast.ImportFrom)) else True:
            continue
        if isinstance(node, ast.Import):
            out += [(a.name, [], node.lineno) for a in node.names if a.name.split(".")[0] == "radweg"]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                pkg_parts = package.split(".")
                base = ".".join(pkg_parts[: len(pkg_parts) - node.level + 1] + ([base] if base else []))
            if base.split(".")[0] != "radweg":
                continue
            names = [a.name for a in node.names]
            subs = [f"{base}.{n}" for n in names if f"{base}.{n}" in modules]
            out.append((base, [n for n in names if f"{base}.{n}" not in modules], node.lineno))
            out += [(s, [], node.lineno) for s in subs]
    return out


def test_at_most_ten_top_level_modules() -> None:
    top = sorted(p.stem for p in PKG.glob("*.py") if p.stem not in ("__init__", "__main__"))
    assert len(top) <= 10, top


def test_no_import_cycles() -> None:
    trees = _sources()
    modules = set(trees)
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, tree in trees.items():
        for target, _names, _line in _imports(name, tree, modules):
            parts = target.split(".")
            for k in range(2, len(parts) + 1):  # importing a.b.c runs a.b's __init__ too
                dep = ".".join(parts[:k])
                if dep in modules and dep != name and not name.startswith(dep + "."):
                    graph[name].add(dep)
    cycles = _cycles(graph)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_private_names_across_modules() -> None:
    trees = _sources()
    modules = set(trees)
    bad = [f"{name}:{line} takes {n} from {target}"
           for name, tree in trees.items()
           for target, names, line in _imports(name, tree, modules)
           for n in names if n.startswith("_") and not n.startswith("__")]
    bad += [f"{name} imports private module {t}" for name, tree in trees.items()
            for t, _n, _l in _imports(name, tree, modules) if any(p.startswith("_") and not p.startswith("__")
                                                                   for p in t.split("."))]
    assert not bad, bad


def test_click_only_in_the_cli() -> None:
    bad = []
    for name, tree in _sources().items():
        if name.startswith("radweg.cli") or name == "radweg.__main__":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "click" for a in node.names):
                bad.append(name)
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "click":
                bad.append(name)
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("radweg.cli"):
                bad.append(f"{name} imports the CLI")
    assert not bad, bad


def test_no_import_error_fallbacks_for_our_own_modules() -> None:
    bad = []
    for name, tree in _sources().items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Try):
                continue
            catches = " ".join(ast.unparse(h.type) for h in node.handlers if h.type is not None)
            if "ImportError" not in catches and "ModuleNotFoundError" not in catches:
                continue
            for sub in node.body:
                for imp in ast.walk(sub):
                    if isinstance(imp, ast.ImportFrom) and (imp.module or "").startswith("radweg"):
                        bad.append(f"{name}:{imp.lineno}")
                    if isinstance(imp, ast.Import) and any(a.name.startswith("radweg") for a in imp.names):
                        bad.append(f"{name}:{imp.lineno}")
    assert not bad, bad


def test_no_issue_numbers_in_code_or_docs() -> None:
    pattern = re.compile(r"\bissues? \d|\btasks? \d|signature agreed", re.IGNORECASE)
    files = [*PKG.rglob("*.py"), *(ROOT / "docs").glob("*.md"), ROOT / "README.md", *(ROOT / "scripts").glob("*.py"),
             *(ROOT / "benchmarks").glob("*.py")]
    bad = [f"{p.relative_to(ROOT)}:{i}" for p in files for i, line in enumerate(p.read_text(encoding="utf-8")
                                                                                  .splitlines(), 1)
           if pattern.search(line)]
    assert not bad, bad
