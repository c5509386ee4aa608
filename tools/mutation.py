"""Mutation tier (issue 9 §6): mutmut 3 over ``theory/`` and ``numerics/``, one module group at a time.

Each group maps source modules to the tests and claims that exercise them, so a mutant runs only the
relevant tests (mutmut's own per-function test selection then narrows it further).  A group is run in
a scratch copy of the tree (``build/mutation/<group>/``) whose ``[tool.mutmut]`` names that group's
modules and tests, so groups never share state and can be rerun one by one.

    python tools/mutation.py --list                      # groups and their modules/tests
    python tools/mutation.py --group misfit_geometry     # one group
    python tools/mutation.py --module numerics/_stats.py # the group(s) holding one module
    python tools/mutation.py --all --max-children 2      # everything (nightly, ~90 min on 2 cores)

Prints, per group, killed / survived / timeout / other counts and the mutation score
killed / (killed + survived + timeout); ``--show`` prints the diff of each survivor.
Needs ``pip install -e .[mutation]`` (mutmut >= 3).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build" / "mutation"
COPY = ("theory", "numerics", "proofs_checks", "tests", "pyproject.toml", "conftest.py")
PYTEST_ARGS = ["-p", "no:cacheprovider", "-q", "--benchmark-skip", "-m", "not benchmark",
               "-W", "ignore::DeprecationWarning"]


@dataclass(frozen=True)
class Group:
    """Source modules (paths relative to the root; a trailing ``*`` globs) and the tests that judge them."""

    modules: tuple[str, ...]
    tests: tuple[str, ...]


CONTRACT = "tests/infra/test_numerics_contract.py"
GROUPS: dict[str, Group] = {
    # numerics core -----------------------------------------------------------------------
    "stats": Group(("numerics/_stats.py",),
                   ("tests/calibration", "tests/quality/test_engine_quality.py", "tests/test_rates.py", CONTRACT)),
    "validate": Group(("numerics/_validate.py", "numerics/_backends.py"), (CONTRACT, "tests/test_domain.py")),
    "sweep": Group(("numerics/sweep.py",), ("tests/infra/test_infra_sweep.py", CONTRACT)),
    # MISFIT ------------------------------------------------------------------------------
    "misfit_geometry": Group(("numerics/misfit/_geometry.py",),
                             ("tests/misfit/test_geometry.py", "tests/misfit/test_misfit_numerics.py", CONTRACT)),
    "misfit_numerics": Group(("numerics/misfit/_[!g]*.py",),
                             ("tests/misfit/test_geometry.py", "tests/misfit/test_misfit_numerics.py", "tests/misfit/test_replication_kernel.py",
                              "tests/misfit/test_quality_misfit.py", CONTRACT)),
    "misfit_theory": Group(("theory/misfit.py",),
                           ("tests/misfit/test_misfit_claims.py", "tests/misfit/test_quality_misfit.py")),
    # REFINE ------------------------------------------------------------------------------
    "refine_numerics": Group(("numerics/refinement/*",),
                             ("tests/refine/test_refine_numerics.py", "tests/refine/test_quality_refine.py", CONTRACT)),
    "refine_theory": Group(("theory/refinement/*",),
                           ("tests/refine/test_refine_theory.py", "tests/refine/test_refine_claims.py")),
    # SGD ---------------------------------------------------------------------------------
    "sgd_exact": Group(("numerics/sgd/ode.py", "numerics/sgd/montecarlo.py"),
                       ("tests/sgd_theory/test_ode.py", "tests/sgd_theory/test_api.py",
                        "tests/sgd_theory/test_quality_sgd_theory.py", CONTRACT)),
    "sgd_sim": Group(("numerics/sgd/sim_*",),
                     ("tests/sgd_sim/test_simulator_sgd_sim.py", "tests/sgd_sim/test_quality_sgd_sim.py",
                      "tests/sgd_rates/test_rate_verdict.py", CONTRACT)),
    "sgd_theory": Group(("theory/sgd/*",),
                        ("tests/sgd_theory/test_hermite.py", "tests/sgd_theory/test_closed_forms.py",
                         "tests/sgd_theory/test_quality_sgd_theory.py")),
    # WSPO --------------------------------------------------------------------------------
    "wspo_numerics": Group(("numerics/wspo/*",),
                           ("tests/wspo/test_numerics_wspo.py", "tests/wspo/test_inputs_wspo.py",
                            "tests/wspo/test_quality_wspo.py", CONTRACT)),
    "wspo_theory": Group(("theory/wspo.py",), ("tests/wspo/test_claims_wspo.py", "tests/wspo/test_inputs_wspo.py")),
    # shared proof helpers ------------------------------------------------------------------
    "proof": Group(("theory/_proof.py",), ("tests/quality/test_engine_quality.py", "tests/test_contract.py")),
}


def groups_for(module: str) -> list[str]:
    from fnmatch import fnmatch
    return [g for g, grp in GROUPS.items() if any(fnmatch(module, m) for m in grp.modules)]


def _toml_list(xs) -> str:
    return "[" + ", ".join('"' + x.replace("\\", "/") + '"' for x in xs) + "]"


def prepare(name: str) -> Path:
    """A scratch copy of the tree with a ``[tool.mutmut]`` for group ``name``."""
    grp = GROUPS[name]
    work = BUILD / name
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "mutants", ".hypothesis")
    for item in COPY:
        src = ROOT / item
        if src.is_dir():
            shutil.copytree(src, work / item, ignore=ignore)
        elif src.exists():
            shutil.copy2(src, work / item)
    text = (work / "pyproject.toml").read_text()
    text = re.sub(r"(?ms)^\[tool\.mutmut\].*?(?=^\[|\Z)", "", text)
    sources = sorted({m.split("/")[0] for m in grp.modules})
    text += (f"\n[tool.mutmut]\nsource_paths = {_toml_list(sources)}\n"
             f"only_mutate = {_toml_list(grp.modules)}\n"
             f"also_copy = {_toml_list([s for s in ('theory', 'numerics', 'proofs_checks') if s not in sources])}\n"
             f"pytest_add_cli_args = {_toml_list(PYTEST_ARGS)}\n"
             f"pytest_add_cli_args_test_selection = {_toml_list(grp.tests)}\n"
             "use_git_change_detection = false\n")
    (work / "pyproject.toml").write_text(text)
    return work


def _mutmut(work: Path, *args: str, timeout: float | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # the mutants must shadow the tree
    env["W2S_LEDGER"] = str(work / "ledger.sqlite")
    return subprocess.run([sys.executable, "-m", "mutmut", *args], cwd=work, env=env, capture_output=True,
                          text=True, timeout=timeout)


def run_group(name: str, max_children: int, show: bool) -> dict[str, int]:
    work = prepare(name)
    r = _mutmut(work, "run", "--max-children", str(max_children))
    if r.returncode != 0:
        print(r.stdout[-3000:], r.stderr[-3000:], sep="\n")
        raise SystemExit(f"mutmut run failed for group {name} (exit {r.returncode})")
    res = _mutmut(work, "results", "--all", "true").stdout
    counts: dict[str, int] = {}
    survivors = []
    for line in res.splitlines():
        key, _, status = line.strip().rpartition(": ")
        if not key:
            continue
        counts[status] = counts.get(status, 0) + 1
        if status in ("survived", "timeout", "no tests"):
            survivors.append((key, status))
    judged = counts.get("killed", 0) + counts.get("survived", 0) + counts.get("timeout", 0)
    score = counts.get("killed", 0) / judged if judged else float("nan")
    print(f"[{name}] {dict(sorted(counts.items()))}  score {score:.3f} ({counts.get('killed', 0)}/{judged})")
    for key, status in survivors:
        print(f"  {status}: {key}")
        if show:
            print(_mutmut(work, "show", key).stdout)
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sel = ap.add_mutually_exclusive_group(required=True)
    sel.add_argument("--group", choices=sorted(GROUPS))
    sel.add_argument("--module", help="a source path, e.g. numerics/_stats.py")
    sel.add_argument("--all", action="store_true")
    sel.add_argument("--list", action="store_true")
    ap.add_argument("--max-children", type=int, default=2)
    ap.add_argument("--show", action="store_true", help="print the diff of every surviving mutant")
    a = ap.parse_args(argv)
    if a.list:
        for g, grp in GROUPS.items():
            print(f"{g}: {' '.join(grp.modules)}\n    tests: {' '.join(grp.tests)}")
        return 0
    if a.max_children < 1:
        print(f"--max-children {a.max_children} is invalid: allowed an integer >= 1", file=sys.stderr)
        return 2
    names = sorted(GROUPS) if a.all else [a.group] if a.group else groups_for(a.module)
    if not names:
        print(f"--module {a.module} is invalid: allowed a module in one of the groups (see --list)", file=sys.stderr)
        return 2
    for n in names:
        run_group(n, a.max_children, a.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
