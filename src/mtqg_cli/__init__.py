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
    "Aggregate": "aggregate",
    "aggregate": "aggregate",
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
    # Lazy: `mtqg --help` must not pay for pandas, pydantic models or docxtpl.
    if name in _WHERE:
        import importlib

        module = importlib.import_module(f".{_WHERE[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(name)
