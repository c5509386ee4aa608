"""REFINE-1..7, 13 (spec refinement.md §3-4): the toy concept model's bias quantities,
the naive (ridge-to-prior) fine-tuning risk, its floor and infimum, and the hull learner.

All formulas here are [DERIVED] for this project (spec §0); the paper's constants are
unknown.  Float helpers (``*_f``) evaluate the same closed forms for property checks.
"""
from __future__ import annotations

from typing import Sequence

import sympy as sp

from .._proof import Proof, prove_certificate, prove_identity

t, lam = sp.symbols("t lambda", nonnegative=True)
A, B, C, V = sp.symbols("A B C V", nonnegative=True)  # eps_P^2, eps_Q'^2, cross term (>=0 iff kappa<=1), s^2 d/n
kappa, Delta = sp.symbols("kappa Delta", real=True)
sigma, s = sp.symbols("sigma s", positive=True)
n, d = sp.symbols("n d", positive=True, integer=True)


# ------------------------------------------------------------------ REFINE-1
def bias_quantities_statement() -> tuple[sp.Eq, sp.Eq, sp.Eq]:
    """The three REFINE-1 relations (a tuple, one relation per quantity)."""
    a1 = sp.Symbol("alpha_1")
    return (sp.Eq(sp.Symbol("eps_P^2"), (1 - a1) ** 2 + sp.Symbol("sum_{k>=2} alpha_k^2")),
            sp.Eq(sp.Symbol("eps_Q'^2"), (1 - kappa) ** 2 + Delta ** 2),
            sp.Eq(sp.Symbol("C"), (1 - a1) * (1 - kappa)))


def bias_vectors(K: int = 4) -> tuple[dict[str, sp.Expr], dict[str, sp.Expr]]:
    """With β_k = e_k (k ≤ K), u = e_{K+1}: the exact ‖β_P − β_1‖², ‖β^w − β_1‖² and cross term,
    keyed by the statement's left sides, and the values of the statement's α symbols
    (α_1 = 1 − Σ_{k≥2} α_k, Σ_{k≥2} α_k²) in the free α_2..α_K."""
    al = sp.symbols(f"alpha_2:{K + 1}", nonnegative=True)
    a1 = 1 - sp.Add(*al)
    dim = K + 1
    e = lambda i: sp.Matrix([1 if j == i else 0 for j in range(dim)])  # noqa: E731
    bP = a1 * e(0) + sp.Add(*[al[k] * e(k + 1) for k in range(K - 1)], sp.zeros(dim, 1))
    bw = kappa * e(0) + Delta * e(K)
    b1 = e(0)
    sq = lambda v: (v.T * v)[0]  # noqa: E731
    vals = {"eps_P^2": sq(bP - b1), "eps_Q'^2": sq(bw - b1), "C": ((bP - b1).T * (bw - b1))[0]}
    return vals, {"alpha_1": a1, "sum_{k>=2} alpha_k^2": sp.Add(*[x ** 2 for x in al]), "kappa": kappa,
                  "Delta": Delta}


def prove_bias_quantities(K: int = 4, statement: Sequence[sp.Eq] | None = None) -> list[Proof]:
    """Each relation of ``statement`` (default: REFINE-1's): its right side, with α_1 = 1 − Σ_{k≥2} α_k,
    equals the quantity its left side names, computed from the vectors (expand)."""
    vals, sub = bias_vectors(K)
    out = []
    for rel in (statement if statement is not None else bias_quantities_statement()):
        name = str(rel.lhs)
        rhs = rel.rhs.xreplace({x: sub[str(x)] for x in rel.rhs.free_symbols if str(x) in sub})
        out.append(prove_identity(vals[name] - rhs, label=f"{name} = {sp.sstr(rel.rhs)}, K={K}"))
    return out


def eps_p2_f(alpha: Sequence[float]) -> float:
    return (1 - alpha[0]) ** 2 + sum(a * a for a in alpha[1:])


def eps_q2_f(kappa_: float, delta_: float) -> float:
    return (1 - kappa_) ** 2 + delta_ ** 2


def cross_f(alpha: Sequence[float], kappa_: float) -> float:
    return (1 - alpha[0]) * (1 - kappa_)


