"""mtqg: validate, aggregate and report the Excel returns of Vietnam's national target programmes.

The command line (``mtqg``) is a thin layer over these functions; a script or a notebook can call them too.
Data flows one way: read -> validate -> aggregate -> render.
"""

from __future__ import annotations

from typing import Any

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

_WHERE = {
    "Aggregate": "aggregation",
    "aggregate": "aggregation",
    "FileResult": "validate",
    "Report": "validate",
    "validate_file": "validate",
    "validate_paths": "validate",
    "Issue": "errors",
    "MtqgError": "errors",
    "Severity": "errors",
    "Schema": "schema",
    "SchemaError": "schema",
    "list_schemas": "schema",
    "load_schema": "schema",
    "render_docx": "render.docx",
    "write_aggregate_xlsx": "render.xlsx",
    "write_samples": "samples",
}


def __getattr__(name: str) -> Any:
    """Lazy public API: `mtqg --help` must not pay for pydantic models, pandas or docxtpl."""
    if name not in _WHERE:
        raise AttributeError(name)
    import importlib

    value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value
