"""REFINE-8..12 (spec refinement.md §4): the ICL posterior, its exponential misalignment
bound with ρ(γ) = E r^γ, the noisy ρ*, the biased det(I − 2A)^{−1/2} form, the
refine-then-fine-tune bound and the crossover m_c.  All [DERIVED] (spec §0).

The biased-case optimum ``min_γ ρ = (1 + κ²/(2 s_eff² + (κ−1)²))^{−1/2}`` (κ > 0) is derived
here from the spec's det form (det(I−2A) = 1 − 4c1 + 2c2 − c2²); it reproduces the spec's
reference values 0.9949 / 0.9156 / 0.8754.
"""
from __future__ import annotations

import math
from typing import Sequence

import sympy as sp
from mpmath import iv

from .._proof import Proof, prove_certificate, prove_identity, prove_interval

g, sig, se, ss = sp.symbols("gamma sigma s_eff s", positive=True)
kap = sp.Symbol("kappa", real=True)
m = sp.Symbol("m", nonnegative=True)


def c1c2(gamma=g, sigma=sig, s_eff=se, kappa=kap):
    c1 = -gamma / (2 * sigma ** 2) + gamma ** 2 * s_eff ** 2 / (2 * sigma ** 4)
    c2 = gamma * (kappa - 1) / sigma ** 2
    return c1, c2


def biased_A(gamma=g, sigma=sig, s_eff=se, kappa=kap) -> sp.Matrix:
    c1, c2 = c1c2(gamma, sigma, s_eff, kappa)
    v, e1 = sp.Matrix([-1, 1]), sp.Matrix([1, 0])
    return c1 * v * v.T + c2 / 2 * (v * e1.T + e1 * v.T)


def rho_biased_expr() -> sp.Expr:
    return (sp.eye(2) - 2 * biased_A()).det() ** sp.Rational(-1, 2)


def rho_noisy_expr(gamma=g, sigma=sig, s_=ss) -> sp.Expr:
    return (1 + 2 * gamma * (sigma ** 2 - gamma * s_ ** 2) / sigma ** 4) ** sp.Rational(-1, 2)


ALPHA = sp.IndexedBase("alpha", positive=True)
RHO = sp.Function("rho")  # ρ_k(γ) = E r_k^γ, the same for every k ≥ 2 in the toy model (β_k symmetric)


def icl_statement() -> sp.Expr:
    """REFINE-8: E M ≤ Σ_{k=2}^{K} (α_k/α_1)^γ ρ(γ)^m."""
    k = sp.Symbol("k", integer=True, positive=True)
    return sp.LessThan(sp.Symbol("E M"), sp.Sum((ALPHA[k] / ALPHA[1]) ** g * RHO(g) ** m,
                                               (k, 2, sp.Symbol("K", integer=True, positive=True))))


def bound_terms(K: int, statement: sp.Rel | None = None) -> sp.Expr:
    """The statement's right side at K concepts, the sum written out (doit)."""
    stmt = icl_statement() if statement is None else statement
    Ks = next((x for x in stmt.rhs.free_symbols if str(x) == "K"), sp.Symbol("K"))
    return stmt.rhs.subs(Ks, K).doit()


def prove_bound_assembly(K: int = 3, statement: sp.Rel | None = None) -> Proof:
    """Steps (1)–(3) give E π_k ≤ (α_k/α_1)^γ E Π_i r_{k,i}^γ = (α_k/α_1)^γ ρ^m; summed over k = 2..K this is
    the statement's right side (written out at K)."""
    assembled = sp.Add(*[(ALPHA[j] / ALPHA[1]) ** g * RHO(g) ** m for j in range(2, K + 1)])
    return prove_identity(assembled - bound_terms(K, statement), label=f"sum_k (alpha_k/alpha_1)^gamma rho^m = "
                                                                       f"statement rhs, K={K}")