# ------------------------------------------------------------------ REFINE-2
def naive_risk_expr(tt: sp.Expr = t) -> sp.Expr:
    """E R(β̂_λ) = t²A + (1−t)²(B + V) + 2t(1−t)C, V = s_w² d/n (orthogonal design)."""
    return tt ** 2 * A + (1 - tt) ** 2 * (B + V) + 2 * tt * (1 - tt) * C


def naive_risk_statement() -> sp.Eq:
    return sp.Eq(sp.Symbol("E R(beta_lambda)"), naive_risk_expr().subs(V, s ** 2 * d / n))


def noise_expectation(dim: int = 3, tt: sp.Expr = t) -> tuple[sp.Expr, dict[str, sp.Expr]]:
    """E‖t a + (1−t) b + (1−t) ξ‖² for symbolic a = β_P − β_1, b = β^w − β_1 in R^dim, replacing
    E ξ_i = 0, E ξ_iξ_j = 0 (i ≠ j) and E ξ_i² = q_i; and the values the REFINE-2 symbols take
    there (A = |a|², B = |b|², C = a·b, V = Σ q_i = s² d/n)."""
    a = sp.symbols(f"a1:{dim + 1}", real=True)
    b = sp.symbols(f"b1:{dim + 1}", real=True)
    xi = sp.symbols(f"xi1:{dim + 1}", real=True)
    q = sp.symbols(f"q1:{dim + 1}", nonnegative=True)  # E xi_i^2
    err = [tt * ai + (1 - tt) * bi + (1 - tt) * x for ai, bi, x in zip(a, b, xi)]
    poly = sp.Poly(sp.expand(sp.Add(*[e_ ** 2 for e_ in err])), *xi)
    expect = sp.Integer(0)
    for mon, coef in poly.terms():
        deg = sum(mon)
        if deg == 0:
            expect += coef
        elif deg == 2 and max(mon) == 2:
            expect += coef * q[mon.index(2)]
        # E xi_i = 0 and E xi_i xi_j = 0 (i != j): the noise is isotropic and centred
    return expect, {"A": sum(x ** 2 for x in a), "B": sum(x ** 2 for x in b), "C": sum(x * y for x, y in zip(a, b)),
                    "V": sum(q)}


def prove_naive_risk(dim: int = 3, rhs: sp.Expr | None = None) -> Proof:
    """The expectation of :func:`noise_expectation` equals ``rhs`` (default: the REFINE-2 statement's
    right side) with A = |a|², B = |b|², C = a·b and s² d/n = Σ q_i (s = √(Σq·n/d))."""
    rhs = naive_risk_statement().rhs if rhs is None else rhs
    names = {str(x): x for x in rhs.free_symbols}
    expect, val = noise_expectation(dim, names.get("t", t))
    sub = {names[k]: v for k, v in val.items() if k in names}
    if "s" in names:
        sub[names["s"]] = sp.sqrt(val["V"] * names.get("n", n) / names.get("d", d))
    return prove_identity(expect - rhs.xreplace(sub), label=f"E||t a+(1-t)(b+xi)||^2 = statement rhs, dim={dim}")


def prove_t_of_lambda() -> Proof:
    """The ridge-to-prior estimator with ΦᵀΦ = nI is β̂ = (1−t)β̂_OLS + tβ_P, t = λ/(1+λ)."""
    x_ols, bp = sp.symbols("x_ols b_P", real=True)
    sol = sp.solve(sp.diff((x_ols - sp.Symbol("beta")) ** 2 + lam * (sp.Symbol("beta") - bp) ** 2,
                           sp.Symbol("beta")), sp.Symbol("beta"))[0]
    tt = lam / (1 + lam)
    return prove_identity(sol - ((1 - tt) * x_ols + tt * bp), label="normal equations, t = lambda/(1+lambda)",
                          simplify=True)


def naive_risk_f(tt: float, A_: float, B_: float, C_: float, V_: float) -> float:
    return tt * tt * A_ + (1 - tt) ** 2 * (B_ + V_) + 2 * tt * (1 - tt) * C_


# ------------------------------------------------------------------ REFINE-3
def floor_expr() -> sp.Expr:
    return A * B / (A + B)


def floor_statement() -> sp.Expr:
    return sp.GreaterThan(naive_risk_expr(), floor_expr())


