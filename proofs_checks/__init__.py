"""w2s-harness: the claim registry and the engine that binds :mod:`theory` to :mod:`numerics`.

Public API (everything a user needs to write and verify their own claims)::

    from proofs_checks import Claim, Citation, Domain, Param, SymbolicCheck, register
"""
from numerics import InvalidParameter

from ._checks import CheckResult, run_check
from ._claim import (CHECK_KINDS, Check, Citation, Claim, CounterexampleCheck, NumericCheck, Outcome,
                     PropertyCheck, Provenance, Rate, RatePoints, SymbolicCheck)
from ._context import RunContext
from ._domain import Constraint, Domain, Param
from ._errors import BackendError, ParameterError, Reject, UnknownClaimError, UsageError, W2SError
from ._registry import all_claims, claim, get, register, select
from ._report import Report
from ._runner import verify, verify_claim
from ._statement import current_claim, current_statement, statement_function, statement_part
from ._tables import Stat, Table, TableData, register_table

__all__ = [
    "CHECK_KINDS", "BackendError", "Check", "CheckResult", "Citation", "Claim", "Constraint",
    "CounterexampleCheck", "Domain", "InvalidParameter", "NumericCheck", "Outcome", "Param", "ParameterError",
    "PropertyCheck", "Provenance", "Rate", "RatePoints", "Reject", "Report", "RunContext", "Stat", "SymbolicCheck", "Table",
    "TableData", "UnknownClaimError", "UsageError", "W2SError", "all_claims", "claim", "get", "register",
    "register_table", "run_check", "select", "verify", "verify_claim", "current_claim", "current_statement",
    "statement_function", "statement_part",
]
