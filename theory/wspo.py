"""WSPO family (Zhu et al., "Weak-to-Strong Preference Optimization", arXiv 2410.18640;
spec ../shared/spec/wspo.md): the tilt, the [CODE] loss, its gradient and stationarity
conditions, exactly in SymPy.  Categorical policies use exact ``Rational`` probabilities;
the Gaussian tilt has a closed-form precision with its properness condition."""
from __future__ import annotations

from typing import NamedTuple, Sequence

import sympy as sp
from mpmath import iv

from ._proof import Proof, prove_identity

g = sp.Symbol("gamma", positive=True)
eta = sp.Symbol("eta", positive=True)


# ------------------------------------------------------------------ building blocks


def _check_probs(name: str, p: Sequence) -> list[sp.Expr]:
    q = [sp.nsimplify(x) for x in p]
    if any(x.is_number and x < 0 for x in q) or (all(x.is_number for x in q) and sp.Add(*q) != 1):
        raise ValueError(f"parameter {name} is invalid: allowed a probability vector (entries >= 0, sum 1)")
    return q


class ExactTilt(NamedTuple):
    """The exact tilt π_γ and its normaliser Z′ itself (not its log; ``numerics.wspo.tilt``
    returns log Z′, as ``Tilt.log_Z``)."""

    pi: list
    Z: sp.Expr


def tilt(pi_ref_s: Sequence, pi_r_w: Sequence, pi_ref_w: Sequence, gamma) -> ExactTilt:
    """π_γ(a) = π_ref^s(a)(π_r^w(a)/π_ref^w(a))^{1/γ}/Z′ and Z′ (WSPO-3, exponent 1/γ), as
    ``ExactTilt(pi, Z)``."""
    a, b, c = (_check_probs(n, p) for n, p in (("pi_ref_s", pi_ref_s), ("pi_r_w", pi_r_w), ("pi_ref_w", pi_ref_w)))
    if not len(a) == len(b) == len(c):
        raise ValueError("parameter pi_r_w/pi_ref_w is invalid: allowed the same vocabulary size as pi_ref_s")
    gamma = sp.nsimplify(gamma)
    if gamma.is_number and not gamma > 0:
        raise ValueError(f"parameter gamma={gamma} is invalid: allowed a real > 0")
    if any(ci == 0 and bi != 0 for bi, ci in zip(b, c)):
        raise ValueError("parameter pi_ref_w is invalid: allowed pi_ref_w(a) > 0 wherever pi_r_w(a) > 0")
    w = [ai * (bi / ci) ** (1 / gamma) if ai != 0 else sp.Integer(0) for ai, bi, ci in zip(a, b, c)]
    Z = sp.Add(*w)
    return ExactTilt([sp.simplify(x / Z) for x in w], Z)


def residual(logpi, l_ref, dlt, gamma=g) -> sp.Expr:
    """e = γ(log π − ℓ_ref^s) − δ  (WSPO-1)."""
    return gamma * (logpi - l_ref) - dlt


def softmax_loss(z: Sequence, d: Sequence, l_ref: Sequence, dlt: Sequence, gamma=g) -> sp.Expr:
    """L(z) = Σ_a d(a) e(a)² over softmax logits z (one-state population loss)."""
    lse = sp.log(sp.Add(*[sp.exp(zi) for zi in z]))
    return sp.Add(*[di * residual(zi - lse, li, de, gamma) ** 2 for zi, di, li, de in zip(z, d, l_ref, dlt)])


def _syms(prefix: str, V: int, **kw) -> list[sp.Symbol]:
    return list(sp.symbols(f"{prefix}1:{V + 1}", **kw))


def _logs_zero(expr: sp.Expr) -> sp.Expr:
    return sp.simplify(sp.expand_log(sp.expand(expr), force=True))


# ------------------------------------------------------------------ statements


def stmt_loss():
    lt, ls, lr, lw = sp.symbols("ell_theta ell_ref^s ell_r^w ell_ref^w")
    e = sp.Symbol("e_t")
    return sp.Eq(e, residual(lt, ls, lr - lw))


def stmt_rescaling():
    A, dl = sp.symbols("A delta", real=True)
    return sp.Eq((g * A - dl) ** 2, g**2 * (A - dl / g) ** 2, evaluate=False)


def stmt_tilt():
    p, r, q, Z = sp.symbols("pi_ref^s pi_r^w pi_ref^w Z'", positive=True)
    return sp.Eq(sp.Symbol("pi_gamma"), p * (r / q) ** (1 / g) / Z)


def stmt_stationarity():
    d, e, pi, S = sp.symbols("d(b) e(b) pi(b) Sum_a(d(a)e(a))")
    return sp.Eq(sp.Symbol("dL/dz_b"), 2 * g * (d * e - pi * S))


def stmt_on_policy():
    """WSPO-5, stated together: (the residual at π_γ is the constant −γ log Z′, the gradient of the
    loss on on-policy data d = π_θ is 2γ·E_π[e·∇log π]); with E_π[∇log π] = 0 the latter vanishes at π_γ."""
    Z = sp.Symbol("Z'", positive=True)
    return (sp.Eq(sp.Symbol("e(a) at pi_gamma"), -g * sp.log(Z)),
            sp.Eq(sp.Symbol("grad L(theta; d = pi_theta)"), 2 * g * sp.Symbol("E_pi[e grad log pi]")))


def stmt_recovery():
    return sp.Eq(sp.Symbol("argmin L (gamma=1, pi_ref^s=pi_ref^w)"), sp.Symbol("pi_r^w"))


