"""MISFIT family (Charikar, Pabbaraju, Shiragur, arXiv 2405.15116; Mulgund & Pabbaraju,
arXiv 2501.19105): statements and exact derivations.  See ../shared/spec/misfit.md."""
from __future__ import annotations

import sympy as sp

from ._interp import Vec, interpret
from ._proof import Proof, prove_certificate, prove_identity


def weighted_inner(u, v, w) -> sp.Expr:
    """⟨u, v⟩ = Σ w_i u_i v_i on m atoms (harness encoding of L²(P), spec §2)."""
    return sp.Add(*[wi * ui * vi for ui, vi, wi in zip(u, v, w)])


def sqdist(u, v, w) -> sp.Expr:
    d = [a - b for a, b in zip(u, v)]
    return weighted_inner(d, d, w)


def pythagorean_statement() -> sp.Eq:
    """MISFIT-1: gap = err(Y) − misfit(f_sw) − err(f_sw) = −2⟨F* − f_sw, Y − f_sw⟩."""
    Y, Fstar, fsw = sp.symbols("Y F_* f_sw")
    err, misfit, inner = sp.Function("err"), sp.Function("misfit"), sp.Function("inner")
    return sp.Eq(err(Y) - misfit(fsw) - err(fsw), -2 * inner(Fstar - fsw, Y - fsw))


def inner_any(u, v, w):
    """⟨u, v⟩ = Σ w_i u_i v_i for SymPy, mpmath or float entries."""
    out = 0
    for ui, vi, wi in zip(u, v, w):
        out = out + wi * ui * vi
    return out


def l2_functions(fstar, y, w, proj=None) -> dict:
    """The L²(P) interpretation of the statements' undefined functions (spec §2): err(g) = ‖g − F*‖²,
    misfit(g) = ‖g − Y‖², inner(u, v) = ⟨u, v⟩, and Pi_V = ``proj`` (the projection onto V)."""
    d = lambda a, b: [ai - bi for ai, bi in zip(a, b)]  # noqa: E731
    fns = {"err": lambda g: inner_any(d(g, fstar), d(g, fstar), w),
           "misfit": lambda g: inner_any(d(g, y), d(g, y), w), "inner": lambda u, v: inner_any(u, v, w)}
    if proj is not None:
        fns["Pi_V"] = proj
    return fns


def statement_difference(stmt, values, functions, backend: str = "exact"):
    """lhs − rhs of ``stmt`` (a relational) under an interpretation (:func:`theory._interp.interpret`)."""
    return (interpret(stmt.lhs, values, functions, backend) - interpret(stmt.rhs, values, functions, backend))


def pythagorean_identity(m: int = 3, stmt=None) -> Proof:
    """MISFIT-1 symbolic check of the statement itself: Y, F*, f_sw symbolic vectors in R^m with
    symbolic weights, err/misfit/inner interpreted in L²(P); lhs − rhs expands to 0."""
    stmt = pythagorean_statement() if stmt is None else stmt
    z, p, y = (Vec(sp.symbols(f"{n}1:{m + 1}")) for n in ("z", "p", "y"))
    w = sp.symbols(f"w1:{m + 1}", positive=True)
    diff = statement_difference(stmt, {"Y": y, "F_*": z, "f_sw": p}, l2_functions(z, y, w))
    return prove_identity(diff, label=f"statement lhs − rhs in L²(P), m={m}, symbolic vectors and weights")


# ---------------------------------------------------------------- helpers

def _vec(name: str, n: int, **kw) -> list[sp.Symbol]:
    return list(sp.symbols(f"{name}1:{n + 1}", **kw))


def _dot(u, v) -> sp.Expr:
    return sp.Add(*[a * b for a, b in zip(u, v)])


def _gap(fstar, y, fsw, w) -> sp.Expr:
    """gap = err(Y) − misfit(f_sw) − err(f_sw) (spec §2)."""
    return sqdist(y, fstar, w) - sqdist(fsw, y, w) - sqdist(fsw, fstar, w)


def gap_statement() -> sp.Eq:
    errY, misfit, errS, gap = sp.symbols("err(Y) misfit(f_sw) err(f_sw) gap")
    return sp.Eq(gap, errY - misfit - errS)


def coefficient_gap_identity(m: int = 3, p: int = 2) -> Proof:
    """For heads f = Φa on m atoms: gap(F* = Φa_z, Y, f_sw = Φa) = 2(a − a_z)ᵀ(b − Ga) with
    G = ΦᵀWΦ, b = ΦᵀWY — the sufficient-statistics form used by every head certificate."""
    Phi = sp.Matrix(m, p, lambda i, j: sp.Symbol(f"phi{i + 1}{j + 1}"))
    w = _vec("w", m, positive=True)
    W = sp.diag(*w)
    y = sp.Matrix(_vec("y", m))
    a, az = sp.Matrix(_vec("a", p)), sp.Matrix(_vec("z", p))
    G, b = Phi.T * W * Phi, Phi.T * W * y
    lhs = _gap(list(Phi * az), list(y), list(Phi * a), w)
    rhs = 2 * ((a - az).T * (b - G * a))[0, 0]
    return prove_identity(lhs - rhs, label=f"gap = 2(a−a_z)ᵀ(b−Ga), m={m}, p={p}, symbolic Φ, W, Y")


