"""Shared fixtures: the Sơn La schema and real workbooks written into a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtqg_cli.samples import target_values, write_samples
from mtqg_cli.schema import Schema, load_schema


@pytest.fixture(scope="session", autouse=True)
def _own_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The tests keep mtqg's caches in a folder of their own, never in the user's."""
    import os

    os.environ["MTQG_CACHE_DIR"] = str(tmp_path_factory.mktemp("mtqg-cache"))


@pytest.fixture(scope="session")
def schema() -> Schema:
    return load_schema("son-la-du-an-8")


@pytest.fixture
def annex_folder(tmp_path: Path, schema: Schema) -> Path:
    """11 district workbooks holding the annex's own district figures."""
    folder = tmp_path / "annex"
    values = {u.code: target_values(schema, u) for u in schema.units}
    write_samples(folder, schema, values=values)
    return folder


@pytest.fixture
def sample_folder(tmp_path: Path, schema: Schema) -> Path:
    folder = tmp_path / "samples"
    write_samples(folder, schema)
    return folder


# Property tests measure correctness, not speed: no per-example deadline on a slow CI machine.
from hypothesis import settings  # noqa: E402

settings.register_profile("mtqg", deadline=None)
settings.register_profile("thorough", deadline=None, max_examples=20_000)  # --hypothesis-profile thorough
settings.load_profile("mtqg")
