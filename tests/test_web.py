"""mtqg serve: a unit checks and sends its own return, the officer follows; every refusal at the HTTP level (wrong
code, another unit's return, oversized or renamed file, missing CSRF token), and the same workbook through the
page and through `mtqg ingest` recorded the same."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from helpers import write_unit
from mtqg_cli.cli.app import app as cli
from mtqg_cli.store import Store
from mtqg_cli.validate import validate_file
from mtqg_cli.web.access import Access
from mtqg_cli.web.app import create_app
from mtqg_cli.web.codes import issue_codes

FORM, PERIOD = "son-la-du-an-8", "2024"


@pytest.fixture(params=["sqlite", "postgresql"])
def office(request, tmp_path, monkeypatch):
    """A ledger (SQLite in a folder, or the shared PostgreSQL database) with codes issued for the form's 11
    districts (read back from the sheet) and an officer code."""
    if request.param == "sqlite":
        store = str(tmp_path / "kho")
    else:
        from test_store import PG_URL, _pg_reachable, _reset_pg

        reason = _pg_reachable()
        if reason:
            pytest.skip(reason)
        _reset_pg()
        store = PG_URL
        monkeypatch.setenv("MTQG_ARCHIVE", str(tmp_path / "luu-tru"))
    sheet = tmp_path / "ma-truy-cap.xlsx"
    done = issue_codes(store, FORM, PERIOD, sheet)
    rows = list(load_workbook(sheet).active.iter_rows(min_row=5, values_only=True))
    codes = {name: code for _, name, code, _ in rows}
    officer = Access(Store(store).engine).issue("officer")
    return {"store": store, "codes": codes, "officer": officer, "count": done.count, "sheet": sheet}


def _client(office, **kwargs):
    app = create_app(office["store"], **kwargs)
    app.config["TESTING"] = True
    return app.test_client()


def _csrf(client, path="/") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf" value="([^"]+)"', page)[1]


def _sign_in(client, code):
    return client.post("/dang-nhap", data={"code": code, "csrf": _csrf(client)})


def _upload(client, path: Path, name: str | None = None, data: bytes | None = None):
    body = data if data is not None else path.read_bytes()
    form = {"csrf": _csrf(client, "/don-vi"), "workbook": (io.BytesIO(body), name or path.name)}
    return client.post("/don-vi/nop", data=form, content_type="multipart/form-data")


def test_codes_are_issued_one_per_unit_and_stored_hashed(office):
    assert office["count"] == 11 and len(set(office["codes"].values())) == 11
    assert all(re.fullmatch(r"([A-HJ-NP-Z2-9]{4}-){3}[A-HJ-NP-Z2-9]{4}", c) for c in office["codes"].values())
    from sqlalchemy import select

    access = Access(Store(office["store"]).engine)
    with access.engine.connect() as conn:
        stored = [tuple(str(v) for v in r) for r in conn.execute(select(access.codes))]
    plain = {c.replace("-", "") for c in office["codes"].values()}
    assert not any(value in plain or value[4:] in {p[4:] for p in plain} for row in stored for value in row)
    grant = access.check(office["codes"]["Mộc Châu"].lower())  # typed in lower case: the same code
    assert grant is not None and (grant.unit, grant.schema_id, grant.period) == ("moc-chau", FORM, PERIOD)


def test_a_unit_sends_a_broken_return_sees_its_cells_then_a_corrected_one(office, tmp_path, schema):
    client = _client(office)
    assert _sign_in(client, office["codes"]["Mộc Châu"]).headers["Location"] == "/don-vi"
    page = client.get("/don-vi").get_data(as_text=True)
    assert "Mộc Châu" in page and "năm 2024" in page and "Hạn nộp" in page and "10/09/2024" in page
    blank = client.get("/don-vi/bieu-trong")
    assert blank.status_code == 200
    assert load_workbook(io.BytesIO(blank.data)).active.max_row > 5
    broken = write_unit(tmp_path / "moc-chau_2024.xlsx", schema, "moc-chau", total={"to_tkvvtb": 99})
    answer = _upload(client, broken)
    assert answer.status_code == 302
    result = client.get(answer.headers["Location"]).get_data(as_text=True)
    expected = [i for i in validate_file(broken, schema).errors]
    assert "Có lỗi — cần sửa rồi nộp lại" in result and expected
    for issue in expected:  # every error with its cell and its fix, as the command line says them
        assert issue.cell in result and issue.fix("vi").split("{")[0][:30] in result.replace("&#39;", "'")
    sid = int(answer.headers["Location"].rsplit("/", 1)[1])
    copy = client.get(f"/don-vi/ban-sua/{sid}")
    assert copy.status_code == 200 and "Lỗi cần sửa" in load_workbook(io.BytesIO(copy.data)).sheetnames[0]
    fixed = write_unit(tmp_path / "sua" / "moc-chau_2024.xlsx", schema, "moc-chau")
    again = client.get(_upload(client, fixed).headers["Location"]).get_data(as_text=True)
    assert "Đạt — đã ghi sổ" in again
    versions = Store(office["store"]).history(schema, "moc-chau", PERIOD)
    assert [(v["version"], v["accepted"]) for v in versions] == [(1, False), (2, True)]
    # the officer sees it: Mộc Châu sent, with one rejected attempt, the others missing
    officer = _client(office)
    assert _sign_in(officer, office["officer"]).headers["Location"] == "/can-bo"
    status = officer.get("/can-bo").get_data(as_text=True)
    row = re.search(r'<tr class="state-(\w+)"><td>Mộc Châu</td>.*?</tr>', status, re.S)
    assert row and row[1] in ("on-time", "late") and "Chưa nộp" in status
    history = officer.get(f"/can-bo/lich-su/{FORM}/{PERIOD}/moc-chau").get_data(as_text=True)
    assert "Lần 1" in history and "Lần 2" in history
    report = officer.get(f"/can-bo/bao-cao/{FORM}/{PERIOD}/xlsx")
    assert report.status_code == 200 and load_workbook(io.BytesIO(report.data)).sheetnames


def test_every_refusal(office, tmp_path, schema):
    client = _client(office, upload_bytes=200_000)
    # a wrong code, and a code typed with one letter changed
    assert _sign_in(client, "AAAA-BBBB-CCCC-DDDD").status_code == 401
    good = office["codes"]["Mộc Châu"]
    wrong = good[:-1] + ("A" if good[-1] != "A" else "B")
    answer = _sign_in(client, wrong)
    assert answer.status_code == 401 and "không đúng" in answer.get_data(as_text=True)
    # a form post without the session's token
    assert client.post("/dang-nhap", data={"code": good}).status_code == 400
    assert client.post("/dang-nhap", data={"code": good, "csrf": "x" * 40}).status_code == 400
    # the unit pages need a unit's sign-in; the officer's need the officer's
    assert client.get("/don-vi").headers["Location"] == "/"
    _sign_in(client, good)
    assert client.get("/can-bo").headers["Location"] == "/"
    # another unit's return: not found, whether its number exists or not
    other = _client(office)
    _sign_in(other, office["codes"]["Sông Mã"])
    theirs = _upload(other, write_unit(tmp_path / "song-ma_2024.xlsx", schema, "song-ma")).headers["Location"]
    sid = int(theirs.rsplit("/", 1)[1])
    assert client.get(f"/don-vi/ket-qua/{sid}").status_code == 404
    assert client.get(f"/don-vi/ban-sua/{sid}").status_code == 404
    # a workbook holding another unit's row
    answer = _upload(client, write_unit(tmp_path / "yen-chau_2024.xlsx", schema, "yen-chau"), "bao-cao.xlsx")
    assert answer.status_code == 422 and "Yên Châu" in answer.get_data(as_text=True)
    # a file over the size limit, a file of another type, a text file renamed .xlsx
    assert _upload(client, tmp_path / "x.xlsx", "lon.xlsx", b"0" * 300_000).status_code == 413
    assert _upload(client, tmp_path / "x.pdf", "bao-cao.pdf", b"%PDF-1.4").status_code == 415
    renamed = tmp_path / "doi-ten.xlsx"
    renamed.write_text("Đây không phải bảng tính", encoding="utf-8")
    answer = _upload(client, renamed)
    said = validate_file(renamed, schema).errors[0].message("vi")
    assert answer.status_code == 422 and said.split(":")[0] in answer.get_data(as_text=True)
    # nothing of the refused files was recorded
    assert [s.unit for s in Store(office["store"]).submissions_for(FORM)] == ["song-ma"]
    # a revoked code ends the session at the next page
    assert client.get("/don-vi").status_code == 200
    runner = CliRunner()
    done = runner.invoke(
        cli, ["serve", "revoke", "--form", FORM, "--period", PERIOD, "--unit", "Mộc Châu", "--store", office["store"]]
    )
    assert done.exit_code == 0, done.output
    assert client.get("/don-vi").headers["Location"] == "/"
    assert _sign_in(_client(office), good).status_code == 401


def test_the_same_workbook_through_the_page_and_the_command_line_is_recorded_the_same(office, tmp_path, schema):
    path = write_unit(tmp_path / "mai-son_2024.xlsx", schema, "mai-son")
    client = _client(office)
    _sign_in(client, office["codes"]["Mai Sơn"])
    _upload(client, path)
    elsewhere = str(tmp_path / "kho-cli")
    runner = CliRunner()
    args = ["ingest", str(path), "-s", FORM, "-p", PERIOD, "--store", elsewhere]
    assert runner.invoke(cli, args).exit_code == 0
    web, cli_store = Store(office["store"]), Store(elsewhere)
    [a], [b] = web.submissions_for(FORM, PERIOD, "mai-son"), cli_store.submissions_for(FORM, PERIOD, "mai-son")
    same = ("unit", "period", "version", "file_name", "sha256", "accepted", "errors", "warnings", "issues")
    assert {k: getattr(a, k) for k in same} == {k: getattr(b, k) for k in same}
    assert web.figures_of(a.id) == cli_store.figures_of(b.id) and web.figures_of(a.id)
    assert web.totals(schema, PERIOD) == cli_store.totals(schema, PERIOD)
    # sent again through the page: the same file is recorded once
    _upload(client, path)
    assert len(web.submissions_for(FORM, PERIOD, "mai-son")) == 1


def test_every_action_is_logged(office, tmp_path, schema):
    client = _client(office)
    _sign_in(client, "AAAA-BBBB-CCCC-DDDD")
    _sign_in(client, office["codes"]["Bắc Yên"])
    _upload(client, write_unit(tmp_path / "bac-yen_2024.xlsx", schema, "bac-yen"))
    client.get("/don-vi/bieu-trong")
    actions = [e.action for e in reversed(Access(Store(office["store"]).engine).recent())]
    assert actions[-4:] == ["sign-in-refused", "sign-in", "upload", "blank-form"]


def _browser():
    """Debian's headless Chromium through its ChromeDriver (installed by .ci/run); None when either is missing."""
    import shutil

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        return None
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"):
        options.add_argument(arg)
    return webdriver.Chrome(options=options, service=Service(driver))


