"""mtqg: validate, aggregate and report the Excel returns of Vietnam's national target programmes.

The command line (``mtqg``) is a thin layer over these functions; a script or a notebook can call them too.
Data flows one way: read -> validate -> aggregate -> render.
"""

from __future__ import annotations

# Heavy libraries (pandas, docxtpl, openpyxl) are imported inside the functions that need them.
from .aggregate import Aggregate, aggregate
from .errors import Issue, MtqgError, Severity
from .render.docx import render_docx
from .render.xlsx import write_aggregate_xlsx
from .samples import write_samples
from .schema import Schema, SchemaError, list_schemas, load_schema
from .validate import FileResult, Report, validate_file, validate_paths

__version__ = "0.1.0"

__all__ = [
    "Aggregate",
    "FileResult",
    "Issue",
    "MtqgError",
    "Report",
    "Schema",
    "SchemaError",
    "Severity",
    "aggregate",
    "list_schemas",
    "load_schema",
    "render_docx",
    "validate_file",
    "validate_paths",
    "write_aggregate_xlsx",
    "write_samples",
]