def prove_posterior_steps() -> list[Proof]:
    """(1) π_k ≤ (α_k/α_1) Π r_k: α_1L_1 · α_kL_k/(Σα_jL_j) ≤ α_kL_k, certificate on cleared
    denominators; (2) min(1, z) ≤ z^γ: for z ≤ 1, z^γ − z = z^γ(1 − z^{1−γ}) ≥ 0 and for z ≥ 1,
    z^γ ≥ 1, enclosed by intervals; (3) E Π r^γ = ρ^m for iid examples (independence)."""
    L = sp.symbols("L1:4", nonnegative=True)
    al = sp.symbols("alpha1:4", positive=True)
    tot = sum(a * l for a, l in zip(al, L))
    # α_k L_k / α_1 L_1 − α_k L_k / tot = α_k L_k (tot − α_1 L_1) / (α_1 L_1 tot)
    p1 = prove_certificate(sp.together(al[1] * L[1] * tot - al[1] * L[1] * al[0] * L[0]),
                           [al[1] * L[1] * (al[1] * L[1] + al[2] * L[2])], nonneg=L + al,
                           label="pi_2 <= (alpha_2/alpha_1)(L_2/L_1) (denominators cleared)")

    def f_small(w, u):  # z = exp(-w) in (0,1], u = 1 - gamma: z^gamma / z = exp(u w) >= 1 iff u w >= 0
        return u * w

    def f_large(z, gamma):  # z in [1, 50]: z^gamma - 1
        return iv.exp(gamma * iv.log(z)) - 1

    p2a = prove_interval(f_small, {"w": (0, 700), "u": (0, 1)}, splits=24,
                         label="z = e^-w in [e^-700, 1]: (1-gamma) w >= 0, so z^gamma >= z")
    p2b = prove_interval(f_large, {"z": (1, 50), "gamma": (0, 1)}, splits=16, label="z^gamma >= 1 on [1,50]")
    return [p1, p2a, p2b]


def prove_noisy_rho() -> list[Proof]:
    """Noisy case: log r = (D·(y − β_1ᵀφ) ... ) is Gaussian-quadratic; with v = (−1, 1), vᵀx ~ N(0, 2)
    and ρ(γ) = E exp(c1 (vᵀx)²) = (1 − 4c1)^{−1/2} (1-d Gaussian MGF of a square, by integrate);
    this equals the spec form (1 + D²γ(σ² − γs²)/σ⁴)^{−1/2}, D² = 2; γ* = σ²/(2s²) and
    ρ* = (1 + 1/(2s²))^{−1/2}."""
    c = sp.Symbol("c", negative=True)
    z = sp.Symbol("z", real=True)
    mgf = sp.integrate(sp.exp(c * z ** 2) * sp.exp(-z ** 2 / 4) / sp.sqrt(4 * sp.pi), (z, -sp.oo, sp.oo))
    p0 = prove_identity(mgf - (1 - 4 * c) ** sp.Rational(-1, 2), label="E exp(c Z^2), Z~N(0,2) = (1-4c)^(-1/2)",
                        simplify=True)
    c1, _ = c1c2(s_eff=ss)
    p1 = prove_identity((1 - 4 * c1) - (1 + 2 * g * (sig ** 2 - g * ss ** 2) / sig ** 4),
                        label="1 - 4 c1 = 1 + D^2 gamma (sigma^2 - gamma s^2)/sigma^4, D^2 = 2")
    inner = 1 + 2 * g * (sig ** 2 - g * ss ** 2) / sig ** 4
    gs = sp.solve(sp.diff(inner, g), g)[0]
    p2 = prove_identity(gs - sig ** 2 / (2 * ss ** 2), label="gamma* = sigma^2/(2 s^2)", simplify=True)
    p3 = prove_identity(inner.subs(g, gs) - (1 + 1 / (2 * ss ** 2)), label="rho*^-2 = 1 + 1/(2 s^2)", simplify=True)
    return [p0, p1, p2, p3]


