"""Checking received workbooks against a form.

The rooms, in the order a workbook's data flows through them (``docs/architecture.md``):

- :mod:`.batch`: the files of a batch, the form each holds, this process or worker processes;
- :mod:`.rows`: a located table's rows read into units (or lines) and figures, with the row-level issues;
- :mod:`.checks`: the rules on the figures, one function per rule kind, in exact arithmetic;
- :mod:`.fastpath`: the float layer that settles most checks without Decimals (``MTQG_FASTPATH=0`` turns it off);
- :mod:`.plan`: what a form needs for all that, worked out once and kept on the form;
- :mod:`.results`: what comes back (rows, a file's result, the batch's report).

``validate_file`` never raises for bad data: every problem becomes an :class:`~mtqg_cli.errors.Issue` in the
file's result. ``validate_paths`` runs a batch and adds the checks that need the whole batch (the same unit sent
twice).
"""

from ..formula import evaluate
from .batch import (
    POOL_MIN_FILES,
    Collected,
    best_schema,
    collect_paths,
    validate_each,
    validate_file,
    validate_paths,
    validate_workbook,
)
from .results import NO_FIGURES, Figures, FileResult, PackedRows, Report, UnitRow, file_columns, row_figures

__all__ = [
    "NO_FIGURES",
    "POOL_MIN_FILES",
    "Collected",
    "FileResult",
    "Figures",
    "PackedRows",
    "Report",
    "UnitRow",
    "best_schema",
    "collect_paths",
    "validate_each",
    "evaluate",
    "file_columns",
    "row_figures",
    "validate_file",
    "validate_paths",
    "validate_workbook",
]
