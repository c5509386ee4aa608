"""Citations and small helpers shared by the built-in claim families."""
from __future__ import annotations

from .._claim import Citation

CHARIKAR = "Charikar, Pabbaraju, Shiragur — Quantifying the Gain in Weak-to-Strong Generalization"
MULGUND = "Mulgund & Pabbaraju — Relating Misfit to Gain in W2S Beyond the Squared Loss"
SOMERSTEP = "Somerstep, Polo et al. — A Transfer Learning Framework for Weak-to-Strong Generalization"
WSPO = "Zhu et al. — Weak-to-Strong Preference Optimization"
AWANO = "Awano & Suzuki — The Mechanism of W2S: Feature Elicitation from Latent Knowledge"


def charikar(where: str, spec: str) -> Citation:
    return Citation(CHARIKAR, "2405.15116", where, spec)


def mulgund(where: str, spec: str) -> Citation:
    return Citation(MULGUND, "2501.19105", where, spec)
