"""Test helpers: the annex's printed figures, workbook writers, LibreOffice conversion."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from mtqg_cli.samples import target_values, write_unit_workbook
from mtqg_cli.schema import Schema

# The annex of Kế hoạch 286/KH-UBND, as printed (not read from the schema): the district row, the province row
# and the phase target row, in the annex's column order.
ANNEX_DISTRICT_ROW = [1449, 416, 114, 70, 19, 36, 168, 71, 52, 23, 18, 61]
ANNEX_PROVINCE_ROW = [384, 106, 64, 18, 34, 155, 65, 48, 21, 17, 56]
ANNEX_PHASE_ROW = [800, 220, 134, 37, 70, 323, 136, 100, 44, 35, 117]


def write_unit(path: Path, schema: Schema, unit_code: str, **kwargs: object) -> Path:
    unit = schema.unit_by_code[unit_code]
    values = kwargs.pop("values", None) or target_values(schema, unit)
    return write_unit_workbook(path, schema, unit, values, **kwargs)  # type: ignore[arg-type]


def libreoffice() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


def convert_with_libreoffice(src: Path, fmt: str, outdir: Path) -> Path:
    """Convert through LibreOffice headless; the converted file's path."""
    exe = libreoffice()
    assert exe is not None
    subprocess.run(
        [exe, "--headless", "--norestore", "--convert-to", fmt, "--outdir", str(outdir), str(src)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    out = outdir / (src.stem + "." + fmt.split(":")[0])
    assert out.is_file(), f"LibreOffice did not write {out}"
    return out


needs_libreoffice = pytest.mark.skipif(libreoffice() is None, reason="LibreOffice is not installed")


def install_form(folder: Path, monkeypatch: Any, file_name: str, text: str, form_id: str) -> Schema:
    """A form written as YAML into its own folder, that folder made the user's form folder, the form loaded."""
    from mtqg_cli.schema import load_schema

    folder.mkdir(parents=True, exist_ok=True)
    (folder / file_name).write_text(text, encoding="utf-8")
    monkeypatch.setenv("MTQG_SCHEMAS", str(folder))
    return load_schema(form_id)
