"""Student's t tail and its inverse, in numpy, without importing scipy.

Every comparison of the analysis is read against Student's t (`uncertainty.difference`).
The tail and its inverse came from `scipy.special.stdtr`/`stdtrit`; importing
`scipy.special` took 0.15 s of every analysing command (its array-API layer loads
`numpy.f2py`, `numpy.polynomial` and `numpy.testing`); no lighter library ships them.

The tail is the regularized incomplete beta function,
`P(T > t) = I_x(df/2, 1/2) / 2` with `x = df / (df + t^2)` (Abramowitz & Stegun
26.7.1), worked out by its continued fraction (A&S 26.5.8, evaluated by the modified
Lentz method) on whichever side of the distribution's mean converges, or, for many
degrees of freedom near the middle, by DiDonato & Morris's asymptotic expansion (ACM
TOMS 708, BGRAT), with the beta function's ratio `Gamma(a + 1/2) / Gamma(a)` from
`math.gamma` for small `a` and from its asymptotic series (Bernoulli numbers) beyond.
The inverse is Newton's method on the logarithm of the tail. Both are held equal to
scipy's values to 1e-12 (relative) over degrees of freedom from 0.05 to 10^7 and t up
to 10^4 (tests/test_student_t.py; within 1e-4 of t = 0, where scipy's own tail is off
from its ninth digit, to the exact closed forms); the analysis they give is the same,
number for number.
"""

from __future__ import annotations

import math

import numpy as np

_EPS = 1e-16  # the continued fraction stops when a step changes it by less than this
_TINY = 1e-300  # keeps Lentz's denominators off zero
_MAX_TERMS = 10_000  # ample: where the fraction is used it needs a few dozen terms at most
_SERIES_FROM = 25.0  # a's at or beyond this take Gamma's ratio from its series
_LOG_HALF = math.log(0.5)
_LOG_MAX = math.log(np.finfo(float).max)  # a t beyond e^this is infinite

# ln(Gamma(a + 1/2) / Gamma(a)) - ln(a) / 2 = sum over even n of
# (2^(1-n) - 2) B_n / (n (n - 1) a^(n-1)), B_n the Bernoulli numbers (from Stirling's
# series for ln Gamma(a + h), whose terms are the Bernoulli polynomials at h).
_BERNOULLI = {2: 1 / 6, 4: -1 / 30, 6: 1 / 42, 8: -1 / 30, 10: 5 / 66, 12: -691 / 2730}
_RATIO_SERIES = [(n - 1, (2.0 ** (1 - n) - 2.0) * b / (n * (n - 1))) for n, b in _BERNOULLI.items()]


def gamma_half_ratio(a: np.ndarray) -> np.ndarray:
    """Gamma(a + 1/2) / Gamma(a), for a > 0, without overflow for a large `a`."""
    a = np.asarray(a, dtype=float)
    out = np.empty_like(a)
    small = a < _SERIES_FROM
    if small.any():
        out[small] = [math.gamma(v + 0.5) / math.gamma(v) for v in a[small].tolist()]
    big = ~small
    if big.any():
        x = a[big]
        inv = 1.0 / x
        total = np.zeros_like(x)
        for power, coefficient in reversed(_RATIO_SERIES):
            total += coefficient * inv**power
        out[big] = np.sqrt(x) * np.exp(total)
    return out


