"""Claim-level API of the sgd family: validation (ParameterError) and the N1 guard."""
import pytest

from proofs_checks import ParameterError
from proofs_checks.claims import sgd


@pytest.mark.parametrize("kw,name", [
    ({"d": 1}, "d"),
    ({"d": 4, "r": 5}, "r,d"),
    ({"d": 4, "rho": 1.2}, "rho"),
    ({"d": 4, "rho": -1.01}, "rho"),
    ({"d": 4, "eta": 0.0}, "eta"),
    ({"d": 4, "eta": -1e-3}, "eta"),
    ({"d": 4, "mechanism": "H5"}, "mechanism"),
])
def test_bad_params(kw, name):
    with pytest.raises(ParameterError) as e:
        sgd.validate_sgd_params(**kw)
    assert e.value.name == name
    assert "allowed" in str(e.value)


def test_good_params_and_defaults():
    v = sgd.validate_sgd_params(d=16, r=4, rho=0.3, eta=0.01, mechanism="H2")
    assert v["mechanism"] == "H2" and v["r"] == 4


def test_guard_flags_hermite_only_encoding():
    v = sgd.n1_guard(sgd.Encoding(p_w2s=2, p_sft=4, m0=0.1, rho_k=0.03))
    assert v.flagged and v.F_w2s >= v.F_sft
    assert "inconsistent" in v.reason


def test_guard_respects_mechanism_and_scope():
    assert not sgd.n1_guard(sgd.Encoding(2, 4, 0.1, 0.03, mechanism="H1")).flagged
    assert not sgd.n1_guard(sgd.Encoding(2, 4, 0.1, 0.03, same_horizon=False)).flagged
    # ρ_k above m_0 with p_W < p_*: at matched horizon F_W2S < F_SFT really holds (spec (c))
    v = sgd.n1_guard(sgd.Encoding(2, 4, 0.1, 0.3))
    assert not v.flagged and v.F_w2s < v.F_sft


def test_guard_bad_input():
    with pytest.raises(ParameterError, match="mechanism"):
        sgd.n1_guard(sgd.Encoding(2, 4, 0.1, 0.03, mechanism="H9"))
    with pytest.raises(ParameterError, match="rho_k"):
        sgd.n1_guard(sgd.Encoding(2, 4, 0.1, 1.5))
    with pytest.raises(ParameterError, match="p_w2s"):
        sgd.n1_guard(sgd.Encoding(0, 4, 0.1, 0.03))
    with pytest.raises(ParameterError, match="encoding"):
        sgd.n1_guard("not an encoding")


def test_matched_horizon_F_validates():
    with pytest.raises(ParameterError, match="m0"):
        sgd.matched_horizon_F(2, 0.0, 0.1)
    assert sgd.matched_horizon_F(2, 0.05, 0.1) == pytest.approx(0.8907, abs=6e-5)   # spec §3.1 table


def test_every_family_claim_is_derived_and_has_two_kinds():
    from proofs_checks import select
    claims = [c for c in select(["sgd.a*", "sgd.n*"])]
    assert len(claims) == 13
    for c in claims:
        assert c.provenance == "DERIVED"
        assert len(c.check_kinds()) >= 2
        assert c.spec_id.startswith("SGD-")


def test_encoding_from_hermite_ie_lowering_story_is_flagged():
    """σ = h2 + h3; W2S label T(h3) = h3² (IE 3 → 2), SFT label h3: pure p_W = 2 < p_* = 3."""
    from theory.sgd import hermite as th
    a_w = [float(x) for x in th.poly_coefficients(th.transform(lambda y: y**2, th.h(3)))]
    e = sgd.encoding_from_hermite(a_w, [0, 0, 0, 1], [0, 0, 1, 1], 0.1, 0.03)
    assert (e.p_w2s, e.p_sft) == (2, 3)
    assert e.phi_w2s[2] == pytest.approx(3 * 2**0.5)
    v = sgd.n1_guard(e)
    assert v.flagged and v.F_w2s > v.F_sft


def test_general_phi_matches_closed_form_for_pure_phi():
    assert sgd.matched_horizon_F_phi((0, 0, 0, 2.0), 0.1, 0.05) == pytest.approx(
        sgd.matched_horizon_F(3, 0.1, 0.05), rel=1e-8)


def test_encoding_from_hermite_bad_input():
    with pytest.raises(ParameterError, match="alpha_w2s"):
        sgd.encoding_from_hermite([1, 0, 0, 5], [0, 0, 1], [0, 0, 1, 0], 0.1, 0.03)