# ---------------------------------------------------------------- MISFIT-2

def convex_statement() -> sp.Rel:
    """MISFIT-2 (Theorem 1): V closed convex, F* ∈ V ⇒ err(f_sw) ≤ err(Y) − misfit(f_sw)."""
    errY, misfit, errS = sp.symbols("err(Y) misfit(f_sw) err(f_sw)")
    return sp.Le(errS, errY - misfit)


def margin_is_gap(stmt=None, m: int = 3) -> Proof:
    """The statement's margin (rhs − lhs) with err(Y), misfit(f_sw), err(f_sw) of symbolic vectors
    F*, Y, f_sw (symbolic weights) equals gap = err(Y) − misfit − err(f_sw): the certificates below
    bound gap, so they bound the statement's margin."""
    from ._interp import margin

    stmt = convex_statement() if stmt is None else stmt
    F, y, q = (_vec(n, m) for n in ("F", "y", "q"))
    w = _vec("w", m, positive=True)
    diff = interpret(margin(stmt), gap_values(F, y, q, w)) - _gap(F, y, q, w)
    return prove_identity(diff, label=f"statement margin = gap, symbolic vectors (m={m}) and weights")


def ball_certificate(p: int = 3, stmt=None) -> list[Proof]:
    """MISFIT-2 norm ball {Φa : ‖a‖ ≤ R}: with KKT b − Ga = λa (λ ≥ 0),
    gap = 2λ(‖a‖² − a_zᵀa) = λ(‖a‖² − ‖a_z‖²) + λ‖a − a_z‖² (identity), and with complementary
    slackness λ(‖a‖² − R²) = 0 and ‖a_z‖² = R² − ρ (ρ ≥ 0): gap = λρ + λ‖a − a_z‖² ≥ 0."""
    a, az = _vec("a", p), _vec("z", p)
    lam, rho, R = sp.symbols("lambda rho R", nonnegative=True)
    resid = [lam * ai for ai in a]  # b − Ga = λa
    gap = 2 * _dot([x - y for x, y in zip(a, az)], resid)
    ident = prove_identity(gap - (lam * (_dot(a, a) - _dot(az, az)) + lam * _dot(*[[x - y for x, y in zip(a, az)]] * 2)),
                           label="gap = λ(‖a‖²−‖a_z‖²) + λ‖a−a_z‖²")
    cs = lam * (_dot(a, a) - R**2)  # = 0 by complementary slackness
    slack = gap - cs.subs(R, sp.sqrt(_dot(az, az) + rho))
    cert = prove_certificate(slack, [lam * rho] + [lam * (x - y) ** 2 for x, y in zip(a, az)], [lam, rho],
                             label="gap − λ(‖a‖²−R²) with ‖a_z‖² = R²−ρ")
    return [margin_is_gap(stmt), coefficient_gap_identity(3, 2), ident, cert]


def simplex_certificate(J: int = 3, stmt=None) -> list[Proof]:
    """MISFIT-2 simplex hull {Φα : α ∈ Δ_J}: KKT b − Gα = ν1 − μ (μ ≥ 0, μᵀα = 0), F* = Φβ,
    β ∈ Δ_J: gap = 2(α−β)ᵀ(ν1 − μ) = 2ν(Σα − Σβ) − 2αᵀμ + 2βᵀμ; the first two terms vanish
    (feasibility, complementary slackness), leaving the certificate 2βᵀμ ≥ 0."""
    al, be, mu = _vec("alpha", J), _vec("beta", J, nonnegative=True), _vec("mu", J, nonnegative=True)
    nu = sp.Symbol("nu")
    resid = [nu - m_ for m_ in mu]
    gap = 2 * _dot([x - y for x, y in zip(al, be)], resid)
    zero_terms = 2 * nu * (sp.Add(*al) - sp.Add(*be)) - 2 * _dot(al, mu)
    cert = prove_certificate(gap - zero_terms, [2 * b_ * m_ for b_, m_ in zip(be, mu)], be + mu,
                             label="gap − 2ν(Σα−Σβ) + 2αᵀμ")
    return [margin_is_gap(stmt), coefficient_gap_identity(3, J), cert]


def nonconvex_example(t: sp.Rational = sp.Rational(3, 5), stmt=None) -> list[Proof]:
    """MISFIT-2 counterexample (drop convexity): two atoms of weight 1/2, V = {(0,0),(1,0)},
    F* = (0,0), Y = (t,0) with 1/2 < t < 1 ⇒ f_sw = (1,0) and the statement's margin (= gap,
    :func:`margin_is_gap`) is t − 1 < 0 exactly."""
    from ._interp import margin

    stmt = convex_statement() if stmt is None else stmt
    w = [sp.Rational(1, 2)] * 2
    F, Y = [0, 0], [t, 0]
    V = [[0, 0], [1, 0]]
    fsw = min(V, key=lambda v: sqdist(v, Y, w))
    vals = gap_values(F, Y, fsw, w)
    g = interpret(margin(stmt), vals)
    errS, errY = vals["err(f_sw)"], vals["err(Y)"]
    ok = fsw == [1, 0] and g == t - 1 and g < 0 and errS > errY
    return [margin_is_gap(stmt), Proof(ok, "exact rational evaluation",
            f"t={t}: f_sw=(1,0), statement margin={g} < 0, err(f_sw)={errS} > err(Y)={errY} "
            "(student worse than teacher)", {"gap": float(g)})]