def prove_biased_rho() -> list[Proof]:
    """Biased case.  (a) The exponent of r^γ after integrating the Gaussian noise w ~ N(0, s_eff²)
    is xᵀAx with x = (φ_1, φ_k) (expand); (b) det(I − 2A) = 1 − 4c1 + 2c2 − c2²;
    (c) det − 1 = (γ/σ²)(2κ − γ(2s_eff² + (κ−1)²)/σ²), maximised at γ* = κσ²/(2s_eff²+(κ−1)²) with
    value κ²/(2s_eff² + (κ−1)²) — so min_γ ρ < 1 iff κ > 0; (d) at κ = 1 it is the noisy form."""
    p1_, pk = sp.symbols("phi_1 phi_k", real=True)
    w = sp.Symbol("w", real=True)
    y = kap * p1_ + w
    log_r = -((y - pk) ** 2 - (y - p1_) ** 2) / (2 * sig ** 2)
    expo = sp.expand(g * log_r)
    lin_w = expo.coeff(w, 1)
    no_w = expo.subs(w, 0)
    after = no_w + lin_w ** 2 * se ** 2 / 2  # E exp(a w) = exp(a^2 s_eff^2 / 2)
    x = sp.Matrix([p1_, pk])
    quad = (x.T * biased_A() * x)[0]
    pa = prove_identity(sp.expand(expo.coeff(w, 2)), label="no w^2 term in gamma log r")
    pb = prove_identity(after - quad, label="E_w exp(gamma log r) = exp(x^T A x)")
    c1, c2 = c1c2()
    det = (sp.eye(2) - 2 * biased_A()).det()
    pc = prove_identity(det - (1 - 4 * c1 + 2 * c2 - c2 ** 2), label="det(I - 2A) = 1 - 4c1 + 2c2 - c2^2")
    gap = g / sig ** 2 * (2 * kap - g * (2 * se ** 2 + (kap - 1) ** 2) / sig ** 2)
    pd = prove_identity(det - 1 - gap, label="det - 1 = (gamma/sigma^2)(2 kappa - gamma(2 s_eff^2+(kappa-1)^2)/sigma^2)")
    gs = sp.solve(sp.diff(gap, g), g)[0]
    pe = prove_identity(gs - kap * sig ** 2 / (2 * se ** 2 + (kap - 1) ** 2), label="gamma*", simplify=True)
    pf = prove_identity(gap.subs(g, gs) - kap ** 2 / (2 * se ** 2 + (kap - 1) ** 2), label="max det - 1",
                        simplify=True)
    pg = prove_identity(det.subs(kap, 1) - (1 + 2 * g * (sig ** 2 - g * se ** 2) / sig ** 4),
                        label="kappa = 1 reduces to the noisy form")
    return [pa, pb, pc, pd, pe, pf, pg]


def prove_no_decay_kappa_nonpositive() -> Proof:
    """REFINE-9: for κ = −k (k ≥ 0) and every γ > 0, det(I − 2A) − 1 ≤ 0, i.e. ρ(γ) ≥ 1."""
    k = sp.Symbol("k", nonnegative=True)
    gap = g / sig ** 2 * (2 * kap - g * (2 * se ** 2 + (kap - 1) ** 2) / sig ** 2)
    return prove_certificate(-gap.subs(kap, -k), [2 * g * k / sig ** 2, g ** 2 * (2 * se ** 2 + (k + 1) ** 2) / sig ** 4],
                             nonneg=(g, k, sig, se), label="kappa <= 0: 1 - det(I-2A) >= 0")


def drift_statement() -> sp.Eq:
    """REFINE-9: E log r_k = −κ/σ² (orthogonality)."""
    return sp.Eq(sp.Symbol("E log r_k"), -kap / sig ** 2)


