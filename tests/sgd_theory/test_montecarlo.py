"""numerics.sgd.montecarlo: input validation of the quadrature and the median-of-means helpers
used by the SGD-A1/A9/A10 Monte Carlo checks."""

import numpy as np
import pytest

from numerics import InvalidParameter
from numerics.sgd import montecarlo as nmc


@pytest.mark.parametrize("cov", [
    [[1.0, 2.0], [2.0, 1.0]],          # symmetric, eigenvalues 3 and −1
    [[1.0, 0.5], [0.2, 1.0]],          # asymmetric
    [[-1.0, 0.0], [0.0, 1.0]],         # negative variance
    [[1.0, np.nan], [np.nan, 1.0]],    # not finite
    [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],  # not 2x2
])
def test_quad_pair_expectation_rejects_bad_covariance(cov):
    with pytest.raises(InvalidParameter) as e:
        nmc.quad_pair_expectation(1, 1, np.array(cov))
    assert e.value.name == "cov"


def test_quad_pair_expectation_accepts_singular_psd():
    # Z1 = Z2 (|r| = 1): E[h_2(Z)^2] = 1; E[h_1 h_1] under cov diag(4, 1) is 0
    assert nmc.quad_pair_expectation(2, 2, np.array([[1.0, 1.0], [1.0, 1.0]]), nodes=8) == pytest.approx(1, abs=1e-12)
    assert nmc.quad_pair_expectation(1, 1, np.diag([4.0, 1.0]), nodes=8) == pytest.approx(0, abs=1e-12)


def test_second_moments_closed_forms():
    # E[Z1²Z2²] = 1 + 2c² (Isserlis); E[h_0²h_j²] = 1
    m = nmc.quad_hermite_pair_second_moments(3, 0.6)
    assert m[1, 1] == pytest.approx(1 + 2 * 0.36, rel=1e-12)
    assert np.allclose(m[0], 1.0, atol=1e-12)


def test_mom_block_count_meets_false_alarm():
    k = nmc.mom_block_count(5e-6, 98)
    assert np.exp(-k / 8) <= 5e-6 / 98 < np.exp(-(k - 1) / 8)
    with pytest.raises(InvalidParameter, match="false_alarm"):
        nmc.mom_block_count(0.0)


def test_mom_interval_is_calibrated_on_heavy_tails():
    """The median-of-means interval 2√(M2/m) covers the mean of a heavy-tailed variable
    (X = Z⁴: mean 3, E[X²] = 105) at least as often as Chebyshev + Hoeffding promise;
    here with a loose α = 0.1 so that misses would be seen in 200 replicates."""
    rng = np.random.default_rng(12345)
    k = nmc.mom_block_count(0.1)
    mu, m2 = 3.0, 105.0
    n = k * 200
    misses = 0
    for _ in range(200):
        z = rng.standard_normal(n)
        med = float(np.median((z ** 4).reshape(k, -1).mean(axis=1)))
        misses += abs(med - mu) > float(nmc.mom_halfwidth(m2, n, k))
    assert misses <= 0.1 * 200


def test_mc_hermite_pairs_mom_validates():
    with pytest.raises(InvalidParameter, match="n"):
        nmc.mc_hermite_pairs_mom(2, 0.5, 10, 20, np.random.default_rng(0))


@pytest.mark.parametrize("nu, nv", [(0.3, 1.7), (1e-3, 30.0), (2.0, 2.0)])
def test_quad_pair_expectation_accepts_rounded_singular_cov(nu, nv):
    # the SGD-A1 'scaled' instance at c = 1, built in floats: singular up to rounding, so accepted;
    # Z1 = nu·Z, Z2 = nv·Z gives E[h_1 h_1] = nu·nv (Isserlis), E[h_2(Z1)h_0] = (nu² − 1)/√2
    c = 1.0
    cov = np.array([[nu * nu, nu * nv * c], [nu * nv * c, nv * nv]])
    assert nmc.quad_pair_expectation(1, 1, cov, nodes=4) == pytest.approx(nu * nv, rel=1e-12)
    assert nmc.quad_pair_expectation(2, 0, cov, nodes=4) == pytest.approx((nu * nu - 1) / np.sqrt(2), abs=1e-12)


def test_validated_entry_points_match_closed_forms():
    # the validated public functions still return the closed forms (not values copied from the code)
    z = np.array([-1.5, 0.0, 2.0])
    assert np.allclose(nmc.hermite_h(2, z), (z**2 - 1) / np.sqrt(2), atol=1e-14)
    assert np.allclose(nmc.hermite_stack(3, z)[3], (z**3 - 3 * z) / np.sqrt(6), atol=1e-14)
    assert np.allclose(nmc.hermite_series([1.0, 2.0], z), 1 + 2 * z, atol=1e-14)
    assert nmc.gh_expectation([0, 0, 0, 0, 1.0], nodes=3) == pytest.approx(3.0, rel=1e-12)   # E Z⁴ = 3
    assert nmc.gh_moment(lambda z: 2.0, nodes=1) == pytest.approx(2.0, rel=1e-14)
    assert np.allclose(nmc.compose([0, 0, 1.0], [1.0, 1.0]), [1.0, 2.0, 1.0])              # (1+z)²
    # z² = h_0 + √2·h_2
    assert np.allclose(nmc.hermite_coefficients_quadrature([0, 0, 1.0], 3, nodes=3), [1, 0, np.sqrt(2), 0], atol=1e-13)