# ---------------------------------------------------------------- MISFIT-3

def _rational_design(m: int, p: int, seed: int) -> tuple[sp.Matrix, list[sp.Rational]]:
    import random

    r = random.Random(seed)
    while True:
        Phi = sp.Matrix(m, p, lambda i, j: sp.Rational(r.randint(-9, 9), r.randint(1, 5)))
        if Phi.rank() == p:
            break
    w = [sp.Rational(r.randint(1, 9), 1) for _ in range(m)]
    s = sum(w)
    return Phi, [x / s for x in w]


def subspace_projector(Phi: sp.Matrix, w) -> sp.Matrix:
    """P = Φ(ΦᵀWΦ)⁻¹ΦᵀW, the W-orthogonal projector onto span(Φ)."""
    W = sp.diag(*w)
    return Phi * (Phi.T * W * Phi).inv() * Phi.T * W


def subspace_equality_statement() -> sp.Eq:
    errY, misfit, errS = sp.symbols("err(Y) misfit(f_sw) err(f_sw)")
    return sp.Eq(errS, errY - misfit)


def gap_values(fstar, y, fsw, w) -> dict:
    """Values of the statements' symbols err(Y), misfit(f_sw), err(f_sw) (spec §2)."""
    return {"err(Y)": sqdist(y, fstar, w), "misfit(f_sw)": sqdist(fsw, y, w), "err(f_sw)": sqdist(fsw, fstar, w)}


def subspace_equality(m: int = 4, p: int = 2, seed: int = 3, stmt=None) -> Proof:
    """MISFIT-3 symbolic check of the statement itself: exact rational Φ, W; symbolic Y and F* = Φc,
    f_sw = PY; err(f_sw) − (err(Y) − misfit(f_sw)) simplifies to 0."""
    stmt = subspace_equality_statement() if stmt is None else stmt
    Phi, w = _rational_design(m, p, seed)
    P = subspace_projector(Phi, w)
    y = sp.Matrix(_vec("y", m))
    F = Phi * sp.Matrix(_vec("c", p))
    diff = statement_difference(stmt, gap_values(list(F), list(y), list(P * y), w), {})
    return prove_identity(diff, label=f"statement, OLS projection, exact rational Φ ({m}×{p}) and W, symbolic Y, "
                          "F*=Φc", simplify=True)


def model_selection_statement() -> sp.Eq:
    """MISFIT-3 model selection: for every weak teacher w, err(Y_w) − misfit_w = err(f_sw,w), hence
    argmin_w [err(Y_w) − misfit_w] = argmin_w err(f_sw,w)."""
    w = sp.Symbol("w")
    errY, misfit, errS = (sp.Function(n)(w) for n in ("err_Y", "misfit", "err_sw"))
    return sp.Eq(errY - misfit, errS)


def model_selection_exact(k: int = 3, m: int = 4, p: int = 2, seed: int = 5, stmt=None) -> Proof:
    """MISFIT-3 model selection, the statement itself: for k exact rational weak teachers and one
    subspace V with F* ∈ V, the statement's sides agree exactly for every w, so the argmins coincide."""
    stmt = model_selection_statement() if stmt is None else stmt
    import random

    Phi, w = _rational_design(m, p, seed)
    P = subspace_projector(Phi, w)
    r = random.Random(seed + 1)
    F = Phi * sp.Matrix([sp.Rational(r.randint(-5, 5), 3) for _ in range(p)])
    tab: dict[str, list] = {"err_Y": [], "misfit": [], "err_sw": []}
    for _ in range(k):
        Y = sp.Matrix([sp.Rational(r.randint(-20, 20), r.randint(1, 4)) for _ in range(m)])
        fsw = P * Y
        for name, v in zip(tab, (sqdist(list(Y), list(F), w), sqdist(list(fsw), list(Y), w), sqdist(list(fsw), list(F), w))):
            tab[name].append(v)
    fns = {name: (lambda i, t=t: t[int(i)]) for name, t in tab.items()}
    lhs = [interpret(stmt.lhs, {"w": i}, fns) for i in range(k)]
    rhs = [interpret(stmt.rhs, {"w": i}, fns) for i in range(k)]
    ok = all(sp.simplify(a - b) == 0 for a, b in zip(lhs, rhs))
    am = min(range(k), key=lambda i: lhs[i]) == min(range(k), key=lambda i: rhs[i])
    return Proof(ok and am, "exact rational evaluation",
                 f"{k} teachers: statement lhs {[str(x) for x in lhs]} vs rhs {[str(x) for x in rhs]}: "
                 f"{'equal exactly' if ok else 'NOT equal'} for each; argmins {'agree' if am else 'differ'}")


# ---------------------------------------------------------------- MISFIT-4

