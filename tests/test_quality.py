"""House rules checked with the tests: the code passes ruff (lint and import order)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_is_clean():
    pytest.importorskip("ruff")
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "src", "tests", "benchmarks"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_error_codes_document_is_current():
    """docs/errors.md is generated from the catalogue (python -m mtqg_cli.errors > docs/errors.md)."""
    from mtqg_cli.errors import catalogue_markdown

    assert (ROOT / "docs" / "errors.md").read_text(encoding="utf-8") == catalogue_markdown()


def test_mypy_is_clean():
    """The package ships py.typed: its own code type-checks (libraries without type information are Any)."""
    pytest.importorskip("mypy")
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_every_word_is_in_both_languages_and_no_command_branches_on_the_language():
    """words.WORDS holds each printed word in Vietnamese and English with the same parameters; the commands take
    their words from it (and from the issue and failure catalogues), not from inline `lang == "en"` branches."""
    import re

    from mtqg_cli.words import WORDS

    for key, (vi, en) in WORDS.items():
        assert vi and en, key
        assert set(re.findall(r"{(\w+)}", vi)) == set(re.findall(r"{(\w+)}", en)), key
    branches = []
    for path in sorted((ROOT / "src" / "mtqg_cli" / "cli").glob("*.py")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if 'lang == "en"' in line and "label_en" not in line and "title_en" not in line:
                branches.append(f"{path.name}: {line.strip()}")
    assert branches == ['ledger.py: if lang == "en":  # English figures: a decimal point']


def test_every_package_is_installed():
    """pyproject.toml lists the packages to install: every folder of the library is among them (an editable install
    would hide one that is missing)."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT / "src").parts) for p in (ROOT / "src" / "mtqg_cli").rglob("__init__.py")
    }
    assert found <= listed, found - listed