def stmt_implied_reward():
    """(γ·ΔΔ_s = ΔΔ_w, σ(β_sΔΔ_s) = σ(β_wΔΔ_w) with β_s = γβ_w) at π_γ (WSPO-7), ΔΔ = Δ(y1) − Δ(y2)."""
    bw, dds, ddw = sp.symbols("beta_w DeltaDelta_s DeltaDelta_w", real=True)
    sig = lambda x: 1 / (1 + sp.exp(-x))  # noqa: E731
    return (sp.Eq(g * dds, ddw), sp.Eq(sig(g * bw * dds), sig(bw * ddw)))


def stmt_monotone():
    """(d/dη KL(π_η‖π_ref^s) = η·Var_{π_η}(δ), d/dη E_{π_η}[δ] = Var_{π_η}(δ)), η = 1/γ (WSPO-8)."""
    var = sp.Symbol("Var_{pi_eta}(delta)", nonnegative=True)
    return (sp.Eq(sp.Symbol("d/deta KL(pi_eta||pi_ref^s)"), eta * var),
            sp.Eq(sp.Symbol("d/deta E_{pi_eta}[delta]"), var))


def stmt_amplification():
    """E_{π_γ}[δ] ≥ E_{π_r^w}[δ] for π_ref^s = π_ref^w and γ < 1 (WSPO-9 guarantee; equality at γ = 1)."""
    return sp.GreaterThan(sp.Symbol("E_{pi_gamma}[delta]"), sp.Symbol("E_{pi_r^w}[delta]"))


def stmt_token_vs_sequence():
    Z0, Za, u = (sp.Symbol(n, positive=True) for n in ("Z'(root)", "Z'(a)", "u(a, b)"))
    return sp.Eq(sp.Symbol("pi_token(a,b)"), u / (Z0 * Za))


def stmt_support():
    """WSPO-11, stated together: (a) π_γ(a) = π_ref^s(a)·e^{δ(a)/γ}/Z′, a finite multiple of
    π_ref^s(a) (so supp π_γ ⊆ supp π_ref^s); (c) with d supported on A ⊊ V and S_A ≤ 1, every
    zero-loss policy puts mass 1 − S_A off A, S_A = Σ_{a∈A} π_ref^s(a)e^{δ(a)/γ} (any split)."""
    p, Z, S = sp.Symbol("pi_ref^s(a)", nonnegative=True), sp.Symbol("Z'", positive=True), sp.Symbol("S_A", positive=True)
    dl = sp.Symbol("delta(a)", real=True)
    return (sp.Eq(sp.Symbol("pi_gamma(a)"), p * sp.exp(dl / g) / Z),
            sp.Eq(sp.Symbol("pi(V minus A) at zero loss"), 1 - S))


def stmt_gaussian():
    sr, sw, swr = sp.symbols("sigma_r sigma_w sigma_wr", positive=True)
    return sp.Eq(sp.Symbol("lambda*"), sr**-2 + (sw**-2 - swr**-2) / g)


def stmt_gradient():
    e, pb, ind = sp.symbols("e pi(b) 1[b=a]")
    return sp.Eq(sp.Symbol("d e^2/dz_b"), 2 * g * e * (ind - pb))


def stmt_finite_sample():
    n, c = sp.symbols("n c", positive=True)
    return sp.Eq(sp.Symbol("E||pi_n - pi_pop||_1"), c / sp.sqrt(n))


# ------------------------------------------------------------------ proofs


def prove_initial_loss_gamma_free(T: int = 3, stmt=None) -> list[Proof]:
    """WSPO-1 for the statement's residual e_t: at π_θ = π_ref^s the per-sequence loss is
    mean_t δ_t², free of γ; masked positions (all four log-probs zeroed) have residual exactly 0."""
    stmt = stmt_loss() if stmt is None else stmt
    S = _names(stmt)
    names = ("ell_theta", "ell_ref^s", "ell_r^w", "ell_ref^w")

    def e(*vals):
        return stmt.rhs.subs({S[n]: v for n, v in zip(names, vals)}, simultaneous=True)

    ls, lr, lw = (_syms(n, T, real=True) for n in ("ls", "lr", "lw"))
    L0 = sp.Add(*[e(a, a, b, c) ** 2 for a, b, c in zip(ls, lr, lw)]) / T
    return [prove_identity(sp.diff(L0, g), label=f"d/dγ of the initial loss, T={T}"),
            prove_identity(L0 - sp.Add(*[(b - c) ** 2 for b, c in zip(lr, lw)]) / T, label="initial loss = mean δ²"),
            prove_identity(e(0, 0, 0, 0), label="masked residual")]


def prove_rescaling(stmt=None) -> list[Proof]:
    """WSPO-2: the statement's identity expands to 0, and ∇(cL) = c∇L (same stationary points)."""
    stmt = stmt_rescaling() if stmt is None else stmt
    c = sp.Symbol("c", real=True)
    z = sp.Symbol("z", real=True)
    Lz = sp.Function("L")(z)
    grad = prove_identity(sp.diff(c * Lz, z) - c * sp.diff(Lz, z), label="∇(cL) = c∇L (same stationary points)")
    if not isinstance(stmt, sp.Eq):
        return [Proof(False, "identity", f"the statement is {stmt}, not an equation of the loss term"), grad]
    return [prove_identity(stmt.lhs - stmt.rhs, label=f"{stmt.lhs} = {stmt.rhs}"), grad]


def _names(stmt) -> dict[str, sp.Symbol]:
    """The free symbols of a statement (every element of a tuple statement) by name."""
    items = stmt if isinstance(stmt, (tuple, list)) else (stmt,)
    return {str(v): v for it in items for v in it.free_symbols}


