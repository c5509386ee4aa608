"""Table registration for the §5.1 reproduction: gain vs misfit scatter with its OLS line
(Charikar et al. 2024, arXiv:2405.15116, Fig. 2(a–c); spec misfit.md §5.1)."""
from __future__ import annotations

import numpy as np

from ..._tables import Table, TableData, register_table
from .replication import _build_table


def _draw_figure(data: TableData, path: str) -> None:
    """The notebook's scatter: misfit (y) against gain (x), with the OLS line, per replica (numpy)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(data.series), figsize=(5 * len(data.series), 4))
    for ax, (label, s) in zip(np.atleast_1d(axes), data.series.items()):
        x = np.asarray(s["gain"])
        ax.scatter(x, s["misfit"], s=10)
        xs = np.linspace(min(0.0, x.min()), x.max(), 50)
        ax.plot(xs, s["slope"] * xs + s["intercept"], "r-", label=f"OLS slope {s['slope']:.2f}")
        ax.plot(xs, xs, "k--", lw=0.8, label="misfit = gain")
        ax.set(xlabel="gain", ylabel="misfit", title=label)
        ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


register_table(Table("misfit.replication", "Gain vs misfit, synthetic replica of wts.ipynb", "simulated [CODE setup]",
                     build=_build_table, figure=_draw_figure, claims=("misfit.replication",)))
