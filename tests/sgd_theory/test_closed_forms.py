"""Closed forms (E7)–(E12), checked against independent elementary formulas."""
import math

import mpmath as mp
import pytest

from theory.sgd import closed_forms as cf


@pytest.mark.parametrize("rho0,lt", [(0.1, 0.5), (-0.7, 2.0), (0.0, 1.0)])
def test_p1_is_tanh(rho0, lt):
    assert float(cf.rho_at(1, rho0, lt)) == pytest.approx(math.tanh(lt + math.atanh(rho0)), rel=1e-14)


@pytest.mark.parametrize("rho0,lt", [(0.1, 0.5), (0.6, 0.2)])
def test_p2_explicit(rho0, lt):
    Q = rho0**2 / (1 - rho0**2) * math.exp(4 * lt)
    assert float(cf.rho_at(2, rho0, lt)) == pytest.approx(math.sqrt(Q / (1 + Q)), rel=1e-13)


def test_p3_invariant_G():
    r0, lt = 0.2, 0.7
    r = float(cf.rho_at(3, r0, lt))
    G = lambda x: math.atanh(x) - 1 / x  # noqa: E731  spec G_3
    assert G(r) - G(r0) == pytest.approx(3 * lt, rel=1e-12)


def test_odd_p_negative_start_mirrors_with_flipped_sign():
    assert float(cf.rho_at(3, -0.3, 0.4, s=1)) == pytest.approx(-float(cf.rho_at(3, 0.3, 0.4, s=-1)), rel=1e-14)


def test_spec_table_entries():
    # spec §3.1: (m0, p, ρ_k) -> F
    assert float(cf.matched_horizon_F(2, 0.1, 0.3)) == pytest.approx(0.8043, abs=6e-5)
    assert float(cf.matched_horizon_F(1, 0.05, 0.0)) == pytest.approx(0.7922, abs=6e-5)
    assert float(cf.matched_horizon_F(3, 0.3, 0.1)) == pytest.approx(0.0025, abs=6e-5)


def test_e12_against_p2_flow():
    m0, rk = 0.1, 0.05
    t_w = math.log(float(cf.e12_K2(mp.mpf(m0)))) / 4
    assert float(cf.e12_rho(mp.mpf(rk), mp.mpf(m0))) == pytest.approx(float(cf.rho_at(2, rk, t_w)), rel=1e-14)


def test_escape_time_p1_formula():
    assert float(cf.escape_time(1, 0.2, 2.0)) == pytest.approx((math.atanh(0.9) - math.atanh(0.2)) / 2.0, rel=1e-14)


def test_F_infinity_cases():
    assert cf.F_infinity(2, 1, -0.3) == pytest.approx(1 - 0.09)
    assert cf.F_infinity(2, -1, 0.3) == pytest.approx(0.09)
    assert cf.F_infinity(3, 1, -0.3) == pytest.approx(0.09)
    assert cf.F_infinity(3, -1, -0.3) == pytest.approx(1 - 0.09)
    assert cf.F_infinity(4, 1, 0.0) == 0.0


def test_bad_input():
    with pytest.raises(ValueError, match="rho0"):
        cf.rho_at(2, 1.5, 1.0)
    with pytest.raises(ValueError, match="parameter p"):
        cf.rho_at(0, 0.5, 1.0)
    with pytest.raises(ValueError, match="parameter s"):
        cf.rho_at(2, 0.5, 1.0, s=2)
    with pytest.raises(ValueError, match="m0"):
        cf.matched_horizon_F(2, 0.95, 0.1)