def prove_floor(statement: sp.Rel | None = None) -> list[Proof]:
    """For ``statement`` lhs ≥ rhs (default REFINE-3's): factorization certificate
    (lhs|_{C=V=0} − rhs)(A+B) = ((A+B)t − B)², then with t = λ/(1+λ) (λ ≥ 0), C ≥ 0 (κ ≤ 1), V ≥ 0:
    (lhs − rhs)(A+B)(1+λ)² is a sum of non-negative terms.  Second inequality: rhs ≥ ½ min(A,B),
    shown with B = A + e (e ≥ 0), by symmetry."""
    stmt = floor_statement() if statement is None else statement
    if not isinstance(stmt, sp.GreaterThan):
        return [Proof(False, "certificate", f"statement {stmt} is not of the form risk >= floor")]
    nm = {str(x): x for x in stmt.free_symbols}
    A_, B_, C_, V_, t_ = (nm.get(k, sym) for k, sym in (("A", A), ("B", B), ("C", C), ("V", V), ("t", t)))
    L, F = stmt.lhs, stmt.rhs
    p1 = prove_identity((L.subs({C_: 0, V_: 0}) - F) * (A_ + B_) - ((A_ + B_) * t_ - B_) ** 2,
                        label="factorization (t^2 A+(1-t)^2 B-floor)(A+B) = ((A+B)t-B)^2", simplify=True)
    tl = lam / (1 + lam)
    slack = sp.cancel((L.subs(t_, tl) - F) * (A_ + B_) * (1 + lam) ** 2)
    p2 = prove_certificate(slack, [(A_ * lam - B_) ** 2, 2 * lam * C_ * (A_ + B_), V_ * (A_ + B_)],
                           nonneg=(A_, B_, C_, V_, lam),
                           label="(risk - floor)(A+B)(1+lambda)^2, t = lambda/(1+lambda), C, V >= 0")
    e = sp.Symbol("e", nonnegative=True)
    p3 = prove_certificate(sp.cancel((F.subs(B_, A_ + e) - A_ / 2) * 2 * (2 * A_ + e)), [A_ * e],
                           nonneg=(A_, e), label="(floor - A/2)*2(A+B) = A e with B = A + e >= A")
    return [p1, p2, p3]


def floor_f(A_: float, B_: float) -> float:
    return A_ * B_ / (A_ + B_) if A_ + B_ > 0 else 0.0


# ------------------------------------------------------------------ REFINE-4
def tstar_expr() -> sp.Expr:
    return (B - C) / (A + B - 2 * C)


def rstar_expr() -> sp.Expr:
    return (A * B - C ** 2) / (A + B - 2 * C)


def infimum_statement() -> sp.Eq:
    return sp.Eq(sp.Symbol("inf_lambda R"), rstar_expr())