@pytest.fixture
def served(office):
    """The application on a free local port, served by waitress as `mtqg serve` does."""
    import threading

    from waitress.server import create_server

    server = create_server(create_app(office["store"]), host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


def test_in_a_real_browser_a_unit_fixes_its_return_and_the_officer_sees_it(office, served, tmp_path, schema):
    import os

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as shown
    from selenium.webdriver.support.ui import WebDriverWait

    browser = _browser()
    if browser is None:
        pytest.skip("Chromium or ChromeDriver is not installed (.ci/run installs Debian's chromium, chromium-driver)")
    shots = Path(os.environ.get("MTQG_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    broken = write_unit(tmp_path / "moc-chau_2024.xlsx", schema, "moc-chau", total={"to_tkvvtb": 99})
    fixed = write_unit(tmp_path / "sua" / "moc-chau_2024.xlsx", schema, "moc-chau")
    try:
        browser.get(served + "/")
        browser.find_element(By.ID, "code").send_keys(office["codes"]["Mộc Châu"])
        browser.find_element(By.ID, "sign-in").click()
        WebDriverWait(browser, 20).until(shown.presence_of_element_located((By.ID, "workbook")))
        assert browser.find_element(By.TAG_NAME, "h1").text == "Mộc Châu"
        browser.find_element(By.ID, "workbook").send_keys(str(broken))
        browser.find_element(By.ID, "send").click()
        WebDriverWait(browser, 20).until(shown.presence_of_element_located((By.ID, "verdict")))
        assert browser.find_element(By.ID, "verdict").text == "Có lỗi — cần sửa rồi nộp lại"
        cells = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "tr.error td:nth-child(2)")]
        assert cells and set(cells) == {i.cell for i in validate_file(broken, schema).errors}
        assert browser.save_screenshot(str(shots / "don-vi-tep-loi.png"))
        browser.get(served + "/don-vi")
        browser.find_element(By.ID, "workbook").send_keys(str(fixed))
        browser.find_element(By.ID, "send").click()
        WebDriverWait(browser, 20).until(shown.presence_of_element_located((By.ID, "verdict")))
        assert browser.find_element(By.ID, "verdict").text == "Đạt — đã ghi sổ"
        assert browser.save_screenshot(str(shots / "don-vi-tep-dat.png"))
        browser.get(served + "/don-vi")
        browser.find_element(By.CSS_SELECTOR, "header form button").click()
        WebDriverWait(browser, 20).until(shown.presence_of_element_located((By.ID, "code")))
        browser.find_element(By.ID, "code").send_keys(office["officer"])
        browser.find_element(By.ID, "sign-in").click()
        WebDriverWait(browser, 20).until(shown.presence_of_element_located((By.CSS_SELECTOR, "table.status")))
        row = browser.find_element(By.XPATH, "//table[@class='status']//tr[td[1]='Mộc Châu']")
        assert row.get_attribute("class") in ("state-on-time", "state-late") and "1" in row.text
        missing = browser.find_elements(By.CSS_SELECTOR, "table.status tr.state-missing")
        assert len(missing) == 10
        assert browser.save_screenshot(str(shots / "can-bo-tinh-hinh.png"))
        # English, on the same page
        browser.get(served + "/can-bo?lang=en")
        assert browser.find_element(By.TAG_NAME, "h1").text == "Who has reported"
    finally:
        browser.quit()


def test_a_ministrys_codes_are_issued_at_once_each_key_its_own(tmp_path):
    """3,321 communes' codes in one go: a code's 4-character key meets another's a few times in that many (the
    first version drew again inside its own transaction and waited for itself until SQLite gave up); every code
    opens its own unit, and issuing again revokes the earlier ones."""
    import random

    access = Access(Store(str(tmp_path / "kho")).engine)
    units = [f"x{k:05d}" for k in range(3321)]
    codes = access.issue_many("unit", "bieu-xa", "2026", units)
    assert len({c[:4] for c in codes}) == len(codes) == 3321
    for k in random.Random(7).sample(range(3321), 25):
        grant = access.check(codes[k])
        assert grant is not None and grant.unit == units[k]
    again = access.issue_many("unit", "bieu-xa", "2026", units[:2])
    assert access.check(codes[0]) is None and access.check(again[0]).unit == units[0]
    assert access.check(codes[2]).unit == units[2]  # the others are untouched


def test_the_pages_speak_the_language_the_office_chose_and_a_visitor_can_switch(office):
    english = _client(office, lang="en")
    assert "Access code" in english.get("/").get_data(as_text=True)
    assert "Mã truy cập" in english.get("/?lang=vi").get_data(as_text=True)
    assert "Mã truy cập" in _client(office).get("/").get_data(as_text=True)


def test_a_session_ends_after_a_working_day_even_in_use(office):
    client = _client(office)
    _sign_in(client, office["codes"]["Mai Sơn"])
    assert client.get("/don-vi").status_code == 200
    with client.session_transaction() as sess:
        sess["since"] = sess["since"] - 13 * 3600
    assert client.get("/don-vi").headers["Location"] == "/"