def tilt_of_statement(stmt, p: Sequence, r: Sequence, q: Sequence, gamma=g) -> tuple[list[sp.Expr], sp.Expr]:
    """π_γ(a) read from the WSPO-3 statement's right-hand side at (p_a, r_a, q_a), with Z′ the
    normaliser of its definition (spec §2), Z′ = Σ_b p_b(r_b/q_b)^{1/γ}; returns (π, Z′)."""
    S = _names(stmt)
    Z = sp.Add(*[pi * (ri / qi) ** (1 / gamma) for pi, ri, qi in zip(p, r, q)])
    pis = [stmt.rhs.subs({S["pi_ref^s"]: pi, S["pi_r^w"]: ri, S["pi_ref^w"]: qi, S["Z'"]: Z, g: gamma},
                         simultaneous=True) for pi, ri, qi in zip(p, r, q)]
    return pis, Z


def prove_tilt_residual(V: int = 3, stmt=None) -> list[Proof]:
    """WSPO-3 for the statement's π_γ (symbolic V): it sums to 1, and substituted into e it gives
    the constant −γ log Z′."""
    stmt = stmt_tilt() if stmt is None else stmt
    p, r, q = (_syms(n, V, positive=True) for n in ("p", "r", "q"))
    pis, Z = tilt_of_statement(stmt, p, r, q)
    out = [prove_identity(sp.simplify(sp.Add(*pis) - 1), label=f"Σ_a π_γ(a) − 1 (V={V})")]
    for a in range(V):
        e = residual(sp.log(pis[a]), sp.log(p[a]), sp.log(r[a]) - sp.log(q[a]))
        out.append(prove_identity(_logs_zero(e + g * sp.log(Z)), label=f"e({a + 1}) + γ log Z′ (V={V})"))
    return out


def tilt_residuals_exact(pi_ref_s, pi_r_w, pi_ref_w, gamma, exponent: str = "1/gamma", stmt=None) -> list[sp.Expr]:
    """Exact residuals e(a) at the normalised tilt: the statement's π_γ when ``stmt`` is given,
    else the formula with exponent 1/γ (``exponent='gamma'`` plants the wrong exponent).  All
    equal −γ log Z′ for the correct tilt."""
    gamma = sp.nsimplify(gamma)
    a, b, c = (list(map(sp.nsimplify, x)) for x in (pi_ref_s, pi_r_w, pi_ref_w))
    if stmt is not None:
        pis, _ = tilt_of_statement(stmt, a, b, c, gamma)
    else:
        k = 1 / gamma if exponent == "1/gamma" else gamma
        w = [ai * (bi / ci) ** k for ai, bi, ci in zip(a, b, c)]
        pis = [wi / sp.Add(*w) for wi in w]
    return [residual(sp.log(pi), sp.log(ai), sp.log(bi / ci), gamma) for pi, ai, bi, ci in zip(pis, a, b, c)]


def prove_tilt_exact(pi_ref_s=(sp.Rational(1, 2), sp.Rational(1, 3), sp.Rational(1, 6)),
                     pi_r_w=(sp.Rational(1, 5), sp.Rational(3, 10), sp.Rational(1, 2)),
                     pi_ref_w=(sp.Rational(1, 4), sp.Rational(1, 4), sp.Rational(1, 2)),
                     gamma=sp.Rational(1, 2), exponent: str = "1/gamma", stmt=None) -> Proof:
    """Exact Rational instance: the residuals at the tilt (the statement's, when given) all equal
    −γ log Z′ and the tilt sums to 1."""
    es = tilt_residuals_exact(pi_ref_s, pi_r_w, pi_ref_w, gamma, exponent, stmt)
    diffs = [_logs_zero(e - es[0]) for e in es[1:]]
    gm = sp.nsimplify(gamma)
    Z = sp.Add(*[sp.nsimplify(a) * (sp.nsimplify(b) / sp.nsimplify(c)) ** (1 / gm)
                 for a, b, c in zip(pi_ref_s, pi_r_w, pi_ref_w)])
    total = (sp.nsimplify(sp.Add(*tilt_of_statement(stmt, *(list(map(sp.nsimplify, x)) for x in
                                                             (pi_ref_s, pi_r_w, pi_ref_w)), gm)[0]))
             if stmt is not None else sp.Integer(1))
    const = all(x == 0 for x in diffs)
    level = _logs_zero(es[0] + gm * sp.log(Z)) == 0
    ok = const and level and total == 1
    return Proof(ok, "exact Rational instance (expand_log, simplify)",
                 f"{'statement' if stmt is not None else 'exponent ' + exponent}, γ={gamma}: residuals "
                 f"{'constant' if const else 'NOT constant'}, {'equal to' if level else 'NOT equal to'} −γ log Z′; "
                 f"Σ π_γ = {total} (Z′={Z})")


def _softmax_setup(V: int):
    z = _syms("z", V, real=True)
    d = _syms("d", V, positive=True)
    lr = _syms("l", V, real=True)
    dl = _syms("delta", V, real=True)
    return z, d, lr, dl


def stationarity_rhs(stmt, d, e, pi, S):
    """The WSPO-4 statement's ∂L/∂z_b at (d(b), e(b), π(b), Σ_a d(a)e(a))."""
    N = _names(stmt)
    return stmt.rhs.subs({N["d(b)"]: d, N["e(b)"]: e, N["pi(b)"]: pi, N["Sum_a(d(a)e(a))"]: S}, simultaneous=True)