def _continued_fraction(x: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The continued fraction of I_x(a, b) (A&S 26.5.8), by the modified Lentz method.

    Converges fast for x < (a + 1) / (a + b + 2); all arrays of one shape.
    """
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = np.ones_like(x)
    d = 1.0 - qab * x / qap
    d = 1.0 / np.where(np.abs(d) < _TINY, _TINY, d)
    h = d.copy()
    todo = np.arange(len(x))
    for m in range(1, _MAX_TERMS + 1):
        if not len(todo):
            return h
        xs, am, bm, qa, qp, qm = x[todo], a[todo], b[todo], qab[todo], qap[todo], qam[todo]
        cs, ds = c[todo], d[todo]
        m2 = 2.0 * m
        for aa in (
            m * (bm - m) * xs / ((qm + m2) * (am + m2)),
            -(am + m) * (qa + m) * xs / ((am + m2) * (qp + m2)),
        ):
            ds = 1.0 + aa * ds
            ds = 1.0 / np.where(np.abs(ds) < _TINY, _TINY, ds)
            cs = 1.0 + aa / cs
            cs = np.where(np.abs(cs) < _TINY, _TINY, cs)
            step = ds * cs
            h[todo] *= step
        c[todo], d[todo] = cs, ds
        todo = todo[np.abs(step - 1.0) >= _EPS]
    raise ArithmeticError("Student's t tail: the continued fraction did not converge")


def _bgrat_coefficients(terms: int = 30) -> list[float]:
    """The d_n of DiDonato & Morris's expansion (BGRAT) for b = 1/2: numbers, not arrays."""
    b, bm1 = 0.5, -0.5
    c: list[float] = []
    d: list[float] = []
    cn, n2 = 1.0, 0.0
    for n in range(1, terms + 1):
        n2 += 2.0
        cn /= n2 * (n2 + 1.0)
        c.append(cn)
        s, coef = 0.0, b - n
        for i in range(1, n):
            s += coef * c[i - 1] * d[n - i - 1]
            coef += b
        d.append(bm1 * cn + s / n)
    return d


_BGRAT_D = _bgrat_coefficients()
_BGRAT_FROM = 15.0  # the expansion holds for a >= 15 (b <= 1)


def _erfc_scaled(s: np.ndarray) -> np.ndarray:
    """exp(s^2) erfc(s) for s > 0, without underflow (asymptotic series past s^2 = 80)."""
    out = np.empty_like(s)
    low = s * s < 80.0
    out[low] = [math.exp(v * v) * math.erfc(v) for v in s[low].tolist()]
    if (~low).any():
        x = s[~low]
        inv = 1.0 / (2.0 * x * x)
        term, total = np.ones_like(x), np.ones_like(x)
        for k in range(1, 21):  # the 20th term is below 1e-20 for s^2 >= 80
            term = -term * (2 * k - 1) * inv
            total += term
        out[~low] = total / (x * math.sqrt(math.pi))
    return out


def _log_large_a(log_x: np.ndarray, a: np.ndarray) -> np.ndarray:
    """ln I_x(a, 1/2) for a >= 15 and x > 1/2: DiDonato & Morris's asymptotic expansion.

    (ACM TOMS 708, BGRAT.) Where the continued fraction needs thousands of terms and
    loses digits to rounding (many degrees of freedom, x near 1), this converges in a
    few; with b = 1/2 the incomplete gamma function it needs is erfc.
    """
    b = 0.5
    nu = a - 0.25  # a + (b - 1) / 2
    z = -nu * log_x
    s = np.sqrt(z)
    # u = exp(-z) z^b / Gamma(b) x Gamma(a + b) / Gamma(a) / nu^b; j = Q(b, z) e^z Gamma(b) / z^b
    log_u = -z + np.log(s * gamma_half_ratio(a) / np.sqrt(nu * math.pi))
    j = _erfc_scaled(s) * math.sqrt(math.pi) / s
    v = 0.25 / (nu * nu)
    t2 = 0.25 * log_x * log_x
    total, t, n2 = j.copy(), np.ones_like(j), 0.0
    for d in _BGRAT_D:
        bp2n = b + n2
        j = (bp2n * (bp2n + 1.0) * j + (z + bp2n + 1.0) * t) * v
        n2 += 2.0
        t = t * t2
        dj = d * j
        total += dj
        if np.all(np.abs(dj) <= 1e-16 * total):
            break
    return log_u + np.log(total)


def _beta_arguments(t: np.ndarray, df: np.ndarray):
    """x = df / (df + t^2), w = 1 - x, and their logarithms, each without cancelling and
    without overflow for a t near the largest float (t >= 0)."""
    root_df = np.sqrt(df)
    beyond = t >= root_df  # x <= 1/2: work from r = sqrt(df) / t <= 1
    with np.errstate(divide="ignore", over="ignore", under="ignore", invalid="ignore"):
        r = np.where(beyond, root_df / t, t / root_df)  # else s = t / sqrt(df) < 1
        r2 = r * r
        log_1r2 = np.log1p(r2)
        log_r2 = 2.0 * np.log(r)
        small = r2 / (1.0 + r2)
        big = 1.0 / (1.0 + r2)
    x = np.where(beyond, small, big)
    w = np.where(beyond, big, small)
    log_x = np.where(beyond, log_r2 - log_1r2, -log_1r2)
    log_w = np.where(beyond, -log_1r2, log_r2 - log_1r2)
    return x, w, log_x, log_w


def _log_upper_tail(t: np.ndarray, df: np.ndarray) -> np.ndarray:
    """ln P(T > t) for t >= 0 (inf allowed) and finite df > 0 (1-d arrays of one shape).

    A logarithm, so that a tail beyond the smallest float still steers `t_isf`.
    """
    a = df / 2.0
    x, w, log_x, log_w = _beta_arguments(t, df)
    # ln(x^a (1 - x)^(1/2) / B(a, 1/2)), B(a, 1/2) = sqrt(pi) Gamma(a) / Gamma(a + 1/2)
    log_front = a * log_x + 0.5 * log_w + np.log(gamma_half_ratio(a) / math.sqrt(math.pi))
    half = np.full_like(a, 0.5)
    out = np.empty_like(t)
    far = x < (a + 1.0) / (a + 2.5)  # the tail side: I_x(a, 1/2) directly
    large = far & (a >= _BGRAT_FROM) & (x > 0.5)
    if large.any():
        out[large] = _LOG_HALF + _log_large_a(log_x[large], a[large])
    far &= ~large
    if far.any():
        cf = _continued_fraction(x[far], a[far], half[far])
        out[far] = _LOG_HALF + log_front[far] + np.log(cf / a[far])
    near = ~far & ~large  # the middle: 1 - I_w(1/2, a), the tail between 0.16 and 1/2
    if near.any():
        cf = _continued_fraction(w[near], half[near], a[near])
        out[near] = np.log(0.5 - np.exp(log_front[near]) * cf)
    return np.where(t == 0.0, _LOG_HALF, out)


def _normal_upper_tail(t: np.ndarray) -> np.ndarray:
    return np.array([0.5 * math.erfc(v / math.sqrt(2.0)) for v in t.tolist()])


def t_sf(t, df) -> np.ndarray:
    """Student's t upper tail P(T > t) with `df` degrees of freedom, elementwise.

    Broadcasts as numpy does; nan where t or df is nan or df <= 0; the normal tail for
    an infinite df.
    """
    t, df = np.broadcast_arrays(np.asarray(t, dtype=float), np.asarray(df, dtype=float))
    shape = t.shape
    t, df = t.ravel(), df.ravel()
    out = np.full(t.shape, np.nan)
    valid = ~np.isnan(t) & (df > 0)  # nan df compares False
    out[valid & (t == np.inf)] = 0.0
    out[valid & (t == -np.inf)] = 1.0
    finite = valid & np.isfinite(t)
    normal = finite & (df == np.inf)
    if normal.any():
        out[normal] = _normal_upper_tail(t[normal])
    student = finite & np.isfinite(df)
    if student.any():
        ts, ds = t[student], df[student]
        tail = np.exp(_log_upper_tail(np.abs(ts), ds))
        out[student] = np.where(ts < 0, 1.0 - tail, tail)
    return out.reshape(shape)


def _log_density(t: np.ndarray, df: np.ndarray) -> np.ndarray:
    """ln of Student's t density at t >= 0 (finite df > 0): -(df + 1) / 2 ln(1 + t^2 / df)
    + ln(Gamma((df + 1) / 2) / Gamma(df / 2) / sqrt(df pi)), with ln(1 + t^2 / df) = -ln x."""
    _x, _w, log_x, _log_w = _beta_arguments(t, df)
    return (df + 1.0) / 2.0 * log_x + np.log(gamma_half_ratio(df / 2.0) / np.sqrt(df * math.pi))


def t_isf(q, df) -> np.ndarray:
    """The t whose upper tail is `q` (0 < q < 1) with `df` degrees of freedom.

    inf for q = 0, -inf for q = 1, nan outside [0, 1] or for df <= 0. Newton's method on
    ln P(T > t) as a function of ln t, from the normal quantile, until a step moves t
    by less than a part in 10^15.
    """
    from statistics import NormalDist

    q, df = np.broadcast_arrays(np.asarray(q, dtype=float), np.asarray(df, dtype=float))
    shape = q.shape
    q, df = q.ravel(), df.ravel()
    out = np.full(q.shape, np.nan)
    valid = (q >= 0) & (q <= 1) & (df > 0)
    out[valid & (q == 0)] = np.inf
    out[valid & (q == 1)] = -np.inf
    out[valid & (q == 0.5)] = 0.0
    inner = valid & (q > 0) & (q < 1) & (q != 0.5)
    if not inner.any():
        return out.reshape(shape)
    qs, ds = q[inner], df[inner]
    upper = np.where(qs < 0.5, qs, 1.0 - qs)  # solve on the upper side, mirror the lower
    normal = NormalDist()
    # Newton on g(u) = ln P(T > e^u) - ln q, which is concave and decreasing: from a start
    # left of the root the first step lands right of it, and from there the steps close
    # in from the right, so it cannot wander; u is held below ln(largest float).
    u = np.log(-np.array([normal.inv_cdf(v) for v in upper.tolist()]))
    log_target = np.log(upper)
    todo = np.flatnonzero(np.isfinite(ds))
    for _ in range(200):
        if not len(todo):
            break
        uu, dd = u[todo], ds[todo]
        tt = np.exp(uu)
        log_tail = _log_upper_tail(tt, dd)
        # d ln P(T > t) / d ln t = -t f(t) / P(T > t)
        slope = np.exp(uu + _log_density(tt, dd) - log_tail)
        step = (log_tail - log_target[todo]) / slope
        u[todo] = np.minimum(uu + step, _LOG_MAX)
        # Newton's error squares each step: after a step under 1e-10, t is exact to
        # rounding, and a further step would only chase the tail's last bit
        todo = todo[(np.abs(step) >= 1e-10) & (u[todo] < _LOG_MAX)]
    else:
        raise ArithmeticError("Student's t quantile: Newton's method did not converge")
    t = np.where(u >= _LOG_MAX, np.inf, np.exp(u))
    out[inner] = np.where(qs < 0.5, t, -t)
    return out.reshape(shape)