def prove_infimum(statement: sp.Eq | None = None) -> list[Proof]:
    """d/dt of the population risk (V = 0) vanishes at t*; the value there is the statement's right
    side (default REFINE-4's (AB − C²)/(A+B−2C)); its numerator AB − C² ≥ 0 is the Gram determinant
    (Lagrange identity in R³: a sum of squares)."""
    stmt = infimum_statement() if statement is None else statement
    rhs = stmt.rhs
    nm = {str(x): x for x in rhs.free_symbols}
    A_, B_, C_ = (nm.get(k, sym) for k, sym in (("A", A), ("B", B), ("C", C)))
    Cr = sp.Symbol("C", real=True)
    R = t ** 2 * A_ + (1 - t) ** 2 * B_ + 2 * t * (1 - t) * Cr
    sol = sp.solve(sp.diff(R, t), t)
    p1 = prove_identity(sol[0] - tstar_expr().subs({A: A_, B: B_, C: Cr}), label="solve dR/dt = 0", simplify=True)
    p2 = prove_identity(R.subs(t, sol[0]) - rhs.subs(C_, Cr), label=f"R(t*) = {sp.sstr(rhs)}", simplify=True)
    a = sp.symbols("a1:4", real=True)
    b = sp.symbols("b1:4", real=True)
    dot = lambda u, v: sum(x * y for x, y in zip(u, v))  # noqa: E731
    cross = [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
    num = sp.fraction(sp.cancel(rhs))[0]
    p3 = prove_certificate(num.subs({A_: dot(a, a), B_: dot(b, b), C_: dot(a, b)}, simultaneous=True),
                           [c_ ** 2 for c_ in cross], label="Gram determinant AB - C^2 = |a x b|^2 >= 0")
    return [p1, p2, p3]


def robustness_statement() -> sp.Eq:
    """REFINE-12(a): the best-λ naive risk R* of REFINE-4 with the biased weak model's
    B = (1−κ)² + Δ², C = (1−α_1)(1−κ) tends to ε_P² as Δ → ∞."""
    A_ = sp.Symbol("eps_P^2", nonnegative=True)
    a1 = sp.Symbol("alpha_1", positive=True)
    Rs = rstar_expr().subs({A: A_, B: (1 - kappa) ** 2 + Delta ** 2, C: (1 - a1) * (1 - kappa)})
    return sp.Eq(sp.Limit(Rs, Delta, sp.oo), A_)


def prove_robustness(statement: sp.Eq | None = None) -> list[Proof]:
    """The limit's argument is min_t of the population risk t²ε_P² + (1−t)²B + 2t(1−t)C with REFINE-1's
    B, C (the stationary point, solve + simplify), and the limit evaluates to the right side."""
    stmt = robustness_statement() if statement is None else statement
    if not isinstance(stmt.lhs, sp.Limit):
        return [Proof(False, "identity", f"statement {stmt} is not a limit")]
    arg = stmt.lhs.args[0]
    nm = {str(x): x for x in stmt.free_symbols | arg.free_symbols}
    A_ = nm.get("eps_P^2", sp.Symbol("eps_P^2", nonnegative=True))
    a1, k_, D_ = nm.get("alpha_1", sp.Symbol("alpha_1")), nm.get("kappa", kappa), nm.get("Delta", Delta)
    R = t ** 2 * A_ + (1 - t) ** 2 * ((1 - k_) ** 2 + D_ ** 2) + 2 * t * (1 - t) * (1 - a1) * (1 - k_)
    ts = sp.solve(sp.diff(R, t), t)[0]
    p0 = prove_identity(sp.cancel(sp.together(R.subs(t, ts) - arg)),
                        label="argument = R(t*), B = (1-kappa)^2 + Delta^2, C = (1-alpha_1)(1-kappa) (cancel)")
    if not p0.holds:  # the limit of a wrong argument is not evaluated (sympy may take minutes on it)
        return [p0]
    return [p0, prove_identity(stmt.lhs.doit() - stmt.rhs, label="lim_{Delta->oo} R* = eps_P^2")]


def infimum_f(A_: float, B_: float, C_: float) -> tuple[float, float]:
    """(t*, R*) with t* clipped to [0, 1] (population, V = 0)."""
    den = A_ + B_ - 2 * C_
    ts = 0.0 if den <= 0 else min(max((B_ - C_) / den, 0.0), 1.0)
    return ts, naive_risk_f(ts, A_, B_, C_, 0.0)


# ------------------------------------------------------------------ REFINE-5 / 6
def lambda0_statement() -> sp.Eq:
    return sp.Eq(sp.Limit(naive_risk_expr(0).subs(V, s ** 2 * d / n), n, sp.oo), B)


def prove_lambda0(statement: sp.Eq | None = None) -> list[Proof]:
    """For ``statement`` Eq(Limit(E R(β̂_0), n, ∞), ε_Q′²) (default REFINE-5's): the limit's argument
    is the λ = 0 risk of the orthogonal design (the t = 0 expansion of REFINE-2, s²d/n = Σq); the
    limit evaluates to the right side; and the excess n(E R − ε_Q′²)/d is the constant s² (rate d/n)."""
    stmt = lambda0_statement() if statement is None else statement
    if not isinstance(stmt.lhs, sp.Limit):
        return [Proof(False, "identity", f"statement {stmt} is not a limit")]
    arg = stmt.lhs.args[0]
    nm = {str(x): x for x in stmt.free_symbols | arg.free_symbols}
    B_, s_, n_, d_ = (nm.get(k, sym) for k, sym in (("B", B), ("s", s), ("n", n), ("d", d)))
    expect, val = noise_expectation(3, sp.Integer(0))
    p0 = prove_identity(expect - arg.xreplace({B_: val["B"], s_: sp.sqrt(val["V"] * n_ / d_)}),
                        label="argument = E||b + xi||^2 (lambda = 0, E||xi||^2 = s^2 d/n)")
    p1 = prove_identity(stmt.lhs.doit() - stmt.rhs, label="lim_{n->oo} E R(beta_0) = eps_Q'^2")
    p2 = prove_identity(n_ * (arg - stmt.rhs) / d_ - s_ ** 2, label="n (E R - eps_Q'^2)/d = s_w^2 (orthogonal design)")
    return [p0, p1, p2]


def best_naive_noisy_f(A_: float, V_: float) -> float:
    """REFINE-6: best-λ risk with unbiased noisy labels, ε_P² V/(ε_P² + V)."""
    return A_ * V_ / (A_ + V_) if A_ + V_ > 0 else 0.0


def prove_noisy_best() -> Proof:
    Rn = naive_risk_expr().subs({B: 0, C: 0})
    ts = sp.solve(sp.diff(Rn, t), t)[0]
    return prove_identity(Rn.subs(t, ts) - A * V / (A + V), label="noisy best-lambda risk A V/(A+V)", simplify=True)


def wedge_delta_statement() -> sp.Eq:
    th = sp.Symbol("theta", positive=True)
    return sp.Eq(sp.Symbol("delta(T)"), sp.Rational(1, 2) + th / sp.pi)


def prove_wedge_delta(statement: sp.Eq | None = None) -> list[Proof]:
    """δ(T) = E‖Π_T g‖² in polar coordinates (E r² = 2 in the plane; the normal
    component is dropped): inside the wedge the full norm, in the two quarter-planes next
    to the edges the squared projection onto the edge; this equals the right side of
    ``statement`` (default REFINE-6's ½ + θ/π).  K = 3 (θ = π/3, the angle of T) gives 5/6; the
    half-line (K = 2, θ = 0) gives the Gaussian half-moment 1/2."""
    stmt = wedge_delta_statement() if statement is None else statement
    th_s = next((x for x in stmt.rhs.free_symbols if str(x) == "theta"), sp.Symbol("theta", positive=True))
    th, ph = sp.symbols("theta phi", positive=True)
    inside = th / (2 * sp.pi) * 2
    edges = 2 * (2 / (2 * sp.pi)) * sp.integrate(sp.cos(ph) ** 2, (ph, 0, sp.pi / 2))
    wedge = sp.simplify(inside + edges)
    rhs = stmt.rhs.subs(th_s, th)
    u, v = sp.Matrix([-1, 1, 0]), sp.Matrix([-1, 0, 1])
    ang = sp.acos((u.T * v)[0] / sp.sqrt((u.T * u)[0] * (v.T * v)[0]))
    # half-line in R^2: E[(g.e)^2 1{g.e > 0}] = 1/2
    x = sp.Symbol("x", real=True)
    half = sp.integrate(x ** 2 * sp.exp(-x ** 2 / 2) / sp.sqrt(2 * sp.pi), (x, 0, sp.oo))
    return [prove_identity(wedge - rhs, label=f"wedge: delta = {sp.sstr(stmt.rhs)}", simplify=True),
            prove_identity(ang - sp.pi / 3, label="angle of T for K=3 is pi/3"),
            prove_identity(rhs.subs(th, ang) - sp.Rational(5, 6), label="delta(T), K=3 = 5/6", simplify=True),
            prove_identity(half - rhs.subs(th, 0), label="delta(T), K=2 (half-line, theta = 0) = 1/2", simplify=True)]


DELTA_T_EXACT = {2: 0.5, 3: 5.0 / 6.0}
#: spec REFINE-6 high-precision MC (4e5 draws): K -> (delta, standard error as stated)
DELTA_T_SPEC = {5: (1.300, 0.003), 10: (1.991, 0.004), 20: (2.766, 0.004), 50: (3.877, 0.005), 100: (4.795, 0.006)}


# ------------------------------------------------------------------ REFINE-7
def hull_limit_statement() -> sp.Eq:
    K = sp.Symbol("K", positive=True, integer=True)
    return sp.Eq(sp.Symbol("R(Proj_conv beta^w)"), sp.Piecewise(((1 - kappa) ** 2 * (K - 1) / K, kappa <= 1),
                                                                   (0, True)))


def prove_hull_limit(K: int = 4, statement: sp.Eq | None = None) -> list[Proof]:
    """KKT of the simplex projection of κe_1 (concept coordinates; the Δu part is orthogonal
    to the span and drops out): x = (((K−1)κ+1)/K, (1−κ)/K, ...) with multiplier μ = (κ−1)/K
    for the sum constraint; x ≥ 0 iff −1/(K−1) ≤ κ ≤ 1; and ‖x − e_1‖² = (1−κ)²(K−1)/K."""
    x1 = ((K - 1) * kappa + 1) / K
    xr = (1 - kappa) / K
    x = [x1] + [xr] * (K - 1)
    y = [kappa] + [0] * (K - 1)
    mu = (kappa - 1) / sp.Integer(K)
    stat = [prove_identity(xi - yi + mu, label=f"stationarity coordinate {i + 1}") for i, (xi, yi) in
            enumerate(zip(x, y))][:2]
    feas = prove_identity(sp.Add(*x) - 1, label="sum x = 1")
    stmt = hull_limit_statement() if statement is None else statement
    nm = {str(x_): x_ for x_ in stmt.rhs.free_symbols}
    e_in, e_out = sp.Symbol("e", nonnegative=True), sp.Symbol("e", positive=True)
    at = lambda kv: stmt.rhs.subs({nm.get("kappa", kappa): kv, nm.get("K", sp.Symbol("K")): K})  # noqa: E731
    risk = prove_identity(sp.expand(((x1 - 1) ** 2 + (K - 1) * xr ** 2).subs(kappa, 1 - e_in)) - at(1 - e_in),
                          label=f"risk of the KKT point = statement rhs at kappa = 1 - e <= 1, K={K}")
    vertex = prove_identity(sp.Integer(0) - at(1 + e_out),
                            label=f"risk of the vertex e_1 (0) = statement rhs at kappa = 1 + e > 1, K={K}")
    # for kappa >= 1 the projection is e_1: e_1 - kappa e_1 = (1-kappa) e_1 is a normal-cone vector
    # of the simplex at e_1 iff (1-kappa) - 0 <= 0 ... i.e. y - x = (kappa-1, 0, ..) with kappa-1 >= 0 >= 0
    kk = sp.Symbol("k_excess", nonnegative=True)  # kappa = 1 + k_excess
    normal = prove_certificate(kk - 0, [kk], nonneg=(kk,), label="kappa>=1: (y-x)_1 - (y-x)_j = kappa-1 >= 0")
    return stat + [feas, risk, vertex, normal]


def hull_limit_f(K: int, kappa_: float) -> tuple[list[float], float]:
    """Simplex projection of κe_1 (closed form, valid for κ ≥ −1/(K−1)) and its risk."""
    if kappa_ >= 1:
        return [1.0] + [0.0] * (K - 1), 0.0
    x = [((K - 1) * kappa_ + 1) / K] + [(1 - kappa_) / K] * (K - 1)
    return x, (1 - kappa_) ** 2 * (K - 1) / K


# ------------------------------------------------------------------ REFINE-13
def outside_hull_statement() -> sp.Eq:
    tau = sp.Symbol("tau", nonnegative=True)
    return sp.Eq(sp.Symbol("R_tgt(sum_k pi_k beta_k)"), sp.Symbol("||sum_k pi_k beta_k - beta_1||^2") + tau ** 2)


def prove_outside_hull(K: int = 3, statement: sp.Eq | None = None) -> Proof:
    """β_tgt = β_1 + τu, u ⊥ span{β_k}: ‖Σπ_kβ_k − β_tgt‖² (the statement's left side) equals its right
    side with ‖Σπ_kβ_k − β_1‖² computed from the vectors (default statement: Pythagoras, + τ²)."""
    stmt = outside_hull_statement() if statement is None else statement
    nm = {str(x): x for x in stmt.free_symbols}
    tau = nm.get("tau", sp.Symbol("tau", nonnegative=True))
    p = sp.symbols(f"pi1:{K + 1}", nonnegative=True)
    v = list(p) + [0]
    tgt = [1] + [0] * (K - 1) + [tau]
    inhull = [1] + [0] * K
    to_tgt = sum((a - b) ** 2 for a, b in zip(v, tgt))
    to_b1 = sum((a - b) ** 2 for a, b in zip(v, inhull))
    sub = {x: val for name, val in (("R_tgt(sum_k pi_k beta_k)", to_tgt), ("||sum_k pi_k beta_k - beta_1||^2", to_b1))
           if (x := nm.get(name)) is not None}
    return prove_identity((stmt.lhs - stmt.rhs).xreplace(sub) if len(sub) == 2 else sp.Symbol("unknown_sides"),
                          label="Pythagoras: risk to target = statement rhs (risk to beta_1 + tau^2)")