def nonrealizable_statement() -> sp.Rel:
    errY, misfit, errS, eps, B = sp.symbols("err(Y) misfit(f_sw) err(f_sw) epsilon B", nonnegative=True)
    return sp.Le(errS, errY - misfit + 4 * sp.sqrt(eps) * B + 4 * eps)


def nonrealizable_reference_certificate(stmt=None) -> Proof:
    """MISFIT-4(a): with s = √ε, u = ‖f_s − f_sw‖, hypotheses δ₁ = B + s − u ≥ 0,
    δ₂ = (B+s)² − C² − u² ≥ 0 and the triangle slack h = (u+s)² − A² ≥ 0, the statement's margin
    (err(Y) = B², misfit = C², err(f_sw) = A², ε = s²), B² − C² + 4sB + 4s² − A², equals h + 2sδ₁ + δ₂."""
    from ._interp import margin

    stmt = nonrealizable_statement() if stmt is None else stmt
    s, u, h, d1, d2, B = sp.symbols("s u h delta1 delta2 B", nonnegative=True)
    A2 = (u + s) ** 2 - h
    C2 = (B + s) ** 2 - u**2 - d2
    Bv = u - s + d1
    vals = {"err(Y)": B**2, "misfit(f_sw)": C2, "err(f_sw)": A2, "epsilon": s**2, "B": B}
    slack = interpret(margin(stmt), vals).subs(B, Bv)
    return prove_certificate(slack, [h, 2 * s * d1, d2], [s, h, d1, d2],
                             label="statement margin: A² ≤ B² − C² + 4√ε·B + 4ε")


def nonrealizable_sharp_statement() -> sp.Rel:
    errY, misfit, errS, eps = sp.symbols("err(Y) misfit(f_sw) err(f_sw) epsilon", nonnegative=True)
    return sp.Le(errS, errY - misfit + 2 * sp.sqrt(eps * misfit))


def nonrealizable_sharp_proof(m: int = 3, stmt=None) -> list[Proof]:
    """MISFIT-4(b): gap = −2⟨f_s − p, Y − p⟩ − 2⟨F* − f_s, Y − p⟩ (expand), whose first term is ≥ 0
    (projection inequality) and second ≥ −2√ε·C (Cauchy–Schwarz); the statement's margin equals
    gap + 2√ε·C (err(Y) = B², misfit = C², err(f_sw) = A², ε = s²); and the exact tightness example
    V = {(c,0)}, F* = (0,1), Y = (a,b): the statement's margin is exactly 0 (attained)."""
    from ._interp import margin

    stmt = nonrealizable_sharp_statement() if stmt is None else stmt
    w = _vec("w", m, positive=True)
    F, fs, p, y = _vec("F", m), _vec("s", m), _vec("p", m), _vec("y", m)
    d = lambda u, v: [x - z for x, z in zip(u, v)]  # noqa: E731
    decomp = prove_identity(_gap(F, y, p, w) + 2 * weighted_inner(d(fs, p), d(y, p), w)
                            + 2 * weighted_inner(d(F, fs), d(y, p), w), label="gap decomposition via f_s = Π_V F*")
    A, B, C, s_ = sp.symbols("A B C s", nonnegative=True)
    rearr = prove_identity(interpret(margin(stmt), {"err(Y)": B**2, "misfit(f_sw)": C**2, "err(f_sw)": A**2,
                                                    "epsilon": s_**2}) - (B**2 - C**2 - A**2 + 2 * s_ * C),
                           label="statement margin = gap + 2√ε·√misfit")
    a, b = sp.symbols("a b", positive=True)
    hw = [sp.Rational(1, 2)] * 2
    F2, Y2, fsw = [0, 1], [a, b], [a, 0]  # f_sw = Π_V Y for V = {(c, 0)}
    vals = gap_values(F2, Y2, fsw, hw)
    vals["epsilon"] = sqdist([0, 0], F2, hw)
    tm_ = sp.simplify(interpret(margin(stmt), vals))
    g = sp.simplify(_gap(F2, Y2, fsw, hw))
    tight = tm_ == 0 and g == -b
    return [decomp, rearr, Proof(tight, "exact symbolic evaluation",
                                 f"tightness: ε={vals['epsilon']}, misfit={vals['misfit(f_sw)']}, gap={g}; statement "
                                 f"margin = {tm_} (attained when 0)")]


def subspace_identity_statement() -> sp.Eq:
    """MISFIT-4(c): gap = err(Y) − misfit(f_sw) − err(f_sw) = 2⟨Y − f_sw, Π_V F* − F*⟩."""
    Y, Fstar, fsw = sp.symbols("Y F_* f_sw")
    err, misfit, inner, proj = (sp.Function(n) for n in ("err", "misfit", "inner", "Pi_V"))
    return sp.Eq(err(Y) - misfit(fsw) - err(fsw), 2 * inner(Y - fsw, proj(Fstar) - Fstar))