def prove_drift(statement: sp.Eq | None = None) -> list[Proof]:
    """REFINE-9 drift: E log r_k = −(β^{wᵀ}β_1 − β^{wᵀ}β_k)/σ² equals the right side of ``statement``
    (default −κ/σ²) under orthogonality, independent of Δ (φ ~ N(0, I), independent noise);
    REFINE-12b: for the noisy labels (κ = 1) the drift is the statement at κ = 1, −D²/(2σ²) = −1/σ²,
    whatever s²."""
    stmt = drift_statement() if statement is None else statement
    nm = {str(x): x for x in stmt.rhs.free_symbols}
    rhs = stmt.rhs.xreplace({nm[k]: v for k, v in (("kappa", kap), ("sigma", sig)) if k in nm})
    p1_, pk, pu, eps = sp.symbols("phi_1 phi_k phi_u eps", real=True)
    D_ = sp.Symbol("Delta", real=True)
    y = kap * p1_ + D_ * pu + sig * eps
    log_r = sp.expand(-((y - pk) ** 2 - (y - p1_) ** 2) / (2 * sig ** 2))
    E = _gauss_expect(log_r, [p1_, pk, pu, eps])
    y2 = p1_ + ss * eps
    E2 = _gauss_expect(sp.expand(-((y2 - pk) ** 2 - (y2 - p1_) ** 2) / (2 * sig ** 2)), [p1_, pk, eps])
    return [prove_identity(E - rhs, label=f"E log r_k = {sp.sstr(stmt.rhs)} (no Delta)"),
            prove_identity(E2 - rhs.subs(kap, 1), label="noisy: E log r_k = statement at kappa = 1 = -1/sigma^2 for any s"),
            prove_identity(-2 / (2 * sig ** 2) - rhs.subs(kap, 1), label="= -D^2/(2 sigma^2), D^2 = 2")]


def _gauss_expect(poly: sp.Expr, xs) -> sp.Expr:
    """E of a polynomial of degree ≤ 2 in independent N(0,1) variables."""
    P = sp.Poly(poly, *xs)
    out = sp.Integer(0)
    for mon, coef in P.terms():
        if all(e in (0, 2) for e in mon) and sum(mon) <= 2:
            out += coef
        elif sum(mon) > 2:
            raise ValueError("degree > 2")
    return out


def prove_rho_certified_below_one(sigma: float = 1.0, delta: float = 0.8,
                                  kappas: tuple[float, ...] = (0.2, 0.8, 1.0)) -> list[Proof]:
    """Interval enclosures (mpmath.iv) over γ-boxes: det(I − 2A) − 1 > 0, i.e. ρ(γ) < 1, for all
    γ ∈ [γ*/2, 3γ*/2] at the spec's reference points (σ = 1, Δ = 0.8), computed from the 2×2
    matrix entries (not from the derived scalar form)."""
    out = []
    s2 = sigma ** 2 + delta ** 2
    for k in kappas:
        gs = k * sigma ** 2 / (2 * s2 + (k - 1) ** 2)

        def f(gamma, k=k):
            c1 = -gamma / (2 * sigma ** 2) + gamma ** 2 * s2 / (2 * sigma ** 4)
            c2 = gamma * (k - 1) / sigma ** 2
            a11, a22, a12 = 1 - 2 * c1 + 2 * c2, 1 - 2 * c1, 2 * c1 - c2
            return a11 * a22 - a12 * a12 - 1
        out.append(prove_interval(f, {"gamma": (gs / 2, 1.5 * gs)}, splits=64,
                                  label=f"rho(gamma) < 1 on gamma in [{gs / 2:.4f}, {1.5 * gs:.4f}], kappa={k}"))
    return out


# --------------------------------------------------------------- float helpers
def gamma_rho_star_f(kappa_: float, s_eff2: float, sigma2: float) -> tuple[float, float]:
    """(γ*, min_γ ρ) of the biased/noisy model; γ* clipped to (0, 1]; ρ = 1 for κ ≤ 0."""
    if kappa_ <= 0:
        return 0.0, 1.0
    q = 2 * s_eff2 + (kappa_ - 1) ** 2
    gs = min(kappa_ * sigma2 / q, 1.0)
    return gs, rho_gamma_f(gs, kappa_, s_eff2, sigma2)


def rho_gamma_f(gamma: float, kappa_: float, s_eff2: float, sigma2: float) -> float:
    """ρ(γ) = det(I − 2A)^{−1/2} (scalar form); inf where I − 2A is not positive definite."""
    c1 = -gamma / (2 * sigma2) + gamma ** 2 * s_eff2 / (2 * sigma2 ** 2)
    c2 = gamma * (kappa_ - 1) / sigma2
    a11, a22 = 1 - 2 * c1 + 2 * c2, 1 - 2 * c1
    det = a11 * a22 - (2 * c1 - c2) ** 2
    if a11 <= 0 or det <= 0:
        return math.inf
    return det ** -0.5


