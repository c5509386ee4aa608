"""Claims whose checks are not (yet) bound to their printed statement (issue 9 §2).

The perturbed-statement battery (:mod:`proofs_checks._battery`, tests/test_battery.py) rewrites a
claim's SymPy statement (a constant or the bound scaled by 1 ± 0.05, a sign flipped) and runs its
checks: a claim is bound when some check then fails.  On 2026-12-02 only ``misfit.replication`` and
``sgd.b1_weak_recovery`` were bound; every other claim keeps a hand-typed copy of its formula in
its checks, so a wrong constant in the printed statement would pass them.  Each id below is shown
as ``statement unchecked: <reason>`` by ``w2s show``, ``w2s verify`` and the JSON report, and is
exempt from the battery.  Remove an id when its checks read ``current_statement()``; the battery
then holds it to that.
"""
from __future__ import annotations

REASON = ("its checks keep their own copy of the formula; a rewrite of the printed statement is not "
          "caught by the perturbed-statement battery (issue 9 §2, open)")

# One set per family (each edited on its own branch; keep the blank lines between them).

BOUND_MISFIT = frozenset({"misfit.replication"})

BOUND_WSPO: frozenset[str] = frozenset()

BOUND_REFINE = frozenset({"refine.bias_quantities", "refine.naive_risk", "refine.floor", "refine.infimum", "refine.lambda0", "refine.noisy_rate", "refine.hull_bias", "refine.evaluation_criterion", "refine.success_condition", "refine.robustness", "refine.outside_hull", "refine.crossover", "refine.refine_then_finetune", "refine.icl_decay", "refine.official_scores"})

BOUND_SGD_EXACT: frozenset[str] = frozenset()

BOUND_SGD_SIM = frozenset({"sgd.b1_weak_recovery"})

BOUND = BOUND_MISFIT | BOUND_WSPO | BOUND_REFINE | BOUND_SGD_EXACT | BOUND_SGD_SIM


def unbound_reason(claim_id: str) -> str:
    """The ``statement_unchecked`` reason for a built-in claim ('' when the claim is bound).
    Only claims of the built-in families are listed; a plugin's claims declare their own."""
    family = claim_id.split(".", 1)[0]
    if family not in ("misfit", "sgd", "refine", "wspo") or claim_id in BOUND:
        return ""
    return REASON
