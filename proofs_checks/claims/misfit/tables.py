"""Table registration for the §5.1 reproduction: gain vs misfit scatter with its OLS line
(Charikar et al. 2024, arXiv:2405.15116, Fig. 2(a–c); spec misfit.md §5.1)."""
from __future__ import annotations

import numpy as np

from ..._tables import Table, TableData, register_table
from .replication import _build_table


def _line_band(x: np.ndarray, y: np.ndarray, xs: np.ndarray, level: float = 0.95):
    """OLS line of y on x at xs with its pointwise confidence band (classical t band)."""
    from scipy import stats

    n = x.size
    xm = x.mean()
    sxx = float(np.sum((x - xm) ** 2))
    b = float(np.sum((x - xm) * (y - y.mean())) / sxx)
    a = float(y.mean() - b * xm)
    s = float(np.sqrt(np.sum((y - a - b * x) ** 2) / (n - 2)))
    half = stats.t.isf((1 - level) / 2, n - 2) * s * np.sqrt(1 / n + (xs - xm) ** 2 / sxx)
    return a + b * xs, half, b, a


def _draw_figure(data: TableData, path: str) -> None:
    """The notebook's scatter: misfit (y) against gain (x), every seed's tasks, with the pooled OLS
    line and its 95% band, the notebook's digitised line and misfit = gain."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [(k, v) for k, v in data.series.items() if isinstance(v, dict)]
    nb = data.series.get("notebook_line")
    fig, axes = plt.subplots(1, len(panels), figsize=(5.5 * len(panels), 4.5))
    for ax, (label, s) in zip(np.atleast_1d(axes), panels):
        x, y = np.asarray(s["gain"], float), np.asarray(s["misfit"], float)
        seed = np.asarray(s.get("seed", np.zeros(x.size)))
        ax.scatter(x, y, s=8, c=seed, cmap="tab20", alpha=0.7, label=f"tasks ({len(set(seed.tolist()))} seeds)")
        xs = np.linspace(min(0.0, x.min()), x.max(), 100)
        fit, half, b, a = _line_band(x, y, xs)
        ax.plot(xs, fit, "r-", label=f"pooled OLS: {b:.2f}·gain + {a:.3g}")
        ax.fill_between(xs, fit - half, fit + half, color="r", alpha=0.2, label="95% band")
        if nb and label == "non-realizable":
            ax.plot(xs, nb[0] * xs + nb[1], "g-.", label=f"notebook (digitised): {nb[0]}·gain + {nb[1]}")
        ax.plot(xs, xs, "k--", lw=0.8, label="misfit = gain")
        ax.set(xlabel="gain = err(weak) − err(strong-on-weak)", ylabel="misfit = E(strong-on-weak − weak)²",
               title=f"{label} replica")
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


register_table(Table("misfit.replication", "Gain vs misfit, synthetic replica of wts.ipynb", "simulated [CODE setup]",
                     build=_build_table, figure=_draw_figure, claims=("misfit.replication",)))
