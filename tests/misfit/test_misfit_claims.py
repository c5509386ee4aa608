"""MISFIT claims: registration, exact theory, and bad input through the claim API."""
from __future__ import annotations

import pytest

import proofs_checks as pc
from proofs_checks import ParameterError
from theory import misfit as tm

MISFIT_IDS = {
    "misfit.pythagorean", "misfit.convex_ball", "misfit.convex_simplex", "misfit.nonconvex_class",
    "misfit.subspace_equality", "misfit.model_selection", "misfit.nonrealizable_reference",
    "misfit.nonrealizable_sharp", "misfit.subspace_identity", "misfit.erm_bound", "misfit.erm_gap_law",
    "misfit.bregman_three_point", "misfit.kl_inequality", "misfit.kmixture", "misfit.invariances",
    "misfit.replication",
}


def test_all_misfit_claims_registered_with_two_kinds():
    claims = {c.id: c for c in pc.select(["misfit.*"])}
    assert MISFIT_IDS <= set(claims)
    for c in claims.values():
        assert len(c.check_kinds()) >= 2, c.id
        assert c.spec_id.startswith("MISFIT-"), c.id


def test_required_check_kinds_present():
    get = pc.get
    assert {"rate", "counterexample"} <= set(get("misfit.erm_gap_law").check_kinds())
    assert len(get("misfit.erm_gap_law").rates) == 2
    for cid in ("misfit.nonconvex_class", "misfit.kl_inequality", "misfit.nonrealizable_reference",
                "misfit.subspace_equality"):
        assert "counterexample" in get(cid).check_kinds(), cid


def test_provenance_never_presents_derived_as_paper():
    c = pc.get("misfit.nonrealizable_reference")
    assert c.provenance == "PAPER shape; DERIVED constants"
    tested = [k.provenance for k in c.checks if k.kind in ("symbolic", "numeric", "property")]
    assert tested and all(p == "DERIVED" for p in tested)


@pytest.mark.parametrize("cid, params, bad", [
    ("misfit.convex_ball", {"m": -4, "p": 1, "radius": 1.0, "phi_exp": 0.0, "y_exp": 0.0}, "m"),
    ("misfit.convex_ball", {"m": 10, "p": -1, "radius": 1.0, "phi_exp": 0.0, "y_exp": 0.0}, "p"),
    ("misfit.erm_bound", {"m": 50, "p": 2, "n": -20}, "n"),
    ("misfit.erm_gap_law", {"n": -100, "p": 11}, "n"),
    ("misfit.subspace_equality", {"m": -3, "p": 1}, "m"),
    ("misfit.kl_inequality", {"m": 3, "c": -2, "J": 2}, "c"),
    ("misfit.pythagorean", {"m": -1}, "m"),
])
def test_negative_dimension_or_sample_size_rejected(cid, params, bad):
    with pytest.raises(ParameterError) as e:
        pc.get(cid).validate(**params)
    assert e.value.name == bad
    assert "allowed" in str(e.value)


def test_constraint_p_below_m_rejected():
    with pytest.raises(ParameterError, match="p < m"):
        pc.get("misfit.convex_ball").validate(m=5, p=5, radius=1.0, phi_exp=0.0, y_exp=0.0)


def test_statements_are_sympy():
    import sympy as sp

    for c in pc.select(["misfit.*"]):
        st = c.statement()
        parts = st if isinstance(st, tuple) else (st,)  # a tuple states several relations together
        assert parts and all(isinstance(x, sp.Basic) for x in parts), c.id


@pytest.mark.parametrize("fn", [tm.ball_certificate, tm.simplex_certificate, tm.subspace_equality,
                                tm.nonrealizable_reference_certificate, tm.nonrealizable_sharp_proof,
                                tm.subspace_identity, tm.erm_certificates, tm.erm_gap_identity,
                                tm.bregman_three_point, tm.kl_certificate, tm.invariances, tm.nonconvex_example,
                                tm.pythagorean_identity, tm.model_selection_exact, tm.margin_is_gap,
                                tm.kl_margin_is_gap, tm.erm_gap_mean])
def test_symbolic_proofs_hold(fn):
    r = fn()
    for p in (r if isinstance(r, list) else [r]):
        assert p.holds, p.detail


def _scaled_rhs(rel):
    import sympy as sp

    return rel.func(rel.lhs, rel.rhs * sp.Rational(21, 20), evaluate=False)


@pytest.mark.parametrize("proof, statement", [
    (tm.pythagorean_identity, tm.pythagorean_statement), (tm.bregman_three_point, tm.bregman_statement),
    (tm.subspace_identity, tm.subspace_identity_statement), (tm.subspace_equality, tm.subspace_equality_statement),
    (tm.model_selection_exact, tm.model_selection_statement), (tm.ball_certificate, tm.convex_statement),
    (tm.simplex_certificate, tm.convex_statement), (tm.nonconvex_example, tm.convex_statement),
    (tm.kl_certificate, tm.kl_statement), (tm.nonrealizable_reference_certificate, tm.nonrealizable_statement),
    (tm.nonrealizable_sharp_proof, tm.nonrealizable_sharp_statement), (tm.erm_certificates, tm.erm_statement),
    (tm.erm_gap_mean, tm.erm_gap_law_statement)])
def test_symbolic_proofs_read_the_statement_they_are_given(proof, statement):
    """Each symbolic proof evaluates the statement passed to it: the right side scaled by 21/20
    must make some part of the proof fail (one source of truth, issue 9 §2)."""
    import inspect

    name = "stmt"
    kw = {name: _scaled_rhs(statement())} if name in inspect.signature(proof).parameters else None
    assert kw is not None, proof.__name__
    r = proof(**kw)
    assert not all(p.holds for p in (r if isinstance(r, list) else [r]))


def test_invariance_proof_reads_each_relation():
    stmt = list(tm.invariance_statement())
    for i in range(3):
        bad = list(stmt)
        bad[i] = _scaled_rhs(stmt[i])
        assert not tm.invariances(stmt=tuple(bad))[i].holds


def test_interpret_vectors_functions_and_matrices():
    """theory._interp.interpret: vector symbols, undefined functions, a broadcast scalar shift and a
    non-commutative (matrix) product, against values computed by hand."""
    import sympy as sp

    from theory._interp import Vec, interpret

    x, y, c = sp.symbols("x y c")
    h, A = sp.symbols("h A", commutative=False)
    f = sp.Function("f")
    vals = {"x": Vec([1, 2]), "y": Vec([3, 5]), "c": sp.Integer(10)}
    assert interpret(f(x + c - y), vals, {"f": lambda v: v[0] * v[1]}) == (1 + 10 - 3) * (2 + 10 - 5)
    M = {"h": sp.Matrix([[1, 2], [3, 4]]), "A": sp.Matrix([[0, 1], [1, 0]])}
    assert interpret(h * A, M) == sp.Matrix([[2, 1], [4, 3]])
    assert interpret(sp.sqrt(x), {"x": 4.0}, backend="float") == 2.0


def test_wrong_ball_certificate_is_rejected():
    """A certificate missing the complementary-slackness term must not verify."""
    import sympy as sp

    from theory import prove_certificate

    lam, rho = sp.symbols("lambda rho", nonnegative=True)
    a, z = sp.symbols("a z")
    gap = 2 * lam * (a * a - z * a)
    assert not prove_certificate(gap, [lam * (a - z) ** 2], [lam, rho]).holds


def test_replication_table_registered():
    from proofs_checks._tables import get_table

    assert get_table("misfit.replication").claims == ("misfit.replication",)