def subspace_identity(m: int = 4, p: int = 2, seed: int = 7, stmt=None) -> Proof:
    """MISFIT-4(c) symbolic check of the statement itself: a subspace V (exact rational projector P),
    symbolic Y and arbitrary F* (non-realizable), f_sw = PY; lhs − rhs simplifies to 0."""
    stmt = subspace_identity_statement() if stmt is None else stmt
    Phi, w = _rational_design(m, p, seed)
    P = subspace_projector(Phi, w)
    y, F = Vec(_vec("y", m)), Vec(_vec("F", m))
    proj = lambda v: Vec(P * sp.Matrix(list(v)))  # noqa: E731
    diff = statement_difference(stmt, {"Y": y, "F_*": F, "f_sw": proj(y)}, l2_functions(F, y, w, proj))
    return prove_identity(diff, label=f"statement, exact rational Φ ({m}×{p}), W; symbolic Y, F*", simplify=True)


# ---------------------------------------------------------------- MISFIT-5

def erm_statement() -> sp.Rel:
    errY, mhat, errhat, eps, mis, eta, A = sp.symbols("err(Y) misfit(f_hat) err(f_hat) epsilon misfit(f_sw) eta A",
                                                     nonnegative=True)
    return sp.Le(errhat, errY - mhat + 2 * sp.sqrt(eps * mis) + 2 * sp.sqrt(eta) * A + 2 * eta)


def erm_certificates(stmt=None) -> list[Proof]:
    """MISFIT-5(b).  Sharp form, the statement itself: with h₁ = B² − C_p² + 2sC_p − A² ≥ 0 (MISFIT-4b),
    h₃ = (A + d)² − err(f̂) ≥ 0 (triangle, d = ‖f̂ − f_sw‖), e = √η = d + δ (δ ≥ 0 by 5a) and
    misfit(f̂) = C_p² + η, the statement's margin = h₁ + h₃ + 2Aδ + δ(2d + δ).  Reference form: its slack
    exceeds the statement's margin by 2s(B + s − C_p) + 2e(2B + s − A) + 2sB + 2s² + 4es + η, with
    C_p ≤ B + s and A ≤ 2B + s (triangle inequalities).  Tightness: at η = 0 (f̂ = f_sw) on the MISFIT-4b
    example the statement's margin is exactly 0."""
    from ._interp import margin

    stmt = erm_statement() if stmt is None else stmt
    A, B, Cp, s, d, dl, h1, h3 = sp.symbols("A B C_p s d delta h1 h3", nonnegative=True)
    k1, k2 = sp.symbols("kappa1 kappa2", nonnegative=True)  # B + s − C_p, 2B + s − A
    e = d + dl
    eta = e**2
    Bsq = A**2 + Cp**2 - 2 * s * Cp + h1
    err_hat = (A + d) ** 2 - h3
    mhat = Cp**2 + eta
    vals = {"err(Y)": Bsq, "misfit(f_hat)": mhat, "err(f_hat)": err_hat, "epsilon": s**2, "misfit(f_sw)": Cp**2,
            "eta": eta, "A": A}
    stmt_slack = interpret(margin(stmt), vals)
    sharp = prove_certificate(stmt_slack, [h1, h3, 2 * A * dl, dl * (2 * d + dl)], [A, d, dl, h1, h3],
                              label="statement margin: err(f̂) ≤ err(Y) − misfit(f̂) + 2√(ε·misfit(f_sw)) + 2√η·A + 2η")
    ref_slack = Bsq - mhat + 4 * s * B + 4 * s**2 + 2 * e * (2 * B + 3 * s) + 3 * eta - err_hat
    extra = ref_slack - stmt_slack
    subs = {Cp: B + s - k1, A: 2 * B + s - k2}
    ref = prove_certificate(extra.subs(subs),
                            [2 * s * k1, 2 * e * k2, 2 * s * B, 2 * s**2, 4 * e * s, eta],
                            [s, k1, k2, B, d, dl],
                            label="reference form − statement margin, using C_p ≤ B+√ε, A ≤ 2B+√ε")
    a, b = sp.symbols("a b", positive=True)
    hw = [sp.Rational(1, 2)] * 2
    F2, Y2, fsw = [0, 1], [a, b], [a, 0]
    gv = gap_values(F2, Y2, fsw, hw)
    tv = {"err(Y)": gv["err(Y)"], "misfit(f_hat)": gv["misfit(f_sw)"], "err(f_hat)": gv["err(f_sw)"],
          "epsilon": sqdist([0, 0], F2, hw), "misfit(f_sw)": gv["misfit(f_sw)"], "eta": 0,
          "A": sp.sqrt(gv["err(f_sw)"])}
    tmarg = sp.simplify(interpret(margin(stmt), tv))
    tight = Proof(tmarg == 0, "exact symbolic evaluation",
                  f"tightness at η = 0 (f̂ = f_sw): V = {{(c,0)}}, F* = (0,1), Y = (a,b): statement margin = {tmarg}")
    return [sharp, ref, tight]