def misalignment_bound_f(alpha: Sequence[float], gamma: float, rho: float, m_: int) -> float:
    """Σ_{k≠1} (α_k/α_1)^γ ρ^m (REFINE-8)."""
    return sum((a / alpha[0]) ** gamma for a in alpha[1:]) * rho ** m_


def crossover_f(alpha: Sequence[float], gamma: float, rho: float, F: float) -> float:
    """m_c = [log(√2 Σ(α_k/α_1)^γ) − ½ log F] / log(1/ρ) (REFINE-11); inf if ρ ≥ 1 or F ≤ 0."""
    if rho >= 1 or F <= 0:
        return math.inf
    S = sum((a / alpha[0]) ** gamma for a in alpha[1:])
    return (math.log(math.sqrt(2) * S) - 0.5 * math.log(F)) / math.log(1 / rho)


def crossover_statement() -> sp.Expr:
    Ssym, F = sp.symbols("S F", positive=True)
    rho = sp.Symbol("rho", positive=True)
    return sp.Eq(sp.Symbol("m_c"), (sp.log(sp.sqrt(2) * Ssym) - sp.log(F) / 2) / sp.log(1 / rho))


def prove_crossover(statement: sp.Eq | None = None) -> list[Proof]:
    """2(S ρ^m)² = F solved for m gives the statement's m_c (REFINE-10 fresh-S bound vs the floor F)."""
    stmt = crossover_statement() if statement is None else statement
    nm = {str(x): x for x in stmt.rhs.free_symbols}
    Ssym, F, rho = (nm.get(k, sp.Symbol(k, positive=True)) for k in ("S", "F", "rho"))
    mm = sp.Symbol("m", real=True)
    eq = sp.expand_log(sp.log(2 * Ssym ** 2) + 2 * mm * sp.log(rho) - sp.log(F), force=True)
    sol = sp.solve(eq, mm)[0]
    mc = stmt.rhs
    return [prove_identity(sp.expand_log(sol - mc, force=True), label="solve 2(S rho^m)^2 = F for m", simplify=True)]


def refine_statement() -> sp.Expr:
    M = sp.Symbol("M", nonnegative=True)
    return sp.LessThan(sp.Symbol("R(sum_k pi_k beta_k)"), 2 * M ** 2)


def prove_refine_risk(K: int = 4, statement: sp.Rel | None = None) -> list[Proof]:
    """R(Σπ_kβ_k) = (1−π_1)² + Σ_{k≥2}π_k² and Σ_{k≥2}π_k² ≤ (Σ_{k≥2}π_k)² = M²: so the statement's
    margin (default 2M² − R) is a sum of non-negative terms."""
    stmt = refine_statement() if statement is None else statement
    p = sp.symbols(f"pi2:{K + 1}", nonnegative=True)
    M = sp.Add(*p)
    cross = [2 * p[i] * p[j] for i in range(len(p)) for j in range(i + 1, len(p))]
    c1 = prove_certificate(M ** 2 - sum(x ** 2 for x in p), cross, nonneg=p, label="sum pi_k^2 <= M^2")
    R = M ** 2 + sum(x ** 2 for x in p)  # (1 - pi_1)^2 = M^2
    if not isinstance(stmt, (sp.LessThan, sp.StrictLessThan)):
        return [c1, Proof(False, "certificate", f"statement {stmt} is not of the form R <= bound")]
    nm = {str(x): x for x in stmt.free_symbols}
    sub = {x: v for k, v in (("R(sum_k pi_k beta_k)", R), ("M", M)) if (x := nm.get(k)) is not None}
    c2 = prove_certificate((stmt.rhs - stmt.lhs).xreplace(sub), cross, nonneg=p, label="R <= 2 M^2 (statement margin)")
    return [c1, c2]