def prove_stationarity_identity(V: int = 3, stmt=None) -> list[Proof]:
    """WSPO-4: ∂L/∂z_b equals the statement's 2γ(d(b)e(b) − π(b)Σ_a d(a)e(a)) for symbolic logits, V=3."""
    stmt = stmt_stationarity() if stmt is None else stmt
    z, d, lr, dl = _softmax_setup(V)
    L = softmax_loss(z, d, lr, dl)
    lse = sp.log(sp.Add(*[sp.exp(x) for x in z]))
    pi = [sp.exp(x) / sp.Add(*[sp.exp(y) for y in z]) for x in z]
    e = [residual(x - lse, li, de) for x, li, de in zip(z, lr, dl)]
    S = sp.Add(*[di * ei for di, ei in zip(d, e)])
    return [prove_identity(sp.simplify(sp.diff(L, z[b]) - stationarity_rhs(stmt, d[b], e[b], pi[b], S)),
                           label=f"∂L/∂z_{b + 1} − statement (V={V})") for b in range(V)]


def gradient_at_tilt(V: int = 3) -> tuple[list[sp.Expr], list[sp.Expr], list[sp.Symbol], sp.Expr]:
    """∇_z L at the teacher logits z = ℓ_ref + δ/γ (softmax = π_γ) with generic d."""
    z, d, lr, dl = _softmax_setup(V)
    L = softmax_loss(z, d, lr, dl)
    zt = {zi: li + de / g for zi, li, de in zip(z, lr, dl)}
    Zp = sp.Add(*[sp.exp(li + de / g) for li, de in zip(lr, dl)])
    pig = [sp.exp(li + de / g) / Zp for li, de in zip(lr, dl)]
    G = [sp.diff(L, zi).subs(zt) for zi in z]
    return G, pig, d, Zp


def prove_gradient_at_tilt(V: int = 3, stmt=None) -> list[Proof]:
    """WSPO-4: at π_γ the residual is the constant c = −γ log Z′ (WSPO-3), so the statement's
    gradient is 2γc(d − π_γ) (Σd = 1) and equals ∇_z L(π_γ); it vanishes for every d iff Z′ = 1,
    and otherwise only at d = π_γ."""
    stmt = stmt_stationarity() if stmt is None else stmt
    G, pig, d, Zp = gradient_at_tilt(V)
    c = -g * sp.log(Zp)
    sub = {d[-1]: 1 - sp.Add(*d[:-1])}
    S = c * sp.Add(*d)
    out = [prove_identity(_logs_zero((Gb - stationarity_rhs(stmt, db, c, pb, S)).subs(sub)),
                          label=f"∂L/∂z_{i + 1} at π_γ − statement with e ≡ −γ log Z′")
           for i, (Gb, db, pb) in enumerate(zip(G, d, pig))]
    out += [prove_identity(_logs_zero((stationarity_rhs(stmt, db, c, pb, S) - 2 * g * c * (db - pb)).subs(sub)),
                           label=f"statement at π_γ = 2γc(d − π_γ), component {i + 1}")
            for i, (db, pb) in enumerate(zip(d, pig))]
    cs = sp.Symbol("c", nonzero=True)
    ds = _syms("dd", V)
    ps = _syms("pp", V, positive=True)
    sol = sp.solve([2 * g * cs * (x - y) for x, y in zip(ds, ps)], ds, dict=True)
    ok = len(sol) == 1 and all(sp.simplify(sol[0][x] - y) == 0 for x, y in zip(ds, ps))
    out.append(Proof(ok, "solve", "with c = −γ log Z′ ≠ 0 the gradient vanishes only at d = π_γ"
                     if ok else f"unexpected solutions {sol}"))
    return out


def prove_on_policy_stationary(V: int = 3, stmt=None) -> list[Proof]:
    """WSPO-5 for both relations of the statement (V=3 softmax): at π_γ every residual equals the
    first rhs (−γ log Z′); ∂L/∂z_b with the data held at d and then set to π equals the second rhs
    at E_π[e ∂_b log π]; and E_π[∇ log π] = 0 for the softmax and Gaussian classes, so with d = π_γ
    the gradient at π_γ is exactly 0."""
    stmt = stmt_on_policy() if stmt is None else stmt
    N = _names(stmt)
    p, r, q = (_syms(n, V, positive=True) for n in ("p", "r", "q"))
    w = [pi * (ri / qi) ** (1 / g) for pi, ri, qi in zip(p, r, q)]
    Zs = sp.Add(*w)
    out = [prove_identity(_logs_zero(residual(sp.log(w[a] / Zs), sp.log(p[a]), sp.log(r[a]) - sp.log(q[a]))
                                     - stmt[0].rhs.subs(N["Z'"], Zs)), label=f"[0] e({a + 1}) at π_γ − ({stmt[0].rhs})")
           for a in range(V)]
    z, d, lr, dl = _softmax_setup(V)
    L = softmax_loss(z, d, lr, dl)
    lse = sp.log(sp.Add(*[sp.exp(x) for x in z]))
    pis = [sp.exp(x) / sp.Add(*[sp.exp(y) for y in z]) for x in z]
    e = [residual(x - lse, li, de) for x, li, de in zip(z, lr, dl)]
    on = dict(zip(d, pis))
    for b in range(V):
        score = sp.Add(*[pa * ea * sp.diff(sp.log(pa), z[b]) for pa, ea in zip(pis, e)])
        out.append(prove_identity(sp.simplify(sp.diff(L, z[b]).subs(on) - stmt[1].rhs.subs(N["E_pi[e grad log pi]"], score)),
                                  label=f"[1] ∂L/∂z_{b + 1} at d = π − ({stmt[1].rhs})"))
    G, pig, dd, _ = gradient_at_tilt(V)
    out += [prove_identity(sp.simplify(Gb.subs(dict(zip(dd, pig)))), label=f"on-policy ∂L/∂z_{i + 1} at π_γ")
            for i, Gb in enumerate(G)]
    # softmax class: Σ_a π_a ∂_{z_b} log π_a = Σ_a π_a(1[a=b] − π_b) = 0
    out.append(prove_identity(sp.simplify(sp.Add(*[pa * sp.diff(sp.log(pa), z[0]) for pa in pis])),
                              label="softmax: E_π[∂ log π/∂z_1] = 0"))
    # Gaussian class: the score is a polynomial in u = x − μ; E[u] = 0, E[u²] = σ²
    x, mu, u = sp.symbols("x mu u", real=True)
    s = sp.Symbol("sigma", positive=True)
    logdens = -(x - mu) ** 2 / (2 * s**2) - sp.log(s) - sp.log(2 * sp.pi) / 2
    for par in (mu, s):
        score = sp.Poly(sp.expand(sp.diff(logdens, par).subs(x, u + mu)), u)
        moments = {0: 1, 1: 0, 2: s**2}
        expect = sp.Add(*[c * moments[k[0]] for k, c in zip(score.monoms(), score.coeffs())])
        out.append(prove_identity(sp.simplify(expect), label=f"Gaussian: E_N[∂ log N/∂{par}] = 0"))
    return out