def erm_projection_identity(m: int = 3) -> Proof:
    """MISFIT-5(a): misfit(f̂) − misfit(f_sw) − ‖f̂ − f_sw‖² = −2⟨f̂ − f_sw, Y − f_sw⟩ (MISFIT-1
    with z = f̂); the right side is ≥ 0 by the projection inequality, so ‖f̂ − f_sw‖² ≤ η."""
    w = _vec("w", m, positive=True)
    fh, p, y = _vec("f", m), _vec("p", m), _vec("y", m)
    lhs = sqdist(fh, y, w) - sqdist(p, y, w) - sqdist(fh, p, w)
    rhs = -2 * weighted_inner([a - b for a, b in zip(fh, p)], [a - b for a, b in zip(y, p)], w)
    return prove_identity(lhs - rhs, label="η − ‖f̂ − f_sw‖² = −2⟨f̂ − f_sw, Y − f_sw⟩")


# ---------------------------------------------------------------- MISFIT-6

def erm_gap_law_statement() -> sp.Eq:
    n, p, s = sp.symbols("n p s", positive=True)
    return sp.Eq(sp.Symbol("E[gap_n]"), -2 * s**2 * p / (n - p - 1))


def erm_gap_mean(stmt=None, ps: tuple[int, ...] = (1, 3, 11)) -> Proof:
    """MISFIT-6 mean, the statement's right side: gap_n = −2‖â − b‖² − 2(b − a*)ᵀ(â − b) (from
    :func:`erm_gap_identity`), â − b = s·(ΦᵀΦ)⁻¹Φᵀξ has mean 0 and E‖â − b‖² = s²·tr E[(ΦᵀΦ)⁻¹] with the
    inverse-Wishart mean E[(ΦᵀΦ)⁻¹] = I_p/(n − p − 1); so E gap_n = −2s²·tr(I_p)/(n − p − 1) [DERIVED].
    Checked exactly against the statement's rhs for each p in ``ps`` (n, s symbolic)."""
    stmt = erm_gap_law_statement() if stmt is None else stmt
    syms = {str(v): v for v in stmt.free_symbols}
    n, s = sp.Symbol("n", positive=True), sp.Symbol("s", positive=True)
    bad = []
    for p in ps:
        EWinv = sp.eye(p) / (n - p - 1)
        derived = -2 * s**2 * EWinv.trace()
        vals = {"n": n, "s": s, "p": sp.Integer(p)}
        rhs = interpret(stmt.rhs, {k: vals[k] for k in syms if k in vals})
        if sp.simplify(rhs - derived) != 0:
            bad.append(f"p={p}: statement rhs {rhs} vs derived {derived}")
    return Proof(not bad, "identity (simplify)",
                 "; ".join(bad) if bad else f"statement rhs = −2s²·tr E[(ΦᵀΦ)⁻¹] for p ∈ {ps} (n, s symbolic)")


def erm_gap_identity(p: int = 3) -> list[Proof]:
    """MISFIT-6: canonical design (population Gram I): err(Y) = ‖b−a*‖² + s²,
    misfit(f̂) = ‖â−b‖² + s², err(f̂) = ‖â−a*‖², so gap_n = −2(â−a*)ᵀ(â−b); also the general
    form with Y − f_sw ⊥ V: gap_n = −2⟨f̂ − F*, f̂ − f_sw⟩ (vectors, r ⊥ V encoded by ⟨r, ·⟩ = 0)."""
    a, b, ah = _vec("astar", p), _vec("b", p), _vec("ahat", p)
    s = sp.Symbol("s", positive=True)
    sq = lambda u, v: _dot([x - y for x, y in zip(u, v)], [x - y for x, y in zip(u, v)])  # noqa: E731
    g = (sq(b, a) + s**2) - (sq(ah, b) + s**2) - sq(ah, a)
    canon = prove_identity(g + 2 * _dot([x - y for x, y in zip(ah, a)], [x - y for x, y in zip(ah, b)]),
                           label=f"canonical design, p={p}")
    # General: vectors in a coordinate system where V = first k coordinates, Y = f_sw + r, r ⊥ V.
    m, k = 4, 2
    F = _vec("F", k) + [0] * (m - k)
    fs = _vec("q", k) + [0] * (m - k)
    fh = _vec("h", k) + [0] * (m - k)
    r = [0] * k + _vec("r", m - k)
    y = [x + z for x, z in zip(fs, r)]
    one = [1] * m
    gen = _gap(F, y, fh, one) + 2 * weighted_inner([x - z for x, z in zip(fh, F)], [x - z for x, z in zip(fh, fs)], one)
    return [canon, prove_identity(gen, label="gap_n = −2⟨f̂−F*, f̂−f_sw⟩ when Y − f_sw ⊥ V ∋ F*, f̂")]


# ---------------------------------------------------------------- MISFIT-7 / 8

def bregman(phi, u, v) -> sp.Expr:
    """D_φ(u, v) = Σ φ(u_i) − φ(v_i) − φ'(v_i)(u_i − v_i) for separable φ."""
    t = sp.Symbol("t")
    dphi = sp.diff(phi(t), t)
    return sp.Add(*[phi(a) - phi(b) - dphi.subs(t, b) * (a - b) for a, b in zip(u, v)])


def bregman_statement() -> sp.Eq:
    """MISFIT-7 with D = D_φ, grad_phi = ∇φ and inner the Euclidean inner product."""
    z, x, y = sp.symbols("z x y")
    D, grad, inner = sp.Function("D"), sp.Function("grad_phi"), sp.Function("inner")
    return sp.Eq(D(z, y) - D(z, x) - D(x, y), inner(z - x, grad(x) - grad(y)))


