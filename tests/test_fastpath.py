"""The float layer is a shortcut, never a rule: with it switched off (MTQG_FASTPATH=0) every check runs in exact
Decimal arithmetic, and the JSON of `validate` and `aggregate` is the same, on the shipped samples and on returns
made to sit at the edges (money to the cent, sums a cent off, rates at their tolerance, figures typed as text)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from mtqg_cli.forms import load_schema
from mtqg_cli.samples import write_samples

ROOT = Path(__file__).resolve().parents[1]


def _json(args: list[str], fastpath: str) -> str:
    env = dict(os.environ, MTQG_FASTPATH=fastpath)
    done = subprocess.run(
        [sys.executable, "-m", "mtqg_cli", *args, "--format", "json", "--jobs", "1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return done.stdout


def _edge_returns(folder: Path, seed: int) -> None:
    """Disbursement returns (a long form) whose figures sit where floats and Decimals could part ways."""
    form = load_schema("giai-ngan-1719")
    rng = random.Random(seed)
    values: dict[str, dict[str, dict[str, object]]] = {}
    for unit in form.units:
        lines: dict[str, dict[str, object]] = {}
        for line in form.lines:
            plan = Decimal(rng.randint(1, 10**7)) / 100
            spent = min(plan, Decimal(rng.randint(0, 10**7)) / 100)
            if rng.random() < 0.15:
                spent = plan + Decimal(rng.choice(["0.01", "0.04", "0.05", "0.06", "0.1"]))
            rate = spent / plan * 100
            nudge = Decimal(rng.choice(["0", "0", "0.05", "0.1", "0.11", "-0.1", "-0.099"]))
            shown: object = (rate + nudge).quantize(Decimal("0.01"))
            if rng.random() < 0.1:
                shown = str(shown).replace(".", ",")  # typed as text, the Vietnamese way
            lines[line.code] = {"ke_hoach": plan, "giai_ngan": spent, "ty_le": shown}
        values[unit.code] = lines
    write_samples(folder, form, values)


def test_the_float_layer_changes_no_verdict(tmp_path):
    edge = tmp_path / "bien"
    _edge_returns(edge, 20261128)
    folders = [*sorted(p for p in (ROOT / "sample_data").iterdir() if p.is_dir()), edge]
    for folder in folders:
        for command in ("validate", "aggregate"):
            exact = _json([command, str(folder)], "0")
            assert exact == _json([command, str(folder)], "1"), (command, folder.name)
    assert '"computed-mismatch"' in _json(["validate", str(edge)], "1")  # the edges were reached
