"""Every word a user reads outside the issue and failure catalogues (``errors.py``): table headings, states, the
lines a command prints. One entry a key, Vietnamese and English, filled from named parameters with
``str.format``; :func:`word` picks the language.
"""

from __future__ import annotations

from typing import Any

WORDS: dict[str, tuple[str, str]] = {
    # -- issue tables
    "file": ("Tệp", "File"),
    "sheet": ("Trang", "Sheet"),
    "cell": ("Ô", "Cell"),
    "level": ("Mức", "Level"),
    "code": ("Mã", "Code"),
    "problem": ("Vấn đề", "Problem"),
    "fix": ("Cách sửa", "How to fix"),
    "error": ("lỗi", "error"),
    "warning": ("cảnh báo", "warning"),
    "Error": ("Lỗi", "Error"),
    "Warning": ("Cảnh báo", "Warning"),
    "number": ("TT", "No."),
    "sheet-long": ("Trang tính", "Sheet"),
    "none": ("không", "none"),
    "clean": ("Không có lỗi.", "No problems found."),
    "validation-summary": (
        "{files} tệp: {accepted} đạt, {rejected} có lỗi ({errors} lỗi, {warnings} cảnh báo). Biểu mẫu: {forms}.",
        "Files: {files}; accepted: {accepted}; with errors: {rejected} (errors: {errors}, warnings: {warnings}). "
        "Forms: {forms}.",
    ),
    "problem-counts": ("{errors} lỗi, {warnings} cảnh báo", "errors: {errors}, warnings: {warnings}"),
    # -- figures
    "indicator": ("Chỉ tiêu", "Indicator"),
    "unit": ("ĐVT", "Unit"),
    "achieved": ("Đạt", "Achieved"),
    "target": ("Chỉ tiêu GĐ", "Target"),
    "percent": ("%", "%"),
    "missing": ("Chưa nộp", "Not reported"),
    "rejected": ("Tệp bị loại (có lỗi)", "Files left out (errors)"),
    "completeness": ("{reported}/{expected} đơn vị đã nộp", "{reported}/{expected} units reported"),
    "from-ledger": ("Từ kho dữ liệu — {period}", "From the ledger — {period}"),
    "cumulative": ("Lũy kế", "Cumulative"),
    "previous": ("Kỳ trước ({period})", "Previous ({period})"),
    "change": ("Thay đổi", "Change"),
    "by-former": ("Theo huyện cũ", "By former district"),
    "former-district": ("Huyện cũ", "Former district"),
    "other-forms": (
        "{count} tệp thuộc biểu mẫu khác ({forms}): không cộng vào; chọn biểu mẫu bằng --schema.",
        "{count} files hold other forms ({forms}): not added in; choose one with --schema.",
    ),
    # -- the ledger
    "unit-name": ("Đơn vị", "Unit"),
    "result": ("Kết quả", "Result"),
    "version": ("Phiên bản", "Version"),
    "state": ("Tình trạng", "State"),
    "days-late": ("Muộn (ngày)", "Days late"),
    "received": ("Ngày nhận", "Received"),
    "duplicate": ("đã có, không ghi thêm", "already recorded"),
    "accepted": ("đạt", "accepted"),
    "rejected-n": ("có lỗi ({errors} lỗi)", "rejected ({errors} errors)"),
    "n-errors": ("{errors} lỗi", "{errors} errors"),
    "refused": ("không ghi sổ: {reason}", "not recorded: {reason}"),
    "unit-not-found": (
        "không nhận ra đơn vị (tên đơn vị trong tệp hoặc tên tệp)",
        "the unit cannot be told (from the workbook or the file name)",
    ),
    "no-submission": ("Chưa có báo cáo nào.", "No submission."),
    # one vocabulary of submission states, in every output (Word, Excel, terminal, JSON)
    "state-reported": ("Đã nộp", "Reported"),
    "state-on-time": ("Đã nộp đúng hạn", "Reported on time"),
    "state-late": ("Nộp muộn", "Reported late"),
    "state-missing": ("Chưa nộp", "Not reported"),
    "state-rejected": ("Trả lại — có lỗi, chưa nộp lại", "Returned — errors, not sent again"),
    "status-line": (
        "Hạn nộp {due}. Tỷ lệ báo cáo {rate} ({reported}/{expected}), đúng hạn {on_time}.",
        "Deadline {due}. Reporting rate {rate} ({reported}/{expected}), on time {on_time}.",
    ),
    "store-orphans": (
        "{count} tệp đã lưu nhưng chưa ghi sổ (lần ghi sổ bị ngắt; không ảnh hưởng)",
        "{count} archived files not yet recorded (an interrupted ingest; harmless)",
    ),
    "store-consistent": ("Kho dữ liệu nhất quán.", "Store is consistent."),
    "store-unregistered": (
        "Bản ghi {id}: tệp {sha256} không có trong danh sách tệp lưu trữ.",
        "Submission {id}: file {sha256} not registered.",
    ),
    "store-file-missing": ("Thiếu tệp lưu trữ: {path}", "Missing archived file: {path}"),
    "store-hash-mismatch": (
        "Tệp lưu trữ bị thay đổi (mã băm khác): {path}",
        "Archived file changed (hash mismatch): {path}",
    ),
    "store-database-empty": (
        "Cơ sở dữ liệu của kho ({url}) không có bản ghi nào trong khi thư mục lưu trữ có {count} tệp: cơ sở dữ liệu đã "
        "bị xoá, thay hoặc làm rỗng. Khôi phục từ bản sao lưu (mtqg store export) hoặc ghi sổ lại các tệp.",
        "The store's database ({url}) holds no record while the archive holds {count} files: the database was "
        "deleted, replaced or emptied. Restore it from a backup (mtqg store export) or ingest the files again.",
    ),
    "store-form-missing": (
        "Không nạp được biểu mẫu «{form}»: số liệu của các báo cáo theo biểu mẫu này chưa được đối chiếu.",
        "The form «{form}» cannot be loaded: the figures of its returns were not checked.",
    ),
    "store-figures-differ": (
        "Bản ghi {id} ({unit}, kỳ {period}): số liệu trong sổ khác với tệp gốc đã lưu ({what}).",
        "Submission {id} ({unit}, period {period}): the recorded figures differ from the archived original ({what}).",
    ),
    "exported": ("Đã xuất ra {path}", "Exported to {path}"),
    # -- files written
    "written": ("Đã ghi: {path}", "Written: {path}"),
    "period-from-ledger": (
        "Kỳ báo cáo lấy theo kỳ mới nhất trong sổ: {period} (ghi --period để chọn kỳ khác).",
        "Period taken as the ledger's latest: {period} (give --period to choose another).",
    ),
    "period-from-returns": (
        "Kỳ báo cáo lấy theo tiêu đề các tệp: {period} (ghi --period để chọn kỳ khác).",
        "Period taken from the files' titles: {period} (give --period to choose another).",
    ),
    "ledger-sheet-note": (
        "Số liệu các phiên bản đạt mới nhất trong sổ; lũy kế từ đầu giai đoạn so với chỉ tiêu giai đoạn.",
        "The latest accepted versions in the ledger; cumulative since the phase began, against the phase targets.",
    ),
    "blank-value": ("(trống)", "(blank)"),
    "no-rejected": ("Không có tệp bị loại.", "No file was rejected."),
    "mark-left": ("{where}: còn mục TODO chưa điền", "{where}: a TODO mark is left"),
    "marks-left": (
        "Còn {count} mục TODO của bản nháp: điền rồi kiểm tra lại.",
        "{count} TODO marks of the draft are left: fill them in and check again.",
    ),
    "written-n": ("Đã ghi {count} → {path}", "Written {count} → {path}"),
    "feedback-written": ("Đã ghi tệp phản hồi: {path}", "Feedback written: {path}"),
    "draft-written": ("Đã ghi bản nháp: {path} ({detail})", "Draft written: {path} ({detail})"),
    "schema-ok": (
        "Hợp lệ: {id} ({units} đơn vị, {indicators} chỉ tiêu)",
        "OK: {id} ({units} units, {indicators} indicators)",
    ),
    "units-of-form": ("Đơn vị ({count}): {units}", "Units ({count}): {units}"),
    "no-pdf": ("Chưa cài LibreOffice nên không ghi được PDF.", "LibreOffice is not installed: no PDF."),
    # -- feedback copies
    "feedback-title": ("CÁC LỖI CẦN SỬA", "Problems to correct"),
    "feedback-counts": (
        "{errors} lỗi (tô đỏ), {warnings} cảnh báo (tô vàng). Sửa rồi gửi lại tệp.",
        "{errors} errors (red), {warnings} warnings (yellow). Correct them and send the file again.",
    ),
    "feedback-title-warnings": ("CÁC ĐIỂM CẦN XEM LẠI", "Points to check"),
    "feedback-counts-warnings": (
        "Tệp đạt yêu cầu, đã được tổng hợp; {warnings} cảnh báo (tô vàng) cần xem lại, sửa nếu số liệu chưa đúng.",
        "The file is accepted and added in; {warnings} warnings (yellow) to check, and correct if a figure is wrong.",
    ),
    "more-problems": (
        "… và {count} lỗi khác (cùng loại với các lỗi trên: sửa xong các lỗi trên rồi kiểm tra lại).",
        "… and {count} more problems (of the kinds above: fix those, then check the file again).",
    ),
    "more-files": (
        "… và {count} tệp khác có lỗi hoặc cảnh báo (xem tất cả: --format json, hoặc --annotate).",
        "… and {count} more files with problems (all of them: --format json, or --annotate).",
    ),
    "more-shown": (
        "… và {count} lỗi khác của tệp này (xem tất cả: --format json, hoặc --annotate để có bản sao đánh dấu).",
        "… and {count} more problems in this file (all of them: --format json, or --annotate for a marked copy).",
    ),
    "kind-word": ("Loại", "Kind"),
    "province-word": ("Tỉnh, thành phố", "Province"),
    "valid-word": ("Hiệu lực", "In force"),
    "units-count": ("{count} đơn vị vào ngày {on}.", "{count} units on {on}."),
    "became": ("trở thành", "became"),
    "came-from": ("lập từ", "made from"),
    "written-as": ("Tên đã ghi", "Written as"),
    "confidence-word": ("Độ tin cậy", "Confidence"),
    "no-unit": ("không nhận ra; gần nhất: {nearest}", "not recognised; nearest: {nearest}"),
    "wrong-level-name": ("tên của một cấp khác", "the name of another level"),
    "cut-year": (
        "Năm {year} bị cắt bởi việc sắp xếp đơn vị hành chính: số liệu {old} theo biểu {old_form}, {new} theo biểu "
        "{new_form}; lũy kế cộng cả hai.",
        "The year {year} is cut by the reform of administrative units: figures for {old} from the form {old_form}, "
        "for {new} from the form {new_form}; the cumulative figures add both.",
    ),
    "partial-year": (
        "Năm {year}: chỉ có số liệu {new} theo biểu {new_form}; trước ngày {start} chưa có số liệu theo biểu "
        "{old_form} trong sổ.",
        "The year {year}: figures for {new} only, from the form {new_form}; none from the form {old_form} before "
        "{start} in the ledger.",
    ),
    "targets-from": (
        "Chỉ tiêu giai đoạn lấy theo biểu {form} (phần của các đơn vị báo cáo), mà biểu này kế tiếp.",
        "Phase targets from the form {form} (the reporting units' part), which this form continues.",
    ),
    "cumulative-adds": (
        "Lũy kế cộng cả số liệu các kỳ {periods} theo biểu {form}, mà biểu này kế tiếp.",
        "The cumulative figures add the periods {periods} from the form {form}, which this form continues.",
    ),
    "reading": ("Đang kiểm tra", "Checking"),
}


