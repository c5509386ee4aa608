"""theory/ never imports numerics/; numerics/ never imports SymPy (not even transitively)."""
from __future__ import annotations

import ast
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _imports(pkg: str) -> set[tuple[str, str]]:
    found = set()
    for f in (ROOT / pkg).rglob("*.py"):
        for node in ast.walk(ast.parse(f.read_text())):
            if isinstance(node, ast.Import):
                found |= {(str(f), a.name.split(".")[0]) for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add((str(f), node.module.split(".")[0]))
    return found


def test_theory_does_not_import_numerics():
    assert not [f for f, m in _imports("theory") if m in ("numerics", "proofs_checks")]


def test_numerics_does_not_import_sympy_or_theory():
    assert not [f for f, m in _imports("numerics") if m in ("sympy", "theory", "proofs_checks")]


def test_numerics_import_graph_is_sympy_free():
    mods = sorted({".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
                   for p in (ROOT / "numerics").rglob("*.py")})
    code = "import sys\n" + "".join(f"import {m}\n" for m in mods) + "print('sympy' in sys.modules)"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "False"