def prove_recovery(V: int = 3, stmt=None) -> list[Proof]:
    """WSPO-6: π_ref^s = π_ref^w and γ = 1 ⇒ Z′ = Σ π_r^w = 1 and π_γ = the statement's rhs (π_r^w)
    (symbolic and exact Rationals); EFT: the renormalised per-token target at γ = 1 is the tilt."""
    stmt = stmt_recovery() if stmt is None else stmt
    N = _names(stmt)
    p = _syms("p", V, positive=True)
    r = _syms("r", V, positive=True)
    w = [pi * (ri / pi) for pi, ri in zip(p, r)]
    sub = {r[-1]: 1 - sp.Add(*r[:-1])}
    out = [prove_identity(sp.Add(*w).subs(sub) - 1, label="Z′ = Σ π_r^w = 1")]
    out += [prove_identity(sp.simplify((wa / sp.Add(*w) - stmt.rhs.subs(N["pi_r^w"], ra)).subs(sub)),
                           label=f"π_γ({a + 1}) − statement at γ=1, equal refs (V={V})")
            for a, (wa, ra) in enumerate(zip(w, r))]
    rw = (sp.Rational(1, 5), sp.Rational(1, 5), sp.Rational(3, 5))
    pis, Z = tilt((sp.Rational(1, 2), sp.Rational(1, 3), sp.Rational(1, 6)), rw,
                  (sp.Rational(1, 2), sp.Rational(1, 3), sp.Rational(1, 6)), 1)
    want = [stmt.rhs.subs(N["pi_r^w"], x) for x in rw]
    ok = Z == 1 and pis == want
    out.append(Proof(ok, "exact Rationals", f"γ=1, equal refs: Z′={Z}, π_γ={pis} vs the statement's {want}"))
    lL, lf, ls = (_syms(n, V, real=True) for n in ("lL", "lf", "ls"))
    eft = [sp.exp(a + b - c) for a, b, c in zip(lL, lf, ls)]
    til = [sp.exp(a) * (sp.exp(b) / sp.exp(c)) for a, b, c in zip(lL, lf, ls)]
    out.append(prove_identity(sp.simplify(eft[0] / sp.Add(*eft) - til[0] / sp.Add(*til)),
                              label="EFT up-scaling target = tilt at γ=1"))
    return out


def prove_implied_reward(stmt=None) -> list[Proof]:
    """WSPO-7: at π_γ, with ΔΔ_s = Δ_s(y1) − Δ_s(y2) and ΔΔ_w = δ(y1) − δ(y2), both relations of
    the statement (γΔΔ_s = ΔΔ_w; σ(β_sΔΔ_s) = σ(β_wΔΔ_w), β_s = γβ_w) simplify to 0."""
    stmt = stmt_implied_reward() if stmt is None else stmt
    N = _names(stmt)
    p1, p2, r1, r2, q1, q2, Z = sp.symbols("p1 p2 r1 r2 q1 q2 Z", positive=True)
    pi1, pi2 = p1 * (r1 / q1) ** (1 / g) / Z, p2 * (r2 / q2) ** (1 / g) / Z
    dd_s = sp.expand_log(sp.log(pi1 / p1) - sp.log(pi2 / p2), force=True)
    dd_w = (sp.log(r1) - sp.log(q1)) - (sp.log(r2) - sp.log(q2))
    sub = {N["DeltaDelta_s"]: dd_s, N["DeltaDelta_w"]: dd_w}
    if "beta_w" in N:
        sub[N["beta_w"]] = sp.Symbol("beta_w", positive=True)
    out = []
    for i, rel in enumerate(stmt):
        diff = (rel.lhs - rel.rhs).subs(sub, simultaneous=True)
        out.append(prove_identity(_logs_zero(diff) if i == 0 else sp.simplify(diff),
                                  label=f"[{i}] {rel.lhs} − ({rel.rhs}) at π_γ", simplify=True))
    return out


def prove_monotone(V: int = 3, stmt=None) -> list[Proof]:
    """WSPO-8: A(η) = log Σ p e^{ηδ}; KL(π_η‖p) = ηA′ − A, A″ = Var_{π_η}(δ), and both relations
    of the statement, d/dη KL = η·Var and d/dη E_{π_η}[δ] = Var (V=3 symbolic)."""
    stmt = stmt_monotone() if stmt is None else stmt
    N = _names(stmt)
    p = _syms("p", V, positive=True)
    dl = _syms("delta", V, real=True)
    A = sp.log(sp.Add(*[pi * sp.exp(eta * di) for pi, di in zip(p, dl)]))
    pis = [pi * sp.exp(eta * di - A) for pi, di in zip(p, dl)]
    KL = sp.Add(*[x * (eta * di - A) for x, di in zip(pis, dl)])  # log(π/p) = ηδ − A
    Ed = sp.Add(*[x * di for x, di in zip(pis, dl)])
    var = sp.Add(*[x * di**2 for x, di in zip(pis, dl)]) - Ed**2
    A1, A2 = sp.diff(A, eta), sp.diff(A, eta, 2)
    rhs = [rel.rhs.subs(N["Var_{pi_eta}(delta)"], var) for rel in stmt]
    return [prove_identity(sp.simplify(KL - (eta * A1 - A)), label="KL = ηA′ − A"),
            prove_identity(sp.simplify(A2 - var), label="A″ = Var_{π_η}(δ)"),
            prove_identity(sp.simplify(sp.diff(KL, eta) - rhs[0]), label=f"d/dη KL − ({stmt[0].rhs})"),
            prove_identity(sp.simplify(sp.diff(Ed, eta) - rhs[1]), label=f"d/dη E[δ] − ({stmt[1].rhs})")]


