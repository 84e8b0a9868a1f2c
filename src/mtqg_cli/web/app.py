"""The pages of ``mtqg serve``: a unit signs in with its access code, downloads its blank form, uploads its
workbook and sees at once every problem with its cell and fix, and downloads the annotated copy; the officer sees
who has sent what and downloads the compiled report. Every page is rendered on the server (no JavaScript).

The same library calls as the command line: :meth:`Store.ingest_checked` records an upload exactly as ``mtqg
ingest`` records a file (versions, the same file twice recorded once, a rejected return kept as an attempt),
:func:`validate_file` reads it with the same sniffing and bounds, :func:`write_feedback` writes the annotated copy,
:func:`compile_report` the report.

Safety: uploads are bounded in size (``MAX_CONTENT_LENGTH``) and in type (by suffix, then by content as the CLI
sniffs it); an upload is written under a name this module makes, in a folder it makes; every form post carries the
session's CSRF token; sessions are signed, expire, and end when their code is revoked; a unit reaches only its own
returns; every action is logged (:class:`Access`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..errors import Issue, MtqgError, Severity
from ..words import word
from .access import Access, Grant

UPLOAD_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
UPLOAD_BYTES = 10 * 1024 * 1024  # a return is tens of kilobytes; a workbook with photos a few megabytes
SESSION_HOURS_AT_MOST = 12  # a session idle for its minutes ends (the cookie's life); a working day ends it anyway


def create_app(
    store: str | None = None,
    archive: str | None = None,
    upload_bytes: int = UPLOAD_BYTES,
    session_minutes: int = 30,
    secret_key: bytes | None = None,
    lang: str = "vi",
) -> Any:
    """The web application over the ledger at ``store`` (a folder or a PostgreSQL URL, as ``--store``); its pages
    in ``lang`` until a visitor chooses the other language."""
    from flask import Flask

    from ..forms import shipped_dir
    from ..store import Store

    app = Flask(__name__, template_folder=str(shipped_dir("templates") / "web"), static_folder=None)
    app.config.update(
        SECRET_KEY=secret_key or secrets.token_bytes(32),  # a restart signs everyone out
        MAX_CONTENT_LENGTH=upload_bytes,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(minutes=session_minutes),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
    )
    ledger = Store(store, archive=archive)
    app.extensions["mtqg"] = {"store": ledger, "location": store, "access": Access(ledger.engine), "lang": lang}
    _routes(app)
    return app


def _routes(app: Any) -> None:  # noqa: C901 (one place for every page: read in one sitting)
    from flask import abort, g, redirect, render_template, request, send_file, session

    mtqg = app.extensions["mtqg"]
    ledger, access = mtqg["store"], mtqg["access"]

    def lang() -> str:
        return "en" if session.get("lang", mtqg["lang"]) == "en" else "vi"

    def w(key: str, **params: Any) -> str:
        return word(key, lang(), **params)

    @app.context_processor
    def _words() -> dict[str, Any]:
        limit = f"{app.config['MAX_CONTENT_LENGTH'] // (1024 * 1024)} MB"
        return {"w": w, "lang": lang(), "csrf": session.get("csrf", ""), "limit": limit}

    @app.before_request
    def _guard() -> Any:
        if request.args.get("lang") in ("vi", "en"):
            session["lang"] = request.args["lang"]
        session.permanent = True
        session.setdefault("csrf", secrets.token_urlsafe(32))
        if request.method == "POST":
            sent = request.form.get("csrf", "")
            if not sent or not secrets.compare_digest(sent, session["csrf"]):
                access.log(_who(session), "csrf-refused", request.path)
                return render_template("message.html", title=w("web-refused"), text=w("web-csrf")), 400
        g.grant = access.grant(session["key"]) if session.get("key") else None
        since = float(session.get("since", 0))
        too_old = dt.datetime.now().timestamp() - since > SESSION_HOURS_AT_MOST * 3600
        if session.get("key") and (g.grant is None or too_old):  # revoked, or signed in too long ago: signed out
            _sign_out(session)
            g.grant = None
        return None

    @app.errorhandler(413)
    def _too_large(_exc: Any) -> Any:
        access.log(_who(session), "upload-too-large", str(request.content_length))
        text = w("web-too-large", limit=f"{app.config['MAX_CONTENT_LENGTH'] // (1024 * 1024)} MB")
        return render_template("message.html", title=w("web-refused"), text=text), 413

    @app.errorhandler(404)
    def _not_found(_exc: Any) -> Any:
        return render_template("message.html", title=w("web-not-found"), text=w("web-not-found-text")), 404

    @app.get("/")
    def home() -> Any:
        grant = g.grant
        if grant is not None:
            return redirect("/can-bo" if grant.role == "officer" else "/don-vi")
        return render_template("sign_in.html", error="")

    @app.post("/dang-nhap")
    def sign_in() -> Any:
        code = request.form.get("code", "")
        grant = access.check(code)
        if grant is None:
            access.log("?", "sign-in-refused", re.sub(r"[^A-Za-z0-9]", "", code)[:4])
            return render_template("sign_in.html", error=w("web-wrong-code")), 401
        chosen = session.get("lang")
        session.clear()
        session.update(key=grant.key, since=dt.datetime.now().timestamp(), csrf=secrets.token_urlsafe(32))
        if chosen:
            session["lang"] = chosen
        access.log(_who(session, grant), "sign-in")
        return redirect("/can-bo" if grant.role == "officer" else "/don-vi")

    @app.post("/dang-xuat")
    def sign_out() -> Any:
        access.log(_who(session, g.grant), "sign-out")
        _sign_out(session)
        return redirect("/")

    # -- a unit

    def signed(role: str) -> Grant:
        """The grant of a session signed in as ``role``; anyone else is sent to the sign-in page."""
        grant = g.grant
        if grant is None or grant.role != role:
            abort(redirect("/"))
        return grant

    def unit_grant() -> Grant:
        return signed("unit")

    @app.get("/don-vi")
    def unit_page() -> Any:
        grant = unit_grant()
        schema, per, kind, due = _form_of(grant)
        versions = ledger.submissions_for(schema.id, per.code, grant.unit)
        return render_template(
            "unit.html",
            unit=schema.unit_by_code[grant.unit].name,
            form=schema,
            period=_period_words(per, lang()),
            due=due,
            versions=[_version_row(v, lang()) for v in reversed(versions)],
        )

    @app.get("/don-vi/bieu-trong")
    def blank_form() -> Any:
        from ..samples import unit_file_name, write_unit_workbook

        grant = unit_grant()
        schema, per, _, _ = _form_of(grant)
        unit = schema.unit_by_code[grant.unit]
        folder = Path(tempfile.mkdtemp(prefix="mtqg-web-"))
        name = unit_file_name(unit, per.code).replace(".xlsx", "_bieu-trong.xlsx")
        path = write_unit_workbook(folder / name, schema, unit, {}, period=per.code, blank=True)
        access.log(_who(session, grant), "blank-form")
        return _send_and_forget(send_file, path, folder)

    @app.post("/don-vi/nop")
    def upload() -> Any:
        from ..validate import validate_file

        grant = unit_grant()
        schema, per, _, _ = _form_of(grant)
        sent = request.files.get("workbook")
        suffix = Path(sent.filename or "").suffix.lower() if sent is not None else ""
        if sent is None or not sent.filename:
            return _refused(w("web-no-file"), 400)
        if suffix not in UPLOAD_SUFFIXES:
            access.log(_who(session, grant), "upload-refused", f"type {suffix[:10]}")
            return _refused(w("web-wrong-type", suffixes=", ".join(UPLOAD_SUFFIXES)), 415)
        folder = Path(tempfile.mkdtemp(prefix="mtqg-upload-"))
        try:
            path = folder / _file_name(sent.filename, grant.unit, suffix)
            sent.save(path)
            result = validate_file(path, schema)  # the same sniffing and bounds as the command line
            others = sorted(set(result.units) - {grant.unit})
            if others:
                names = ", ".join(schema.unit_by_code[u].name for u in others if u in schema.unit_by_code)
                access.log(_who(session, grant), "upload-refused", f"other units: {','.join(others)}")
                return _refused(w("web-other-unit", units=names or ", ".join(others)), 422)
            if not result.units:
                access.log(_who(session, grant), "upload-refused", _first_codes(result.issues))
                return _refused(w("web-unreadable"), 422, result.issues)
            received = dt.datetime.now().replace(microsecond=0)
            [done] = ledger.ingest_checked(path, schema, per.code, received, result)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        access.log(_who(session, grant), "upload", f"{done.status} v{done.version} accepted={done.accepted}")
        if done.status == "refused":
            return _refused(w("web-unreadable"), 422, done.result.issues)
        sub = _submission(grant, done.version)
        return redirect(f"/don-vi/ket-qua/{sub.id}")

    @app.get("/don-vi/ket-qua/<int:sid>")
    def result_page(sid: int) -> Any:
        grant = unit_grant()
        sub = _own_submission(grant, sid)
        issues = [_issue(d) for d in json.loads(sub.issues)]
        return render_template(
            "result.html",
            sub=_version_row(sub, lang()),
            errors=[_issue_row(i, lang()) for i in issues if i.severity is Severity.ERROR],
            warnings=[_issue_row(i, lang()) for i in issues if i.severity is Severity.WARNING],
        )

    @app.get("/don-vi/ban-sua/<int:sid>")
    def annotated(sid: int) -> Any:
        from ..feedback import write_feedback
        from ..validate import validate_file

        grant = unit_grant()
        sub = _own_submission(grant, sid)
        schema, _, _, _ = _form_of(grant)
        original = ledger.original_of(sub)
        if original is None:
            abort(404)
        folder = Path(tempfile.mkdtemp(prefix="mtqg-web-"))
        copy = folder / _file_name(sub.file_name, grant.unit, original.suffix)
        shutil.copyfile(original, copy)
        written = write_feedback(validate_file(copy, schema), folder / "ban-sua", lang())
        access.log(_who(session, grant), "annotated-copy", f"submission {sid}")
        if written is None:
            shutil.rmtree(folder, ignore_errors=True)
            abort(404)
        return _send_and_forget(send_file, written, folder)

    # -- the officer

    def officer() -> Grant:
        return signed("officer")

    @app.get("/can-bo")
    def status_page() -> Any:
        officer()
        tables = []
        for schema_id, period in _open_returns(access):
            schema, per, kind, due = _form_of(Grant("", "unit", schema_id, period))
            status = ledger.status(schema, per.code)
            attempts = _attempts(ledger, schema.id, per.code)
            rows = []
            for u in status.units:
                state = u.state
                rows.append(
                    {
                        "unit": u.unit,
                        "name": u.name,
                        "state": w(f"state-{state}"),
                        "state_key": state,
                        "days_late": u.days_late,
                        "version": u.version or "",
                        "received": f"{u.received_at:%d/%m/%Y %H:%M}" if u.received_at else "",
                        "attempts": attempts.get(u.unit, 0),
                    }
                )
            tables.append(
                {
                    "form": schema,
                    "period": per.code,
                    "period_text": _period_words(per, lang()),
                    "due": due,
                    "rate": f"{status.rate():.1f}".replace(".", ","),
                    "rows": rows,
                }
            )
        return render_template("officer.html", tables=tables, events=access.recent(30))

    @app.get("/can-bo/lich-su/<schema_id>/<period>/<unit>")
    def unit_history(schema_id: str, period: str, unit: str) -> Any:
        officer()
        schema, per, _, _ = _form_of(Grant("", "unit", schema_id, period))
        if unit not in schema.unit_by_code:
            abort(404)
        versions = ledger.submissions_for(schema.id, per.code, unit)
        rows = []
        for v in versions:
            row = _version_row(v, lang())
            row["issues"] = [_issue_row(_issue(d), lang()) for d in json.loads(v.issues)]
            rows.append(row)
        return render_template(
            "history.html",
            unit=schema.unit_by_code[unit].name,
            form=schema,
            period=_period_words(per, lang()),
            rows=rows,
        )

    @app.get("/can-bo/bao-cao/<schema_id>/<period>/<kind>")
    def compiled(schema_id: str, period: str, kind: str) -> Any:
        from ..pipeline import compile_report

        grant = officer()
        if kind not in ("docx", "xlsx"):
            abort(404)
        schema, per, _, _ = _form_of(Grant("", "unit", schema_id, period))
        folder = Path(tempfile.mkdtemp(prefix="mtqg-web-"))
        out = folder / f"bao-cao_{schema.id}_{per.code}.{kind}"
        compile_report(None, [out], schema.id, per.code, mtqg["location"], lang=lang())
        access.log(_who(session, grant), "report", out.name)
        return _send_and_forget(send_file, out, folder)

    def _refused(text: str, status: int, issues: list[Issue] | None = None) -> Any:
        rows = [_issue_row(i, lang()) for i in issues or []]
        return render_template("message.html", title=w("web-refused"), text=text, issues=rows), status

    def _submission(grant: Grant, version: int) -> Any:
        for sub in ledger.submissions_for(grant.schema_id, grant.period, grant.unit):
            if sub.version == version:
                return sub
        abort(404)

    def _own_submission(grant: Grant, sid: int) -> Any:
        """The unit's own submission ``sid`` of its form and period: anything else is 'not found' (never 'not
        yours': another unit's number says nothing)."""
        for sub in ledger.submissions_for(grant.schema_id, grant.period, grant.unit):
            if sub.id == sid:
                return sub
        access.log(_who(session, grant), "not-own-return", str(sid))
        abort(404)


def _sign_out(sess: Any) -> None:
    chosen = sess.get("lang")
    sess.clear()
    if chosen:
        sess["lang"] = chosen


def _who(sess: Any, grant: Grant | None = None) -> str:
    if grant is not None and grant.role == "officer":
        return f"officer ({grant.key})"
    if grant is not None:
        return f"{grant.unit} ({grant.schema_id}, {grant.period}; {grant.key})"
    return f"session:{sess.get('key', '-')}"


def _form_of(grant: Grant) -> tuple[Any, Any, Any, Any]:
    """The form, the period, its report kind and deadline ('dd/mm/yyyy') of a grant."""
    from flask import abort

    from ..forms import load_schema
    from ..periods import deadline, resolve_period

    try:
        schema = load_schema(grant.schema_id)
        per, kind = resolve_period(schema, grant.period)
    except MtqgError:
        abort(404)
    due = deadline(per, kind.deadline) if kind.deadline else None
    return schema, per, kind, f"{due:%d/%m/%Y}" if due else ""


def _period_words(per: Any, lang: str) -> str:
    from ..periods import period_words

    return period_words(per, lang)


def _file_name(sent: str, unit: str, suffix: str) -> str:
    """A name for an upload in a folder of this module's own: the sent name's last part with only letters, digits,
    '-', '_' and '.', never empty, never hidden, never long; the unit's code when nothing is left."""
    import unicodedata

    base = Path(sent.replace("\\", "/")).name
    stem = unicodedata.normalize("NFC", Path(base).stem)
    kept = re.sub(r"[^\w.-]+", "_", stem, flags=re.UNICODE).strip("._")[:80]
    return f"{kept or unit}{suffix}"


