"""Which built-in claims are bound to their printed statement (issue 9 §2).

The perturbed-statement battery (:mod:`proofs_checks._battery`, tests/test_battery.py) rewrites a
claim's SymPy statement (a constant or the bound scaled by 1 ± 0.05, a sign flipped; a tuple
statement one element at a time) and runs its checks: a claim is bound when some check then fails.
The ids below read their formula through :mod:`proofs_checks._statement`, and the battery holds
them to it.  A built-in claim that is not listed is shown as ``statement unchecked: <reason>``; the
few that cannot be bound honestly (a free constant or tolerance that no check can pin) declare
their own specific ``statement_unchecked`` reason on the Claim.
"""
from __future__ import annotations

REASON = ("its checks keep their own copy of the formula; a rewrite of the printed statement is not "
          "caught by the perturbed-statement battery (issue 9 §2, open)")

# One set per family (each edited on its own branch; keep the blank lines between them).

BOUND_MISFIT = frozenset({"misfit.replication", "misfit.pythagorean", "misfit.bregman_three_point",
                          "misfit.subspace_identity", "misfit.invariances",
                          "misfit.subspace_equality", "misfit.model_selection",
                          "misfit.convex_ball", "misfit.convex_simplex",
                          "misfit.nonconvex_class", "misfit.kl_inequality",
                          "misfit.nonrealizable_reference", "misfit.nonrealizable_sharp",
                          "misfit.erm_bound", "misfit.erm_gap_law"})

BOUND_WSPO = frozenset({"wspo.tilt", "wspo.loss", "wspo.rescaling", "wspo.normalizer", "wspo.gradient", "wspo.gaussian", "wspo.weak_recovery", "wspo.token_vs_sequence", "wspo.implied_reward", "wspo.amplification_monotone",
                        "wspo.amplification_equal_refs", "wspo.on_policy", "wspo.support"})

BOUND_REFINE = frozenset({"refine.bias_quantities", "refine.naive_risk", "refine.floor", "refine.infimum", "refine.lambda0", "refine.noisy_rate", "refine.hull_bias", "refine.evaluation_criterion", "refine.success_condition", "refine.robustness", "refine.outside_hull", "refine.crossover", "refine.refine_then_finetune", "refine.icl_decay", "refine.official_scores"})

BOUND_SGD_EXACT = frozenset({"sgd.a10_relu_coefficients",
                             "sgd.a11_relu_kernel",
                             "sgd.a12_horizon_formula",
                             "sgd.a1_hermite_orthogonality",
                             "sgd.a2_spherical_gradient",
                             "sgd.a3_flow_invariants",
                             "sgd.a4_plane_invariance",
                             "sgd.a5_closed_forms",
                             "sgd.a6_fixed_point",
                             "sgd.a7_asymptotic_forgetting",
                             "sgd.a8_escape_time",
                             "sgd.a9_ie_lowering",
                             "sgd.n1_matched_horizon_guard"})

BOUND_SGD_SIM = frozenset({"sgd.b1_weak_recovery", "sgd.c3_forgetting.h1", "sgd.c3_forgetting.h2", "sgd.c5_h2_cost", "sgd.c6_h4_onset", "sgd.b4_finite_d", "sgd.c2_preservation.h1", "sgd.c4_efficiency.h1", "sgd.c1_elicitation.h1", "sgd.b2_warm_start", "sgd.b3_ie_lowering"})

BOUND = BOUND_MISFIT | BOUND_WSPO | BOUND_REFINE | BOUND_SGD_EXACT | BOUND_SGD_SIM


def unbound_reason(claim_id: str) -> str:
    """The ``statement_unchecked`` reason for a built-in claim ('' when the claim is bound).
    Only claims of the built-in families are listed; a plugin's claims declare their own."""
    family = claim_id.split(".", 1)[0]
    if family not in ("misfit", "sgd", "refine", "wspo") or claim_id in BOUND:
        return ""
    return REASON
