from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from helpers import ANNEX_DISTRICT_ROW, ANNEX_PHASE_ROW, ANNEX_PROVINCE_ROW
from mtqg_cli.schema import SchemaError, list_schemas, load_schema

SHIPPED = Path(__file__).resolve().parents[1] / "schemas" / "son-la-du-an-8.yaml"


def test_annex_is_transcribed_whole(schema):
    assert [u.name for u in schema.units] == [
        "Bắc Yên",
        "Mai Sơn",
        "Mộc Châu",
        "Mường La",
        "Phù Yên",
        "Quỳnh Nhai",
        "Sông Mã",
        "Sốp Cộp",
        "Thuận Châu",
        "Vân Hồ",
        "Yên Châu",
    ]
    codes = [i.code for i in schema.indicators]
    assert len(codes) == 12 and codes[0] == "so_ban_dbkk"
    assert [int(schema.targets.phase[c]) for c in codes[1:]] == ANNEX_PHASE_ROW
    assert int(schema.targets.phase["so_ban_dbkk"]) == 1449
    province, districts = schema.targets.parts
    assert (province.share, districts.share) == (0.48, 0.52)
    assert [int(province.values[c]) for c in codes[1:]] == ANNEX_PROVINCE_ROW
    assert [int(districts.values[c]) for c in codes[1:]] == ANNEX_DISTRICT_ROW[1:]
    assert schema.target_for("song-ma", "to_truyen_thong") == Decimal(88)
    assert [i.window for i in schema.indicators][1:4] == ["2022-2024", "2023-2024", "2023-2024"]
    assert schema.check_targets() == []


def test_listed(schema):
    assert "son-la-du-an-8" in [s.id for s in list_schemas()]


def test_row_model_checks_types_and_bounds(schema):
    model = schema.row_model()
    assert model(to_tkvvtb=3).to_tkvvtb == 3
    with pytest.raises(ValidationError) as exc:
        model(to_tkvvtb=-1, clb_thu_linh=Decimal("2.5"))
    assert sorted((e["loc"][0], e["type"]) for e in exc.value.errors()) == [
        ("clb_thu_linh", "int_from_float"),
        ("to_tkvvtb", "greater_than_equal"),
    ]


def _write(tmp_path, data, name="bad.yaml"):
    p = tmp_path / name
    p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return p


def test_bad_schema_names_key_and_line(tmp_path):
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    data["indicators"][2]["type"] = "money"
    p = _write(tmp_path, data)
    with pytest.raises(SchemaError) as exc:
        load_schema(p)
    msg = exc.value.message("en")
    assert "indicators.2.type" in msg
    line = next(i for i, text in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if "type: money" in text)
    assert f"line {line}," in msg


def test_published_sums_are_checked_on_load(tmp_path):
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    data["targets"]["units"]["bac-yen"]["to_tkvvtb"] = 7  # the annex says 6
    with pytest.raises(SchemaError) as exc:
        load_schema(_write(tmp_path, data))
    assert "to_tkvvtb: units = 115, districts = 114" in exc.value.message("en")


def test_unknown_indicator_in_targets(tmp_path):
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    data["targets"]["phase"]["to_khong_co"] = 1
    with pytest.raises(SchemaError) as exc:
        load_schema(_write(tmp_path, data))
    assert "unknown indicator 'to_khong_co'" in exc.value.message("en")


def test_yaml_syntax_error_has_line(tmp_path):
    p = tmp_path / "broken.yaml"
    p.write_text("id: x\ntitle: [unclosed\n", encoding="utf-8")
    with pytest.raises(SchemaError) as exc:
        load_schema(p)
    assert "line 3" in exc.value.message("en") or "line 2" in exc.value.message("en")


def test_unknown_id_lists_known():
    with pytest.raises(SchemaError) as exc:
        load_schema("khong-co")
    assert "son-la-du-an-8" in exc.value.message("vi")


def test_loaded_forms_are_cached_and_rebuilt_when_a_source_changes(tmp_path, monkeypatch):
    """A form is parsed once; its cached copy is used only while the form and the unit list it read are unchanged."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("MTQG_CACHE_DIR", str(cache))
    folder = tmp_path / "forms"
    (folder / "units").mkdir(parents=True)
    communes = [{"code": f"x{k:04d}", "name": f"Xã Số {k:04d}", "kind": "xã", "level": "commune"} for k in range(300)]
    units_file = folder / "units" / "tinh-thu.yaml"
    units_file.write_text(yaml.safe_dump({"units": communes}, allow_unicode=True), encoding="utf-8")
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    for key in ("units", "targets", "target_checks"):
        data.pop(key, None)
    data["id"] = "thu-cache"
    data["reporting"] = {"level": "commune", "period": "year"}
    data["units_from"] = {"file": "tinh-thu", "level": "commune"}
    form = _write(folder, data)

    first = load_schema(form)
    entries = list((cache / "schemas").glob("*.pickle"))
    assert len(entries) == 1 and len(first.units) == 300
    again = load_schema(form)
    assert again == first and again is not first
    assert list((cache / "schemas").glob("*.pickle")) == entries  # read back, not rebuilt

    entries[0].write_bytes(b"not a pickle")  # a damaged entry is rebuilt, not trusted
    assert load_schema(form) == first
    assert entries[0].read_bytes()[:1] == b"\x80"  # written again as a pickle

    communes.append({"code": "x9999", "name": "Xã Mới", "kind": "xã", "level": "commune"})
    units_file.write_text(yaml.safe_dump({"units": communes}, allow_unicode=True), encoding="utf-8")
    changed = load_schema(form)
    assert [u.code for u in changed.units][-1] == "x9999" and len(changed.units) == 301

    monkeypatch.setenv("MTQG_CACHE_DIR", "0")
    off = tmp_path / "forms" / "off.yaml"
    off.write_text(form.read_text(encoding="utf-8").replace("thu-cache", "thu-cache-2"), encoding="utf-8")
    assert load_schema(off).id == "thu-cache-2"
    # the rebuild replaced the stale entry; "off" wrote none
    assert len(list((cache / "schemas").glob("*.pickle"))) == 1