WSPO9_EXAMPLE = dict(pi_ref_w=(sp.Rational(1, 2), sp.Rational(1, 2)), pi_r_w=(sp.Rational(9, 10), sp.Rational(1, 10)),
                     pi_ref_s=(sp.Rational(1, 1000), sp.Rational(999, 1000)), gamma=sp.Rational(1, 2))


def _amp_margin(stmt, e_tilt, e_weak):
    """The WSPO-9 statement's margin (lhs − rhs of ≥) at E_{π_γ}[δ] = e_tilt, E_{π_r^w}[δ] = e_weak."""
    N = _names(stmt)
    m = stmt.lhs - stmt.rhs if isinstance(stmt, (sp.GreaterThan, sp.StrictGreaterThan)) else stmt.rhs - stmt.lhs
    return m.subs({N["E_{pi_gamma}[delta]"]: e_tilt, N["E_{pi_r^w}[delta]"]: e_weak}, simultaneous=True)


def prove_amplification_tight(V: int = 3, stmt=None) -> Proof:
    """WSPO-9: with equal references the tilt at γ = 1 is π_r^w, so the statement's margin is
    exactly 0 there (the guarantee is attained at γ = 1; symbolic V)."""
    stmt = stmt_amplification() if stmt is None else stmt
    p, r = _syms("p", V, positive=True), _syms("r", V, positive=True)
    dl = [sp.log(ri) - sp.log(pi) for pi, ri in zip(p, r)]
    w = [pi * sp.exp(di) for pi, di in zip(p, dl)]  # γ = 1, π_ref^s = π_ref^w = p
    sub = {r[-1]: 1 - sp.Add(*r[:-1])}
    e_tilt = sp.Add(*[wi * di for wi, di in zip(w, dl)]) / sp.Add(*w)
    e_weak = sp.Add(*[ri * di for ri, di in zip(r, dl)])
    return prove_identity(sp.simplify(_amp_margin(stmt, e_tilt, e_weak).subs(sub)),
                          label=f"margin of {stmt} at γ = 1, equal refs (V={V})")


def prove_amplification_counterexample(ex: dict | None = None, stmt=None) -> Proof:
    """WSPO-9 counterexample, exactly: π_γ in Rationals (γ=1/2) and an mpmath.iv enclosure of the
    statement's margin E_{π_γ}[δ] − E_{π_r^w}[δ] < 0 (the guarantee fails when the references differ)."""
    ex = ex or WSPO9_EXAMPLE
    stmt = stmt_amplification() if stmt is None else stmt
    pis, Z = tilt(ex["pi_ref_s"], ex["pi_r_w"], ex["pi_ref_w"], ex["gamma"])
    iv.dps = 30
    dl = [iv.log(iv.mpf(sp.Rational(r).p) / sp.Rational(r).q) - iv.log(iv.mpf(sp.Rational(q).p) / sp.Rational(q).q)
          for r, q in zip(ex["pi_r_w"], ex["pi_ref_w"])]
    ivq = lambda x: iv.mpf(sp.Rational(x).p) / sp.Rational(x).q  # noqa: E731
    e_tilt = sum(ivq(x) * d for x, d in zip(pis, dl))
    e_weak = sum(ivq(x) * d for x, d in zip(ex["pi_r_w"], dl))
    a, b = sp.Dummy("a"), sp.Dummy("b")
    m = sp.expand(_amp_margin(stmt, a, b))  # affine in (a, b) with Rational coefficients
    ca, cb = m.coeff(a), m.coeff(b)
    c0 = sp.expand(m - ca * a - cb * b)
    if not all(x.is_Rational for x in (ca, cb, c0)):
        return Proof(False, "mpmath.iv enclosure", f"the statement's margin {m} is not affine in the expectations")
    gap = ivq(ca) * e_tilt + ivq(cb) * e_weak + ivq(c0)
    ok = gap.b < 0
    return Proof(ok, "exact Rationals + mpmath.iv enclosure",
                 f"π_γ = ({', '.join(str(x) for x in pis)}) ≈ ({', '.join(f'{float(x):.4f}' for x in pis)}); "
                 f"E_π_γ[δ] ∈ [{float(e_tilt.a):.4f}, {float(e_tilt.b):.4f}], E_π_r^w[δ] ∈ "
                 f"[{float(e_weak.a):.4f}, {float(e_weak.b):.4f}]; margin of {stmt} ∈ [{float(gap.a):.4f}, "
                 f"{float(gap.b):.4f}]" + (" < 0: violated with different references" if ok else " — NOT violated"),
                 {"pi_gamma": [float(x) for x in pis]})


