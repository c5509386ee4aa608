"""Transcribed [CODE] scores of the official repository UMich-FATML/w2s-refinement (commit
3316c6a), as listed in spec refinement.md §5.  Transcribed, not recomputed; decimal strings so
that exact-Rational checks see the transcription, not a float rounding of it.

MAIN[(task, strong)] = {condition: (content, style)}; "weak" is the mean of 4 weak models.
"""
from __future__ import annotations

import sympy as sp

CONDITIONS = ("unaltered", "weak", "naive", "icl", "iar")

MAIN: dict[tuple[str, str], dict[str, tuple[str, str]]] = {
    ("persona, tinyTruthfulQA", "GPT-3.5"): {"unaltered": ("7.42", "1.78"), "weak": ("3.31", "7.71"),
                                             "naive": ("3.39", "7.52"), "icl": ("6.64", "7.29"),
                                             "iar": ("5.79", "8.79")},
    ("persona, tinyTruthfulQA", "4o-mini"): {"unaltered": ("8.31", "1.98"), "weak": ("3.32", "7.71"),
                                             "naive": ("3.30", "7.36"), "icl": ("7.26", "7.35"),
                                             "iar": ("6.46", "9.09")},
    ("persona, tinyAlpacaEval", "GPT-3.5"): {"unaltered": ("7.98", "2.07"), "weak": ("4.85", "7.50"),
                                             "naive": ("4.75", "7.52"), "icl": ("7.74", "5.69"),
                                             "iar": ("7.22", "8.35")},
    ("persona, tinyAlpacaEval", "4o-mini"): {"unaltered": ("8.72", "2.18"), "weak": ("4.86", "7.51"),
                                             "naive": ("4.72", "7.42"), "icl": ("8.19", "5.67"),
                                             "iar": ("7.74", "8.66")},
    ("persona, tinyMMLU", "GPT-3.5"): {"unaltered": ("7.82", "2.44"), "weak": ("4.79", "5.23"),
                                       "naive": ("4.72", "6.58"), "icl": ("6.11", "2.37"),
                                       "iar": ("6.87", "6.74")},
    ("persona, tinyMMLU", "4o-mini"): {"unaltered": ("9.01", "2.50"), "weak": ("4.86", "5.27"),
                                       "naive": ("5.07", "6.64"), "icl": ("6.97", "2.47"),
                                       "iar": ("7.30", "3.56")},
    ("explanation", "GPT-3.5"): {"unaltered": ("9.04", "0.42"), "weak": ("6.25", "5.91"),
                                 "naive": ("6.89", "5.54"), "icl": ("9.06", "2.54"), "iar": ("8.16", "7.41")},
    ("explanation", "4o-mini"): {"unaltered": ("9.58", "0.78"), "weak": ("6.25", "5.91"),
                                 "naive": ("6.95", "5.53"), "icl": ("9.40", "2.92"), "iar": ("8.46", "8.34")},
}

#: persona tinyTruthfulQA, GPT-3.5: weak model -> (weak, naive FT, ICL) content
PER_WEAK_TQA_GPT35: dict[str, tuple[str, str, str]] = {
    "falcon-7b-instruct": ("2.35", "2.55", "6.48"), "Llama-2-7b-chat": ("3.56", "3.61", "6.50"),
    "Mistral-7B-Instruct-v0.2": ("4.71", "4.57", "6.74"), "gemma-2b-it": ("2.64", "2.84", "6.84"),
}

#: math, gpt-4o-mini strong, fraction correct: dataset -> (unaltered, {weak: (naive FT, ICL-FT)})
MATH: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {
    "MATH": ("0.783", {"Llama2": ("0.068", "0.742"), "Gemma": ("0.300", "0.740"), "Mistral": ("0.352", "0.730")}),
    "GSM8K": ("0.914", {"Llama2": ("0.520", "0.907"), "Gemma": ("0.775", "0.920"), "Mistral": ("0.727", "0.930")}),
}

#: bias task, (GPT-3.5, 4o-mini): condition -> ((content, content), (female rate, female rate))
BIAS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "unaltered": (("8.97", "8.77"), ("0.71", "0.92")),
    "naive": (("7.80", "6.82"), ("1.00", "1.00")),
    "improved": (("9.03", "8.78"), ("0.96", "0.98")),
}


def R(x: str) -> sp.Rational:
    """The exact Rational of a transcribed decimal string."""
    return sp.Rational(x)


def content(cond: str) -> dict[tuple[str, str], sp.Rational]:
    return {k: R(v[cond][0]) for k, v in MAIN.items()}


def style(cond: str) -> dict[tuple[str, str], sp.Rational]:
    return {k: R(v[cond][1]) for k, v in MAIN.items()}


def mean_content_drop(cond: str, exclude: str = "tinyMMLU") -> sp.Rational:
    """Mean over rows (excluding ``exclude``) of unaltered-strong content − cond content, exact."""
    rows = [k for k in MAIN if exclude not in k[0]]
    return sp.Add(*[R(MAIN[k]["unaltered"][0]) - R(MAIN[k][cond][0]) for k in rows]) / len(rows)


def pgr(ft: sp.Rational, weak: sp.Rational, strong: sp.Rational) -> sp.Rational:
    """Burns-style performance-gap recovered (REFINE-15 criterion (i))."""
    return (ft - weak) / (strong - weak)
