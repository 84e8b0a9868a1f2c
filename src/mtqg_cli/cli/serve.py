"""mtqg serve | serve codes | serve officer | serve revoke"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..words import word
from .options import Lang, LangOpt, StoreOpt, console, handled

serve_app = typer.Typer(
    help=(
        "Trang web cho đơn vị tự kiểm tra và nộp báo cáo, cán bộ theo dõi tình hình nộp.\n\n"
        "Ví dụ:  mtqg serve --store kho/ --host 0.0.0.0 --port 8000"
    ),
    invoke_without_command=True,
)


@serve_app.callback()
def serve(
    ctx: typer.Context,
    store: StoreOpt = None,
    host: Annotated[str, typer.Option("--host", help="Địa chỉ lắng nghe (0.0.0.0: cả mạng nội bộ).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Cổng.")] = 8000,
    upload_mb: Annotated[int, typer.Option("--upload-mb", help="Dung lượng tối đa của một tệp nộp (MB).")] = 10,
    minutes: Annotated[int, typer.Option("--minutes", help="Phiên đăng nhập hết hạn sau bấy nhiêu phút.")] = 30,
    lang: LangOpt = Lang.vi,
) -> None:
    """Chạy trang web: đơn vị đăng nhập bằng mã truy cập, tải biểu trống, nộp tệp và xem ngay lỗi cần sửa; cán bộ
    xem tình hình nộp và tải báo cáo tổng hợp.

    Ví dụ:  mtqg serve --store kho/ --host 0.0.0.0 --port 8000
    """
    if ctx.invoked_subcommand is not None:
        return
    from waitress import serve as run

    from ..web.app import create_app

    with handled(lang):
        upload = max(1, upload_mb) * 1024 * 1024
        app = create_app(store, upload_bytes=upload, session_minutes=max(1, minutes), lang=lang.value)
    console().print(word("serving", lang, host=host, port=port, store=store or ".mtqg"), markup=False)
    run(app, host=host, port=port, threads=8)


@serve_app.command("codes")
def codes(
    form: Annotated[str, typer.Option("--form", "-s", help="Mã biểu mẫu.")],
    period: Annotated[str, typer.Option("--period", "-p", help="Kỳ báo cáo.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Tệp .xlsx ghi các mã (giữ kín).")],
    unit: Annotated[list[str] | None, typer.Option("--unit", help="Chỉ cấp cho đơn vị này (dùng nhiều lần).")] = None,
    store: StoreOpt = None,
    lang: LangOpt = Lang.vi,
) -> None:
    """Cấp mã truy cập cho các đơn vị của một biểu mẫu và kỳ (mỗi đơn vị một mã; mã cũ bị thu hồi), ghi ra .xlsx.

    Ví dụ:  mtqg serve codes --form son-la-du-an-8 --period 2024 -o ma-truy-cap.xlsx
    """
    from ..web.codes import issue_codes

    with handled(lang):
        done = issue_codes(store, form, period, output, unit)
    console().print(word("codes-written", lang, count=done.count, form=done.form, period=done.period, path=done.path))


@serve_app.command("officer")
def officer(
    store: StoreOpt = None,
    lang: LangOpt = Lang.vi,
) -> None:
    """Cấp mã truy cập cho cán bộ tổng hợp (mã cũ bị thu hồi); mã chỉ hiện một lần.

    Ví dụ:  mtqg serve officer --store kho/
    """
    from ..store import Store
    from ..web.access import Access

    with handled(lang):
        access = Access(Store(store).engine)
        code = access.issue("officer")
        access.log("officer:cli", "officer-code")
    console().print(word("officer-code", lang, code=code), markup=False)


@serve_app.command("revoke")
def revoke(
    form: Annotated[str, typer.Option("--form", "-s", help="Mã biểu mẫu.")],
    period: Annotated[str, typer.Option("--period", "-p", help="Kỳ báo cáo.")],
    unit: Annotated[str, typer.Option("--unit", help="Đơn vị (tên hoặc mã).")],
    store: StoreOpt = None,
    lang: LangOpt = Lang.vi,
) -> None:
    """Thu hồi mã truy cập của một đơn vị (đơn vị đang đăng nhập bị đăng xuất).

    Ví dụ:  mtqg serve revoke --form son-la-du-an-8 --period 2024 --unit "Mộc Châu"
    """
    from ..forms import load_schema
    from ..periods import resolve_period
    from ..store import Store
    from ..units import UnitMatcher
    from ..web.access import Access

    with handled(lang):
        schema = load_schema(form)
        per = resolve_period(schema, period)[0]
        match = UnitMatcher(schema.units).match(unit)
        code = match.unit.code if match.unit is not None else unit
        access = Access(Store(store).engine)
        count = access.revoke(schema.id, per.code, code)
        access.log("officer:cli", "codes-revoked", f"{schema.id} {per.code} {code} {count}")
    console().print(word("codes-revoked", lang, count=count, unit=unit), markup=False)