def separable_bregman_functions(phi, dphi) -> dict:
    """Interpretation of D, grad_phi, inner for a separable φ (entries SymPy, mpmath or float):
    D(u, v) = Σ φ(u_i) − φ(v_i) − φ'(v_i)(u_i − v_i)."""
    def D(u, v):
        out = 0
        for a, b in zip(u, v):
            out = out + (phi(a) - phi(b) - dphi(b) * (a - b))
        return out
    return {"D": D, "grad_phi": lambda u: Vec(dphi(a) for a in u),
            "inner": lambda u, v: inner_any(u, v, [1] * len(u))}


def bregman_three_point(c: int = 3, stmt=None) -> list[Proof]:
    """MISFIT-7 symbolic check of the statement itself, for φ = u², u·log u, −log u and a generic
    SymPy Function φ (separable, c coordinates): lhs − rhs expands to 0."""
    stmt = bregman_statement() if stmt is None else stmt
    z, x, y = (Vec(_vec(n, c, positive=True)) for n in ("z", "x", "y"))
    t = sp.Symbol("t")
    f = sp.Function("phi")
    out = []
    for name, phi in (("u²", lambda u: u**2), ("u·log u", lambda u: u * sp.log(u)),
                      ("−log u", lambda u: -sp.log(u)), ("generic φ", lambda u: f(u))):
        dphi_e = sp.diff(phi(t), t)
        fns = separable_bregman_functions(phi, lambda u, d=dphi_e: d.subs(t, u))
        fns["D"] = lambda u, v, phi=phi: bregman(phi, list(u), list(v))
        diff = statement_difference(stmt, {"z": z, "x": x, "y": y}, fns)
        out.append(prove_identity(sp.expand_log(diff, force=True), label=f"statement, φ = {name}, c={c}"))
    return out


def kl_statement() -> sp.Rel:
    kFY, kpY, kFp = sp.symbols("E_KL(F*||Y) E_KL(f_sw||Y) E_KL(F*||f_sw)", nonnegative=True)
    return sp.Le(kFp, kFY - kpY)


def kl_margin_is_gap(stmt=None, c: int = 3) -> Proof:
    """The statement's margin with E_KL(·‖·) = Σ a_i(log a_i − log b_i) (one atom, symbolic positive
    F*, f_sw, Y) equals Σ_i (F*_i − p_i)(log p_i − log Y_i), the quantity :func:`kl_certificate` certifies."""
    from ._interp import margin

    stmt = kl_statement() if stmt is None else stmt
    F, p, y = (_vec(n, c, positive=True) for n in ("F", "p", "y"))
    K = lambda a, b: sp.Add(*[ai * (sp.log(ai) - sp.log(bi)) for ai, bi in zip(a, b)])  # noqa: E731
    vals = {"E_KL(F*||Y)": K(F, y), "E_KL(f_sw||Y)": K(p, y), "E_KL(F*||f_sw)": K(F, p)}
    target = sp.Add(*[(a - b) * (sp.log(b) - sp.log(cc)) for a, b, cc in zip(F, p, y)])
    return prove_identity(sp.expand_log(interpret(margin(stmt), vals) - target, force=True),
                          label=f"statement margin = Σ(F*−p)(log p − log Y), c={c}")


def kl_certificate(J: int = 3, c: int = 3, stmt=None) -> list[Proof]:
    """MISFIT-8 (KL, one atom — sums over atoms are sums of such terms): with F* = Σβ_j g_j,
    β ∈ Δ_J, and μ_j = ⟨g_j − p, log p − log Y⟩ ≥ 0 (first-order optimality of the reverse-KL
    projection p), gap_KL = Σ_i (F*_i − p_i)(log p_i − log Y_i) = Σ_j β_j μ_j ≥ 0."""
    g = [[sp.Symbol(f"g{j}{i}") for i in range(c)] for j in range(J)]
    be = _vec("beta", J, nonnegative=True)
    p, lp, ly = _vec("p", c), _vec("lp", c), _vec("ly", c)
    F = [sp.Add(*[be[j] * g[j][i] for j in range(J)]) for i in range(c)]
    gap = sp.Add(*[(F[i] - p[i]) * (lp[i] - ly[i]) for i in range(c)])
    mu = [sp.Add(*[(g[j][i] - p[i]) * (lp[i] - ly[i]) for i in range(c)]) for j in range(J)]
    musym = _vec("mu", J, nonnegative=True)
    # gap − Σβ_jμ_j = −(1 − Σβ)·⟨p, lp − ly⟩ which vanishes on the simplex
    resid = sp.expand(gap - sp.Add(*[b * m_ for b, m_ in zip(be, mu)]))
    feas = sp.expand(resid + (1 - sp.Add(*be)) * _dot(p, [a - b for a, b in zip(lp, ly)]))
    ident = Proof(feas == 0, "identity (expand)",
                  "gap_KL − Σβ_jμ_j = −(1 − Σβ_j)⟨p, log p − log Y⟩ == 0 on the simplex" if feas == 0 else str(feas))
    cert = prove_certificate(sp.Add(*[b * m_ for b, m_ in zip(be, musym)]), [b * m_ for b, m_ in zip(be, musym)],
                             be + musym, label="Σβ_jμ_j with β_j ≥ 0, μ_j ≥ 0")
    return [kl_margin_is_gap(stmt, c), ident, cert]