def tree_tilts(p0, p1, r0, r1, q0, q1, gamma):
    """Depth-2 tree: root distributions p0/r0/q0 over V, child distributions p1[a]/r1[a]/q1[a].
    Returns (sequence tilt, token product) as dicts (a,b) → exact value."""
    gamma = sp.nsimplify(gamma)
    k = 1 / gamma
    V = len(p0)
    u = {(a, b): p0[a] * p1[a][b] * (r0[a] * r1[a][b] / (q0[a] * q1[a][b])) ** k for a in range(V) for b in range(V)}
    Zs = sp.Add(*u.values())
    seq = {key: sp.nsimplify(val / Zs) for key, val in u.items()}
    Z0 = sp.Add(*[p0[a] * (r0[a] / q0[a]) ** k for a in range(V)])
    tok = {}
    for a in range(V):
        Za = sp.Add(*[p1[a][b] * (r1[a][b] / q1[a][b]) ** k for b in range(V)])
        for b in range(V):
            tok[(a, b)] = sp.nsimplify(p0[a] * (r0[a] / q0[a]) ** k / Z0 * p1[a][b] * (r1[a][b] / q1[a][b]) ** k / Za)
    return seq, tok


R = sp.Rational
TREE = dict(p0=(R(1, 2), R(1, 2)), p1=((R(1, 3), R(2, 3)), (R(3, 4), R(1, 4))),
            r0=(R(3, 5), R(2, 5)), r1=((R(1, 2), R(1, 2)), (R(1, 5), R(4, 5))),
            q0=(R(1, 4), R(3, 4)), q1=((R(1, 3), R(2, 3)), (R(2, 3), R(1, 3))))


def prove_token_vs_sequence(stmt=None) -> list[Proof]:
    """WSPO-10: token product = the statement's u(a,b)/(Z′(root)Z′(a)) (symbolic, depth 2, V=2),
    so it equals the sequence tilt iff Z′(a) is constant; exact Rational tree: γ=1 with equal
    refs both equal π_r^w, γ=1/2 with different refs they differ."""
    stmt = stmt_token_vs_sequence() if stmt is None else stmt
    N = _names(stmt)
    V = 2
    p0, r0, q0 = (_syms(n, V, positive=True) for n in ("p", "r", "q"))
    p1, r1, q1 = ([_syms(f"{n}{a}_", V, positive=True) for a in range(V)] for n in ("p", "r", "q"))
    w0 = [p0[a] * (r0[a] / q0[a]) ** (1 / g) for a in range(V)]
    Z0 = sp.Add(*w0)
    out = []
    for a in range(V):
        wa = [p1[a][b] * (r1[a][b] / q1[a][b]) ** (1 / g) for b in range(V)]
        Za = sp.Add(*wa)
        for b in range(V):
            u = p0[a] * p1[a][b] * (r0[a] * r1[a][b] / (q0[a] * q1[a][b])) ** (1 / g)
            tok = (w0[a] / Z0) * (wa[b] / Za)
            claim = stmt.rhs.subs({N["u(a, b)"]: u, N["Z'(root)"]: Z0, N["Z'(a)"]: Za}, simultaneous=True)
            out.append(prove_identity(sp.simplify(sp.powsimp((tok - claim) * Z0 * Za, force=True)),
                                      label=f"token({a},{b}) − statement u({a},{b})/(Z′(root)Z′({a}))", simplify=True))
    t = TREE
    seq1, tok1 = tree_tilts(t["p0"], t["p1"], t["r0"], t["r1"], t["p0"], t["p1"], 1)
    rw = {(a, b): t["r0"][a] * t["r1"][a][b] for a in range(2) for b in range(2)}
    ok1 = seq1 == tok1 == rw
    out.append(Proof(ok1, "exact Rationals", f"γ=1, equal refs: sequence tilt = token product = π_r^w: {ok1}"))
    seq2, tok2 = tree_tilts(t["p0"], t["p1"], t["r0"], t["r1"], t["q0"], t["q1"], R(1, 2))
    differ = any(seq2[k] != tok2[k] for k in seq2)
    out.append(Proof(differ, "exact Rationals",
                     f"γ=1/2, different refs: sequence tilt {dict((k, str(v)) for k, v in seq2.items())} vs token product "
                     f"{dict((k, str(v)) for k, v in tok2.items())} — {'DIFFERENT' if differ else 'equal'}"))
    return out


def prove_support(stmt=None) -> list[Proof]:
    """WSPO-11 for both relations of the statement: (a) the exact tilt with π_ref^s(a) = 0 equals
    the statement's π_ref^s(a)e^{δ(a)/γ}/Z′ token by token and is 0 there; (c) S_A < 1 ⇒ a
    one-parameter family of zero-loss policies whose mass off A is the statement's 1 − S_A (exact,
    γ = 1/2, V = 6, |A| = 3)."""
    stmt = stmt_support() if stmt is None else stmt
    N = _names(stmt)
    ps, rs, qs, gm0 = (0, R(1, 2), R(1, 2)), (R(1, 2), R(1, 4), R(1, 4)), (R(1, 3), R(1, 3), R(1, 3)), R(1, 3)
    pis, Z0 = tilt(ps, rs, qs, gm0)
    want = [sp.simplify(stmt[0].rhs.subs({N["pi_ref^s(a)"]: pa, N["delta(a)"]: sp.log(ra / qa), N["Z'"]: Z0, g: gm0},
                                         simultaneous=True)) for pa, ra, qa in zip(ps, rs, qs)]
    same = all(sp.simplify(x - y) == 0 for x, y in zip(pis, want))
    out = [Proof(same and pis[0] == 0, "exact Rationals",
                 f"supp π_γ ⊆ supp π_ref^s: π_γ = {pis}, statement [0] gives {want}")]
    gm = R(1, 2)
    p = [R(1, 6)] * 6
    r = [R(1, 10), R(1, 10), R(1, 10), R(7, 30), R(7, 30), R(7, 30)]
    q = [R(1, 6)] * 6
    d = [R(1, 3)] * 3 + [0] * 3
    A = range(3)
    piA = [p[a] * (r[a] / q[a]) ** (1 / gm) for a in A]
    SA = sp.Add(*piA)
    t = sp.Symbol("t", positive=True)
    off = [t * (1 - SA) / 2, (1 - t) * (1 - SA) / 2, (1 - SA) / 2]
    pol = piA + off
    # e(a) = γ log(π/p) − log(r/q) = log((π/p)^γ/(r/q)), evaluated exactly
    Lt = sp.Add(*[d[a] * sp.log((pol[a] / p[a]) ** gm / (r[a] / q[a])) ** 2 for a in A])
    out.append(Proof(SA < 1 and sum(pol) == 1, "exact Rationals", f"S_A = {SA} < 1 and the family sums to 1"))
    out.append(prove_identity(_logs_zero(Lt), label="loss of the whole family π_t, t∈(0,1), is 0 (non-identifiable)"))
    out.append(prove_identity(sp.simplify(sp.Add(*off) - stmt[1].rhs.subs(N["S_A"], SA)),
                              label=f"[1] mass off A of the family − ({stmt[1].rhs}) at S_A = {SA}"))
    return out