def _version_row(sub: Any, lang: str) -> dict[str, Any]:
    return {
        "id": sub.id,
        "version": sub.version,
        "file": sub.file_name,
        "received": f"{sub.received_at:%d/%m/%Y %H:%M}",
        "accepted": bool(sub.accepted),
        "state": word("web-accepted" if sub.accepted else "web-rejected", lang),
        "errors": sub.errors,
        "warnings": sub.warnings,
    }


def _issue(d: dict[str, Any]) -> Issue:
    where = (d.get("file", ""), d.get("sheet", ""), d.get("cell", ""))
    return Issue(d["code"], Severity(d["severity"]), *where, params=d.get("params") or {})


def _issue_row(issue: Issue, lang: str) -> dict[str, str]:
    return {
        "severity": str(issue.severity),
        "sheet": issue.sheet,
        "cell": issue.cell,
        "message": issue.message(lang),
        "fix": issue.fix(lang),
    }


def _first_codes(issues: list[Issue]) -> str:
    return ",".join(i.code for i in issues[:3])


def _send_and_forget(send_file: Any, path: Path, folder: Path) -> Any:
    """Send a file this module wrote into ``folder``, the folder removed once it is read into memory."""
    import io

    data = path.read_bytes()
    shutil.rmtree(folder, ignore_errors=True)
    return send_file(io.BytesIO(data), as_attachment=True, download_name=path.name)


def _open_returns(access: Access) -> list[tuple[str, str]]:
    """The forms and periods the officer follows: those codes were issued for."""
    seen: dict[tuple[str, str], None] = {}
    for grant in access.grants():
        seen[(grant.schema_id, grant.period)] = None
    return list(seen)


def _attempts(ledger: Any, schema_id: str, period: str) -> dict[str, int]:
    """Per unit, the returns recorded but not accepted (kept as attempts)."""
    out: dict[str, int] = {}
    for sub in ledger.submissions_for(schema_id, period):
        if not sub.accepted:
            out[sub.unit] = out.get(sub.unit, 0) + 1
    return out
