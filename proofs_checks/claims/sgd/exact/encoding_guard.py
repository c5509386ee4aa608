"""Public API: the SGD-N1 consistency guard — candidate encodings of the paper's W2S-vs-SFT
comparison (Awano & Suzuki, P3/P4) checked against the matched-horizon dynamics (spec
sgd_dynamics.md §3.1, SGD-N1)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from ...._errors import ParameterError
from .matched_horizon import matched_horizon_F, matched_horizon_F_phi
from .validation import check_mechanism


@dataclass(frozen=True)
class Encoding:
    """A candidate encoding of the paper's W2S-vs-SFT comparison (spec §3.1, SGD-N1).

    ``p_w2s``/``p_sft``: pure pair exponents of the W2S (T∘g_W) and SFT (σ*) signals, or
    ``phi_w2s``/``phi_sft``: power-series coefficients of their correlation functions φ
    (mixed φ allowed; built by :func:`encoding_from_hermite`);
    ``asserts_w2s_preserves``: the encoding asserts F_W2S < F_SFT at ``rho_k``;
    ``shared_theta``/``same_protocol``/``same_horizon``: the two runs differ only in the
    Hermite coefficients of the labels; ``mechanism``: an explicit extra ingredient H1..H4.
    """

    p_w2s: int | None
    p_sft: int | None
    m0: float
    rho_k: float
    asserts_w2s_preserves: bool = True
    shared_theta: bool = True
    same_protocol: bool = True
    same_horizon: bool = True
    mechanism: str | None = None
    phi_w2s: tuple[float, ...] | None = None
    phi_sft: tuple[float, ...] | None = None


@dataclass(frozen=True)
class GuardVerdict:
    flagged: bool
    reason: str
    F_w2s: float
    F_sft: float


def _pure_exponent(phi: tuple[float, ...]) -> int | None:
    nz = [i for i, c in enumerate(phi) if i >= 1 and c != 0]
    return nz[0] if len(nz) == 1 and phi[nz[0]] > 0 else None


def encoding_from_hermite(alpha_w2s, alpha_sft, beta, m0: float, rho_k: float, **flags: Any) -> Encoding:
    """An :class:`Encoding` from Hermite coefficients: α of the (transformed, centred) W2S
    label, α of the SFT label, β of the activation; φ = Σα_iβ_iρ^i (spec §1.1), a = +1."""
    def phi(alpha, name):
        n = min(len(alpha), len(beta))
        c = tuple(float(sp.N(alpha[i] * beta[i])) for i in range(n))
        if not any(c[1:]):
            raise ParameterError(name, "<coefficients>", "Hermite coefficients with α_iβ_i ≠ 0 for some i >= 1")
        return c
    pw, ps = phi(alpha_w2s, "alpha_w2s"), phi(alpha_sft, "alpha_sft")
    return Encoding(_pure_exponent(pw), _pure_exponent(ps), m0, rho_k, phi_w2s=pw, phi_sft=ps, **flags)


def n1_guard(enc: Encoding) -> GuardVerdict:
    """SGD-N1 guard: flag (as inconsistent) any encoding that asserts F_W2S < F_SFT at
    ρ_k < m_0 from Hermite coefficients alone (shared θ, protocol, horizon; no mechanism)
    when the matched-horizon dynamics (§3.1) contradict it.  For pure exponents with
    p_W < p_* and 0 < ρ_k < m_0 the contradiction is structural (SGD-N1(a))."""
    if not isinstance(enc, Encoding):
        raise ParameterError("encoding", type(enc).__name__, "an Encoding instance")
    check_mechanism(enc.mechanism)
    if enc.phi_w2s is not None and enc.phi_sft is not None:
        Fw = matched_horizon_F_phi(enc.phi_w2s, enc.m0, enc.rho_k)
        Fs = matched_horizon_F_phi(enc.phi_sft, enc.m0, enc.rho_k)
    else:
        for name in ("p_w2s", "p_sft"):
            v = getattr(enc, name)
            if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 12:
                raise ParameterError(name, v, "integer in [1, 12] (a pure pair exponent), or give phi_w2s/phi_sft")
        Fw = matched_horizon_F(enc.p_w2s, enc.m0, enc.rho_k)
        Fs = matched_horizon_F(enc.p_sft, enc.m0, enc.rho_k)
    hermite_only = enc.shared_theta and enc.same_protocol and enc.same_horizon
    if enc.mechanism is not None:
        return GuardVerdict(False, f"mechanism {enc.mechanism} supplies the extra ingredient", Fw, Fs)
    if not (enc.asserts_w2s_preserves and hermite_only):
        return GuardVerdict(False, "outside the guard's scope (no assertion, or runs differ beyond Hermite "
                            "coefficients)", Fw, Fs)
    pure = enc.p_w2s is not None and enc.p_sft is not None
    if pure and enc.p_w2s < enc.p_sft and 0 < abs(enc.rho_k) < enc.m0:
        return GuardVerdict(True, f"inconsistent: Hermite-only encoding asserts F_W2S < F_SFT at ρ_k = "
                            f"{enc.rho_k:g} < m_0 = {enc.m0:g} with p_W = {enc.p_w2s} < p_* = {enc.p_sft}; the "
                            f"matched-horizon dynamics give F_W2S = {Fw:.4g} >= F_SFT = {Fs:.4g} (SGD-N1(a))", Fw, Fs)
    if Fw >= Fs:
        return GuardVerdict(True, f"inconsistent: asserted F_W2S < F_SFT but the matched-horizon dynamics give "
                            f"F_W2S = {Fw:.4g} >= F_SFT = {Fs:.4g}", Fw, Fs)
    return GuardVerdict(False, "consistent with the matched-horizon dynamics", Fw, Fs)