# the web pages of ``mtqg serve``
WORDS.update(
    {
        "web-title": ("nộp và kiểm tra báo cáo", "send and check a return"),
        "web-sign-in": ("Đăng nhập", "Sign in"),
        "web-code": ("Mã truy cập", "Access code"),
        "web-code-help": (
            "Mã do cán bộ tổng hợp của tỉnh cấp cho đơn vị (ví dụ K7QM-3XWD-HN4P-T9BC).",
            "The code the province's officer gave your unit (e.g. K7QM-3XWD-HN4P-T9BC).",
        ),
        "web-sign-out": ("Đăng xuất", "Sign out"),
        "web-wrong-code": (
            "Mã truy cập không đúng hoặc đã bị thu hồi. Kiểm tra lại mã, hoặc liên hệ cán bộ tổng hợp.",
            "The access code is wrong or has been revoked. Check it, or ask the officer.",
        ),
        "web-unit": ("Đơn vị", "Unit"),
        "web-form": ("Biểu mẫu", "Form"),
        "web-period": ("Kỳ báo cáo", "Period"),
        "web-due": ("Hạn nộp", "Deadline"),
        "web-blank": ("Tải biểu trống của đơn vị", "Download your unit's blank form"),
        "web-upload": ("Nộp tệp báo cáo", "Send your workbook"),
        "web-upload-help": (
            "Tệp .xlsx, .xls hoặc .ods, tối đa {limit}. Tệp được kiểm tra ngay; tệp đạt được ghi sổ.",
            "An .xlsx, .xls or .ods file, at most {limit}. It is checked at once; an accepted one is recorded.",
        ),
        "web-send": ("Gửi và kiểm tra", "Send and check"),
        "web-versions": ("Các lần nộp", "What you have sent"),
        "web-version": ("Lần", "Version"),
        "web-file": ("Tệp", "File"),
        "web-received": ("Thời gian nhận", "Received"),
        "web-result": ("Kết quả", "Result"),
        "web-accepted": ("Đạt — đã ghi sổ", "Accepted — recorded"),
        "web-rejected": ("Có lỗi — cần sửa rồi nộp lại", "Errors — fix and send again"),
        "web-errors": ("Lỗi cần sửa", "Errors to fix"),
        "web-warnings": ("Cần kiểm tra lại", "To check"),
        "web-no-problem": ("Không có lỗi nào.", "No problems."),
        "web-sheet": ("Trang tính", "Sheet"),
        "web-cell": ("Ô", "Cell"),
        "web-problem": ("Lỗi", "Problem"),
        "web-fix": ("Cách sửa", "How to fix it"),
        "web-annotated": ("Tải bản có đánh dấu ô lỗi", "Download the copy with the cells marked"),
        "web-back": ("Quay lại", "Back"),
        "web-refused": ("Không nhận tệp", "Not accepted"),
        "web-csrf": (
            "Trang đã hết hạn hoặc không hợp lệ. Tải lại trang rồi làm lại.",
            "The page has expired or is not valid. Reload it and try again.",
        ),
        "web-too-large": (
            "Tệp lớn hơn mức cho phép ({limit}). Xoá ảnh, trang tính thừa rồi gửi lại.",
            "The file is larger than allowed ({limit}). Remove pictures and extra sheets, then send it again.",
        ),
        "web-no-file": ("Chưa chọn tệp.", "No file was chosen."),
        "web-wrong-type": (
            "Chỉ nhận tệp bảng tính ({suffixes}). Lưu tệp dưới dạng Excel rồi gửi lại.",
            "Only spreadsheet files are accepted ({suffixes}). Save it as an Excel workbook and send it again.",
        ),
        "web-other-unit": (
            "Tệp này là báo cáo của đơn vị khác ({units}), không phải của đơn vị bạn. Kiểm tra lại tệp.",
            "This file is another unit's return ({units}), not yours. Check the file.",
        ),
        "web-unreadable": (
            "Không đọc được tệp thành báo cáo của đơn vị. Các lỗi dưới đây nói rõ cách sửa.",
            "The file cannot be read as your unit's return. The problems below say how to fix it.",
        ),
        "web-not-found": ("Không tìm thấy", "Not found"),
        "web-not-found-text": (
            "Trang này không có hoặc bạn không xem được.",
            "This page does not exist or is not yours.",
        ),
        "web-officer": ("Cán bộ tổng hợp", "Officer"),
        "web-status": ("Tình hình nộp báo cáo", "Who has reported"),
        "web-rate": ("Tỷ lệ đã nộp", "Reporting rate"),
        "web-days-late": ("Số ngày muộn", "Days late"),
        "web-attempts": ("Lần nộp có lỗi", "Rejected attempts"),
        "web-history": ("Lịch sử", "History"),
        "web-report-docx": ("Tải báo cáo tổng hợp (Word)", "Download the compiled report (Word)"),
        "web-report-xlsx": ("Tải phụ lục (Excel)", "Download the annex (Excel)"),
        "web-log": ("Nhật ký thao tác", "Log of actions"),
        "web-no-codes": (
            "Chưa cấp mã truy cập nào: mtqg serve codes --form MÃ --period KỲ -o ma-truy-cap.xlsx",
            "No access codes issued yet: mtqg serve codes --form ID --period PERIOD -o codes.xlsx",
        ),
        "web-language": ("English", "Tiếng Việt"),
        "codes-written": (
            "Đã cấp {count} mã truy cập ({form}, kỳ {period}) và ghi: {path}. Mã cũ của các đơn vị này bị thu hồi.",
            "Issued {count} access codes ({form}, period {period}) and wrote: {path}. Their earlier codes are revoked.",
        ),
        "officer-code": (
            "Mã truy cập của cán bộ tổng hợp (chỉ hiện một lần, mã cũ đã bị thu hồi): {code}",
            "The officer's access code (shown once; the earlier one is revoked): {code}",
        ),
        "codes-revoked": ("Đã thu hồi {count} mã của {unit}.", "Revoked {count} codes of {unit}."),
        "serving": (
            "mtqg đang chạy tại http://{host}:{port}/ — kho dữ liệu: {store}. Nhấn Ctrl+C để dừng.",
            "mtqg is serving at http://{host}:{port}/ — ledger: {store}. Press Ctrl+C to stop.",
        ),
    }
)


def choose(pair: tuple[str, str], lang: str = "vi") -> str:
    """One of a (Vietnamese, English) pair of texts made earlier, in ``lang``."""
    return pair[1] if lang == "en" else pair[0]


def word(key: str, lang: str = "vi", **params: Any) -> str:
    """The entry ``key`` in ``lang`` ('vi' unless 'en'), filled from ``params``."""
    vi, en = WORDS[key]
    text = en if lang == "en" else vi
    return text.format(**params) if params else text
