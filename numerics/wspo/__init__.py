"""Simulators for the WSPO family (Zhu et al., arXiv 2410.18640; spec wspo.md): numpy
reference and torch (device-agnostic).  numba is not used: no loop dominates here."""
from . import _autoregressive as ar
from . import _contextual as contextual
from . import _gaussian as gaussian
from ._categorical import (Fit, delta, grad, hessian, kl, log_softmax, loss, minimise,
                           minimise_batch, on_policy, residual, Tilt, tilt,
                           tilt_from, tv)
from ._loss import residuals, seq_loss, seq_loss_torch
from ._optim import adam_numpy, adam_torch
from ._torch import single_thread
from ._validate import check_data, check_gamma, check_policies, check_same_vocab, smooth

__all__ = [
    "Fit", "Tilt", "adam_numpy", "adam_torch", "ar", "check_data", "check_gamma", "check_policies", "check_same_vocab",
    "contextual", "delta", "gaussian", "grad", "hessian", "kl", "log_softmax", "loss", "minimise", "minimise_batch", "on_policy",
    "residual", "residuals", "seq_loss", "seq_loss_torch", "single_thread", "smooth", "tilt", "tilt_from", "tv",
]
