"""What a form's checking works out is kept on the form and dies with it: a long-running process (a notebook, a
server) that validates with fresh form objects again and again does not grow."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_SCRIPT = textwrap.dedent(
    """
    import gc, json, resource, sys
    from pathlib import Path
    import yaml
    from mtqg_cli.samples import target_values, write_unit_workbook
    from mtqg_cli.schema import load_schema
    from mtqg_cli.validate import validate_paths

    folder = Path(sys.argv[1])
    data = yaml.safe_load(Path(sys.argv[2]).read_text("utf-8"))
    data["id"] = "xa-10000"
    data["reporting"] = {"level": "commune", "period": "year", "deadline": "10/09"}
    data["layout"] = dict(data["layout"], unit_column=["Xã, phường", "Đơn vị"])
    data["units"] = [{"code": f"x{k:05d}", "name": f"Bản Thử {k:05d}", "kind": "xã"} for k in range(10_000)]
    for key in ("targets", "target_checks", "units_from", "samples"):
        data.pop(key, None)
    form_file = folder / "xa-10000.yaml"
    form_file.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    form = load_schema(form_file)
    unit = form.units[1234]
    book = write_unit_workbook(folder / "ban-thu.xlsx", form, unit, target_values(form, unit))

    def peak():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # MB (Linux: kB)

    def once():
        report = validate_paths([book], load_schema(form_file))  # a fresh form object each call
        assert report.files[0].units == [unit.code], report.to_dict()
        gc.collect()

    once()
    first = peak()
    for _ in range(19):
        once()
    print(json.dumps({"first": first, "last": peak()}))
    """
)


def test_repeated_validation_with_fresh_forms_does_not_grow(tmp_path):
    """20 calls of validate_paths on one file, each with a fresh 10,000-unit form: peak RSS grows by less than
    20 MB over the first call (each form's plan, matcher and remembered layouts go with the form)."""
    env = {"MTQG_CACHE_DIR": "0", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(tmp_path), str(ROOT / "schemas" / "son-la-du-an-8.yaml")],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["last"] - figures["first"] < 20, figures
