"""WSPO bad input: every error names the parameter and the allowed range (issue 5)."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from numerics import InvalidParameter
from numerics import wspo as nw
from proofs_checks import ParameterError
from proofs_checks._registry import _CLAIMS
import proofs_checks.claims.wspo  # noqa: F401  (registers the family)
from theory import wspo as tw

A3 = np.array([0.2, 0.3, 0.5])
B3 = np.array([0.5, 0.25, 0.25])
C3 = np.array([0.3, 0.3, 0.4])


@pytest.mark.parametrize("gamma", [0.0, -0.1, -5.0, float("nan"), float("inf")])
def test_gamma_must_be_positive_numerics(gamma):
    with pytest.raises(InvalidParameter, match="gamma"):
        nw.tilt_from(A3, B3, C3, gamma)
    with pytest.raises(InvalidParameter, match="gamma"):
        nw.minimise(A3, A3, nw.delta(B3, C3), gamma)
    with pytest.raises(InvalidParameter, match="gamma"):
        nw.seq_loss(*(np.zeros((2, 3)),) * 4, np.ones((2, 3)), gamma)


@pytest.mark.parametrize("gamma", [0, -1])
def test_gamma_must_be_positive_theory_and_claims(gamma):
    with pytest.raises(ValueError, match="gamma"):
        tw.tilt((sp.Rational(1, 2),) * 2, (sp.Rational(1, 2),) * 2, (sp.Rational(1, 2),) * 2, gamma)
    for cid in ("wspo.tilt", "wspo.normalizer", "wspo.on_policy"):
        with pytest.raises(ParameterError, match="gamma"):
            _CLAIMS[cid].validate(gamma=gamma)


@pytest.mark.parametrize("bad", [[0.5, 0.6, 0.1], [0.2, 0.2, 0.2], [-0.1, 0.6, 0.5], [np.nan, 0.5, 0.5]])
@pytest.mark.parametrize("slot", ["pi_ref_s", "pi_r_w", "pi_ref_w"])
def test_probability_vectors_must_sum_to_one_and_be_non_negative(bad, slot):
    args = {"pi_ref_s": A3, "pi_r_w": B3, "pi_ref_w": C3, slot: np.array(bad)}
    with pytest.raises(InvalidParameter, match=slot) as e:
        nw.tilt_from(args["pi_ref_s"], args["pi_r_w"], args["pi_ref_w"], 0.5)
    assert "summing to 1" in str(e.value)


def test_data_distribution_is_validated():
    with pytest.raises(InvalidParameter, match="parameter d="):
        nw.minimise([0.5, 0.6, -0.1], A3, nw.delta(B3, C3), 0.5)


def test_theory_rejects_non_probability_vectors():
    with pytest.raises(ValueError, match="pi_r_w"):
        tw.tilt((sp.Rational(1, 2),) * 2, (sp.Rational(1, 2), sp.Rational(2, 3)), (sp.Rational(1, 2),) * 2, 1)
    with pytest.raises(ValueError, match="pi_ref_s"):
        tw.tilt((sp.Rational(3, 2), sp.Rational(-1, 2)), (sp.Rational(1, 2),) * 2, (sp.Rational(1, 2),) * 2, 1)


def test_mismatched_vocabularies():
    with pytest.raises(InvalidParameter, match="pi_r_w") as e:
        nw.tilt_from(A3, [0.5, 0.5], C3, 0.5)
    assert "V=3" in str(e.value)
    with pytest.raises(InvalidParameter, match="pi_ref_w"):
        nw.tilt_from(A3, B3, [0.25] * 4, 0.5)
    with pytest.raises(InvalidParameter, match="parameter d="):
        nw.minimise([0.5, 0.5], A3, nw.delta(B3, C3), 0.5)
    with pytest.raises(ValueError, match="vocabulary"):
        tw.tilt((sp.Rational(1, 2),) * 2, (sp.Rational(1, 3),) * 3, (sp.Rational(1, 2),) * 2, 1)
    # per-token tensors of the four models must align position by position
    with pytest.raises(InvalidParameter, match="lp_ref_s"):
        nw.seq_loss(np.zeros((2, 3)), np.zeros((2, 4)), np.zeros((2, 3)), np.zeros((2, 3)), np.ones((2, 3)), 0.5)
    # autoregressive tables over a different vocabulary
    V, T = 3, 2
    refs = tuple(np.zeros((nw.ar.n_prefixes(V, T), V)) for _ in range(3))
    Y = np.zeros((4, T), dtype=int)
    with pytest.raises(InvalidParameter, match="Z_r_w"):
        nw.ar.fit(Y, np.full(4, 0.25), (refs[0], np.zeros((nw.ar.n_prefixes(4, T), 4)), refs[2]), 0.5, refs[0], 1, V=V)


def test_zero_weak_reference_where_aligned_has_mass():
    with pytest.raises(InvalidParameter, match="pi_ref_w") as e:
        nw.tilt_from(A3, [0.5, 0.25, 0.25], [0.0, 0.5, 0.5], 0.5)
    assert "smooth" in str(e.value)
    with pytest.raises(ValueError, match="pi_ref_w"):
        tw.tilt((sp.Rational(1, 2),) * 2, (sp.Rational(1, 2),) * 2, (0, 1), 1)
    # zero in both is allowed (no signal there), and ε-smoothing makes the case usable
    pi, _ = nw.tilt_from(A3, [0.0, 0.5, 0.5], [0.0, 0.5, 0.5], 0.5)
    assert np.all(np.isfinite(pi))
    pi, _ = nw.tilt_from(A3, nw.smooth(np.array([0.5, 0.25, 0.25]), 1e-4), nw.smooth(np.array([0.0, 0.5, 0.5]), 1e-4),
                         0.5)
    assert np.isclose(pi.sum(), 1.0)


def test_smoothing_eps_range():
    with pytest.raises(InvalidParameter, match="eps"):
        nw.smooth(A3, -1e-3)


def test_gaussian_scales_must_be_positive():
    with pytest.raises(InvalidParameter, match="sigma_w"):
        nw.gaussian.closed_form(0, 1, 0, 0.0, 0, 1, 0.5)
    with pytest.raises(InvalidParameter, match="gamma"):
        nw.gaussian.closed_form(0, 1, 0, 1, 0, 1, 0.0)


def test_on_policy_sampling_needs_a_seeded_generator():
    with pytest.raises(InvalidParameter, match="rng"):
        nw.on_policy(A3, nw.delta(B3, C3), 0.5, 2, n=100)


def test_backend_and_device_are_validated():
    with pytest.raises(InvalidParameter, match="backend"):
        nw.minimise(A3, A3, nw.delta(B3, C3), 0.5, backend="jax")