def kl_three_point_value(z, x, y) -> tuple[sp.Expr, sp.Expr]:
    """Exact (KL(z‖y) − KL(z‖x) − KL(x‖y), Σ(z−x)(log x − log y)) for rational vectors."""
    K = lambda a, b: sp.Add(*[ai * sp.log(ai / bi) for ai, bi in zip(a, b)])  # noqa: E731
    return K(z, y) - K(z, x) - K(x, y), sp.Add(*[(a - b) * (sp.log(b) - sp.log(cc)) for a, b, cc in zip(z, x, y)])


# ---------------------------------------------------------------- MISFIT-9

def kmixture_statement() -> sp.Rel:
    k, c, K0 = sp.symbols("k c K_0", positive=True)
    return sp.Le(sp.Symbol("v_k"), K0 * sp.sqrt(c / k))


def kmixture_nested(k: int = 2, c: int = 3) -> Proof:
    """MISFIT-9(a): F^(k) ⊂ F^(k+1): duplicating component j with weights α_j/2, α_j/2 gives the
    same mixture (identity), so the optimal misfit is non-increasing in k."""
    al = _vec("alpha", k)
    comps = [[sp.Symbol(f"f{j}{i}") for i in range(c)] for j in range(k)]
    mk = [sp.Add(*[al[j] * comps[j][i] for j in range(k)]) for i in range(c)]
    al2 = al[:-1] + [al[-1] / 2, al[-1] / 2]
    comps2 = comps + [comps[-1]]
    mk1 = [sp.Add(*[al2[j] * comps2[j][i] for j in range(k + 1)]) for i in range(c)]
    return prove_identity(sp.Add(*[(a - b) ** 2 for a, b in zip(mk, mk1)]),
                          label=f"a k={k} mixture is a k+1 mixture (duplicate a component)")


# ---------------------------------------------------------------- MISFIT-10

def invariance_statement() -> tuple[sp.Eq, sp.Eq, sp.Eq]:
    """MISFIT-10, with gap(F*, Y, h_s) the gap of f_sw = Π_V Y for V = affine heads on h_s:
    scaling gap(sF*, sY, h_s) = s²·gap, a common shift c changes nothing, h_s → h_s·A (A
    invertible) changes nothing.  (h_s, A are matrices: non-commutative symbols.)"""
    s, c, Fstar, Y = sp.symbols("s c F_* Y")
    h, A = sp.symbols("h_s A", commutative=False)
    gap = sp.Function("gap")
    return (sp.Eq(gap(s * Fstar, s * Y, h), s**2 * gap(Fstar, Y, h)),
            sp.Eq(gap(Fstar + c, Y + c, h), gap(Fstar, Y, h)),
            sp.Eq(gap(Fstar, Y, h * A), gap(Fstar, Y, h)))


def head_gap(fstar, y, phi: sp.Matrix, w) -> sp.Expr:
    """gap(F*, Y) of the W-orthogonal projection f_sw = P_Φ Y (exact)."""
    P = subspace_projector(phi, w)
    return _gap(list(fstar), list(y), list(P * sp.Matrix(list(y))), w)


def invariances(m: int = 4, p: int = 2, seed: int = 11, stmt=None) -> list[Proof]:
    """MISFIT-10 symbolic check of the statement itself (each relation): exact rational affine
    heads Φ (m × (p+1)), an exact invertible A, symbolic Y, F*, s, c; lhs − rhs simplifies to 0."""
    stmt = invariance_statement() if stmt is None else stmt
    Phi, wr = _rational_design(m, p, seed)
    Phi1 = Phi.row_join(sp.ones(m, 1))
    A = sp.Matrix([[2, 1, 0], [sp.Rational(1, 3), -1, 4], [0, 5, 1]])
    s, c = sp.symbols("s c")
    vals = {"F_*": Vec(_vec("F", m)), "Y": Vec(_vec("y", m)), "h_s": Phi1, "A": A, "s": s, "c": c}
    fns = {"gap": lambda F, y, phi: head_gap(F, y, phi, wr)}
    names = ("scaling by s", "common shift c", f"h_s → h_s·A (det A = {A.det()})")
    return [prove_identity(statement_difference(rel, vals, fns), simplify=True,
                           label=f"statement [{i}] ({names[i] if i < 3 else i}), exact rational affine heads {m}×{p + 1}")
            for i, rel in enumerate(stmt)]


# ---------------------------------------------------------------- §5.1 replication

def replication_statement() -> sp.Eq:
    """Spec §5.1 target: across transfer tasks, misfit ≈ β·gain + α with β = 1, α = 0, R² = 1 for
    the realizable replica (MISFIT-3), and β ∈ [0.8, 1.2], R² ≥ 0.8 for the non-realizable one [CODE]."""
    gain, misfit, beta, alpha = sp.symbols("gain misfit beta alpha")
    return sp.Eq(misfit, beta * gain + alpha)