def gaussian_precision(s_r, s_w, s_wr, gamma=g):
    return s_r**-2 + (s_w**-2 - s_wr**-2) / gamma


def gaussian_mean(mu_r, s_r, mu_w, s_w, mu_wr, s_wr, gamma=g):
    return (mu_r * s_r**-2 + (mu_w * s_w**-2 - mu_wr * s_wr**-2) / gamma) / gaussian_precision(s_r, s_w, s_wr, gamma)


def gaussian_precision_of_statement(stmt, s_r, s_w, s_wr, gamma=g):
    """λ* read from the WSPO-12 statement's right-hand side."""
    N = _names(stmt)
    return stmt.rhs.subs({N["sigma_r"]: s_r, N["sigma_w"]: s_w, N["sigma_wr"]: s_wr, g: gamma}, simultaneous=True)


def prove_gaussian(stmt=None) -> list[Proof]:
    """WSPO-12: complete the square: the log tilt is −λ*(x − m)²/2 + const with the statement's
    λ*; the example σ_r = σ_wr = 1, σ_w = 3/2 is proper iff γ > 5/9, λ*(1/2) = −1/9; γ = 1, equal
    refs → N(μ_w, σ_w²)."""
    stmt = stmt_gaussian() if stmt is None else stmt
    x = sp.Symbol("x", real=True)
    mr, mw, mwr = sp.symbols("mu_r mu_w mu_wr", real=True)
    sr, sw, swr = sp.symbols("sigma_r sigma_w sigma_wr", positive=True)
    logt = -(x - mr) ** 2 / (2 * sr**2) + (-(x - mw) ** 2 / (2 * sw**2) + (x - mwr) ** 2 / (2 * swr**2)) / g
    lam = gaussian_precision_of_statement(stmt, sr, sw, swr)
    num = mr * sr**-2 + (mw * sw**-2 - mwr * swr**-2) / g
    m = num / lam
    poly = sp.Poly(sp.expand(logt), x)
    out = [prove_identity(sp.simplify(poly.coeff_monomial(x**2) + lam / 2), label="x² coefficient = −λ*/2"),
           prove_identity(sp.simplify(poly.coeff_monomial(x) - lam * m), label="x coefficient = λ*·mean")]
    lam_ex = gaussian_precision_of_statement(stmt, sp.Integer(1), R(3, 2), sp.Integer(1))
    sol = sp.solve_univariate_inequality(lam_ex > 0, g, relational=False).intersect(sp.Interval.open(0, sp.oo))
    ok = sol == sp.Interval.open(R(5, 9), sp.oo) and lam_ex.subs(g, R(1, 2)) == R(-1, 9)
    out.append(Proof(ok, "solve_univariate_inequality", f"σ_r=σ_wr=1, σ_w=3/2: proper iff γ ∈ {sol}; "
                     f"λ*(γ=1/2) = {lam_ex.subs(g, R(1, 2))}"))
    eq = {g: 1, sr: swr, mr: mwr}
    out.append(prove_identity(sp.simplify(lam.subs(eq) - sw**-2), label="γ=1, equal refs: λ* = σ_w⁻²"))
    out.append(prove_identity(sp.simplify(m.subs(eq) - mw), label="γ=1, equal refs: mean = μ_w"))
    return out


def softmax_grad_rhs(stmt, e, pi_b, ind):
    """The WSPO-13 statement's ∂e_a²/∂z_b at (e_a, π(b), 1[b=a])."""
    N = _names(stmt)
    return stmt.rhs.subs({N["e"]: e, N["pi(b)"]: pi_b, N["1[b=a]"]: ind}, simultaneous=True)


def prove_gradient(V: int = 3, stmt=None) -> list[Proof]:
    """WSPO-13: ∂e_a²/∂z_b equals the statement's 2γ e_a (1[b=a] − π_b) for the softmax head, V=3."""
    stmt = stmt_gradient() if stmt is None else stmt
    z, _, lr, dl = _softmax_setup(V)
    lse = sp.log(sp.Add(*[sp.exp(x) for x in z]))
    pi = [sp.exp(x) / sp.Add(*[sp.exp(y) for y in z]) for x in z]
    out = []
    for a in range(V):
        e = residual(z[a] - lse, lr[a], dl[a])
        for b in range(V):
            out.append(prove_identity(sp.simplify(sp.diff(e**2, z[b]) - softmax_grad_rhs(stmt, e, pi[b], int(a == b))),
                                      label=f"∂e_{a + 1}²/∂z_{b + 1} − statement"))
    return out
