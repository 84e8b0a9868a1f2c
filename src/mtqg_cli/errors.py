"""One error model for the whole toolkit.

Problems found in the data are values (:class:`Issue`), collected in a :class:`Report`; only a failure that stops
the toolkit from running at all (a bad schema, an unwritable output) raises :class:`MtqgError`.
Every issue has a stable code, a severity and a location, and its message is drawn from the catalogue below in
Vietnamese (default) or English, filled from the issue's parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


# code -> (vi message, en message, vi fix, en fix). Templates are filled with str.format(**params).
CATALOGUE: dict[str, tuple[str, str, str, str]] = {
    # -- the file as a whole
    "file-not-found": (
        "Không tìm thấy tệp.",
        "The file does not exist.",
        "Kiểm tra lại đường dẫn và tên tệp.",
        "Check the path and the file name.",
    ),
    "file-not-spreadsheet": (
        "Tệp không phải bảng tính Excel/ODS ({detail}).",
        "The file is not an Excel/ODS workbook ({detail}).",
        "Đề nghị đơn vị gửi lại đúng tệp .xlsx, .xls hoặc .ods.",
        "Ask the unit to send the .xlsx, .xls or .ods workbook itself.",
    ),
    "path-unreadable": (
        "Không đọc được ({detail}).",
        "Cannot be read ({detail}).",
        "Kiểm tra quyền truy cập thư mục/tệp, hoặc liên kết (shortcut) trỏ tới tệp đã xoá; chép tệp thật vào thư mục.",
        "Check the permissions of the folder or file, or a link pointing to a deleted file; copy the real file in.",
    ),
    "reader-died": (
        "Chương trình đọc tệp bị dừng đột ngột khi đọc tệp này (thiếu bộ nhớ hoặc tệp dựng sẵn để gây lỗi); "
        "các tệp khác vẫn được kiểm tra.",
        "The reader stopped abruptly on this file (out of memory, or a file made to break readers); the other "
        "files were checked.",
        "Mở tệp bằng Excel, chép bảng số liệu sang một tệp mới, lưu (.xlsx) rồi gửi lại.",
        "Open it in Excel, copy the table into a new workbook, save it (.xlsx) and send it again.",
    ),
    "file-corrupt": (
        "Tệp bị hỏng, không đọc được ({detail}).",
        "The file is damaged and cannot be read ({detail}).",
        "Mở tệp bằng Excel, lưu lại (Save As .xlsx) rồi gửi lại.",
        "Open it in Excel, save it again as .xlsx and send it again.",
    ),
    "file-encrypted": (
        "Tệp được đặt mật khẩu nên không đọc được.",
        "The workbook is password-protected.",
        "Gỡ mật khẩu (File > Info > Protect Workbook > Encrypt with Password, xoá mật khẩu) rồi gửi lại.",
        "Remove the password (File > Info > Protect Workbook > Encrypt with Password) and send it again.",
    ),
    "file-empty": (
        "Tệp không có dữ liệu.",
        "The workbook is empty.",
        "Đề nghị đơn vị điền biểu mẫu và gửi lại.",
        "Ask the unit to fill in the form and send it again.",
    ),
    "file-too-large": (
        "Tệp quá lớn ({detail}); giới hạn {limit}.",
        "The file is too large ({detail}); the limit is {limit}.",
        "Xoá các trang tính, hàng thừa rồi gửi lại.",
        "Delete the extra sheets and rows and send it again.",
    ),
    "internal-error": (
        "Không kiểm tra được tệp do lỗi của chương trình ({detail}); các tệp khác vẫn được kiểm tra.",
        "The file could not be checked because of a program error ({detail}); the other files were checked.",
        "Báo lỗi này cho nhóm phát triển kèm tệp; tạm thời mở tệp bằng Excel, lưu lại rồi thử lại.",
        "Report this to the developers with the file; meanwhile open it in Excel, save it again and retry.",
    ),
    # -- finding the table
    "table-not-found": (
        "Không tìm thấy bảng số liệu của biểu «{schema}» trong tệp.",
        "No table of the form «{schema}» was found in the workbook.",
        "Dùng đúng biểu mẫu; giữ nguyên dòng tiêu đề cột (Huyện, thành phố; các chỉ tiêu).",
        "Use the official form and keep its column headings (unit; the indicators).",
    ),
    "column-missing": (
        "Thiếu cột «{label}».",
        "The column «{label}» is missing.",
        "Thêm lại cột «{label}» như trong biểu mẫu.",
        "Put the column «{label}» back as in the form.",
    ),
    "no-unit-rows": (
        "Bảng không có dòng số liệu của đơn vị nào.",
        "The table has no row for any reporting unit.",
        "Ghi tên đơn vị (huyện/xã) ở cột tên đơn vị và điền số liệu vào dòng đó.",
        "Write the unit's name in the unit column and fill in its row.",
    ),
    # -- rows and units
    "unit-unknown": (
        "Không nhận ra đơn vị «{name}» (tên gần giống nhất: {nearest}).",
        "Unknown reporting unit «{name}» (nearest names: {nearest}).",
        "Ghi đúng tên đơn vị theo danh mục của biểu mẫu.",
        "Write the unit's name as listed in the form.",
    ),
    "unit-ambiguous": (
        "Tên đơn vị «{name}» có thể là: {options}.",
        "The unit name «{name}» could be: {options}.",
        "Ghi đầy đủ tên đơn vị để phân biệt.",
        "Write the unit's full name.",
    ),
    "unit-guessed": (
        "Tên «{name}» được hiểu là đơn vị {unit} (độ tin cậy {confidence}%).",
        "The name «{name}» was read as {unit} (confidence {confidence}%).",
        "Sửa lại tên đơn vị cho đúng chính tả.",
        "Correct the spelling of the unit's name.",
    ),
    "row-hidden": (
        "Dòng {row} («{name}») đang bị ẩn nhưng số liệu của nó vẫn được tính.",
        "Row {row} («{name}») is hidden, yet its figures are counted.",
        "Bỏ ẩn dòng để kiểm tra lại (Unhide), hoặc xoá dòng nếu là số liệu cũ.",
        "Unhide the row to check it, or delete it if it holds old figures.",
    ),
    "unit-repeated": (
        "Đơn vị {unit} có nhiều dòng: dòng này lặp lại dòng {first}.",
        "The unit {unit} has more than one row: this row repeats row {first}.",
        "Gộp số liệu của đơn vị vào một dòng.",
        "Put the unit's figures in one row.",
    ),
    "unit-not-in-period": (
        "Đơn vị {unit} không còn (hoặc chưa có) trong kỳ {period}; báo cáo kỳ này do các đơn vị kế tiếp gửi: "
        "{successors}.",
        "The unit {unit} did not exist in the period {period}; that period's returns come from its successors: "
        "{successors}.",
        "Nhận báo cáo của các xã, phường kế tiếp theo biểu mẫu cấp xã (mtqg template … -p {period}); báo cáo cấp "
        "huyện chỉ dùng cho các kỳ đến 30/6/2025.",
        "Collect the successors' returns on the commune form (mtqg template … -p {period}); district returns only "
        "serve periods up to 30/06/2025.",
    ),
    "unit-duplicate-file": (
        "Đơn vị {unit} đã có trong tệp {other}.",
        "The unit {unit} is also reported in {other}.",
        "Giữ một tệp cho mỗi đơn vị (bản mới nhất), bỏ tệp còn lại khỏi thư mục.",
        "Keep one file per unit (the latest) and remove the other one.",
    ),
    "unit-wrong-level": (
        "«{name}» là đơn vị cấp {found}, biểu này do đơn vị cấp {expected} báo cáo.",
        "«{name}» is a {found}-level unit; this form is reported by {expected}-level units.",
        "Dùng biểu mẫu dành cho cấp {found}, hoặc ghi đúng đơn vị báo cáo.",
        "Use the form for the {found} level, or name the right reporting unit.",
    ),
    # -- cells
    "figure-far-from-target": (
        "Ô «{label}» ghi {value}, gấp {times} lần chỉ tiêu cả giai đoạn của đơn vị ({target}).",
        "The cell «{label}» holds {value}, {times} times the unit's target for the whole phase ({target}).",
        "Kiểm tra lại con số (gõ thừa chữ số?); nếu đúng thì ghi chú lý do khi gửi.",
        "Check the figure (an extra digit?); if it is right, say why when sending.",
    ),
    "text-required": (
        "Ô «{label}» để trống.",
        "The cell «{label}» is empty.",
        "Viết nội dung (một câu hoặc một đoạn); nếu không có thì ghi «Không».",
        "Write the text (a sentence or a paragraph); write «Không» if there is nothing to say.",
    ),
    "text-too-short": (
        "Ô «{label}» chỉ có {length} ký tự, cần ít nhất {min}.",
        "The cell «{label}» has {length} characters; at least {min} are needed.",
        "Viết đầy đủ hơn.",
        "Write it out in full.",
    ),
    "text-too-long": (
        "Ô «{label}» có {length} ký tự, quá {max} ký tự cho phép.",
        "The cell «{label}» has {length} characters, over the {max} allowed.",
        "Viết ngắn gọn lại; phần chi tiết gửi kèm văn bản.",
        "Shorten it; send the details in the covering document.",
    ),
    "text-column-missing": (
        "Không có cột «{label}».",
        "There is no column «{label}».",
        "Dùng đúng biểu mẫu đã gửi (mtqg template), giữ nguyên các cột.",
        "Use the blank form sent out (mtqg template) and keep its columns.",
    ),
    "cell-required": (
        "Ô «{label}» để trống.",
        "The cell «{label}» is empty.",
        "Nhập số liệu; nếu không thực hiện thì ghi 0.",
        "Enter the figure; write 0 if nothing was done.",
    ),
    "cell-not-number": (
        "Ô «{label}» ghi «{value}», không phải là số.",
        "The cell «{label}» holds «{value}», which is not a number.",
        "Chỉ ghi con số (ví dụ 12), không ghi chữ.",
        "Write only the number (e.g. 12), no words.",
    ),
    "cell-number-too-large": (
        "Ô «{label}» ghi «{value}»: số quá lớn hoặc quá dài (quá {digits} chữ số).",
        "The cell «{label}» holds «{value}»: the number is too large or too long (over {digits} digits).",
        "Kiểm tra lại số (có thể gõ thừa chữ số hoặc dán nhầm); ghi số theo đơn vị tính của biểu.",
        "Check the number (extra digits typed, something pasted by mistake); write it in the form's unit.",
    ),
    "cell-not-integer": (
        "Ô «{label}» ghi {value}, phải là số nguyên.",
        "The cell «{label}» holds {value}; it must be a whole number.",
        "Ghi số nguyên (đơn vị tính: {unit}).",
        "Write a whole number (unit: {unit}).",
    ),
    "cell-below-min": (
        "Ô «{label}» ghi {value}, nhỏ hơn mức tối thiểu {min}.",
        "The cell «{label}» holds {value}, below the minimum {min}.",
        "Kiểm tra lại số liệu; số lượng không thể âm.",
        "Check the figure; a count cannot be negative.",
    ),
    "cell-above-max": (
        "Ô «{label}» ghi {value}, lớn hơn mức tối đa {max}.",
        "The cell «{label}» holds {value}, above the maximum {max}.",
        "Kiểm tra lại số liệu.",
        "Check the figure.",
    ),
    "cell-unit-text": (
        "Ô «{label}» ghi «{value}»; đã đọc là {number}.",
        "The cell «{label}» holds «{value}»; read as {number}.",
        "Chỉ ghi con số, bỏ chữ đơn vị tính.",
        "Write the number alone, without the unit word.",
    ),
    "cell-ambiguous-number": (
        "Ô «{label}» ghi «{value}», có thể hiểu theo hai cách; đã đọc là {number}.",
        "The cell «{label}» holds «{value}», which can be read two ways; read as {number}.",
        "Ghi số không có dấu phân cách hàng nghìn, dùng dấu phẩy cho phần thập phân (ví dụ 1234,5).",
        "Write the number without thousands separators, with a decimal comma (e.g. 1234,5).",
    ),
    "cell-error-value": (
        "Ô «{label}» có lỗi công thức {value}.",
        "The cell «{label}» holds the formula error {value}.",
        "Sửa công thức hoặc nhập trực tiếp số liệu.",
        "Fix the formula or type the figure in.",
    ),
    "cell-formula-no-value": (
        "Ô «{label}» có công thức nhưng chưa có kết quả được lưu.",
        "The cell «{label}» holds a formula whose result was never saved.",
        "Mở tệp bằng Excel, nhấn F9 rồi lưu lại; hoặc nhập trực tiếp số liệu.",
        "Open the file in Excel, press F9 and save it; or type the figure in.",
    ),
    "text-control-characters": (
        "{count} ô hoặc tên trang tính có ký tự điều khiển (không in được); đã bỏ các ký tự đó khi đọc.",
        "{count} cells or sheet names hold control characters (unprintable); they were removed when read.",
        "Gõ lại các ô đó (thường do dán từ phần mềm khác) rồi lưu tệp.",
        "Retype those cells (usually pasted from another program) and save the file.",
    ),
    "legacy-encoding": (
        "Tệp gõ bằng bảng mã cũ {encoding} (phông .VnTime / VNI-Times); đã chuyển sang Unicode để đọc.",
        "The workbook is typed in the legacy {encoding} encoding (.VnTime / VNI-Times fonts); read after "
        "conversion to Unicode.",
        "Chuyển tệp sang Unicode (ví dụ Unikey > Công cụ chuyển mã) trước khi gửi lần sau.",
        "Convert the file to Unicode (e.g. Unikey's converter) before sending it next time.",
    ),
    "total-not-calculated": (
        "Dòng tổng cộng, cột «{label}»: công thức chưa được tính, không kiểm tra được.",
        "Total row, column «{label}»: the formula was never calculated, so it could not be checked.",
        "Mở tệp bằng Excel, nhấn F9 rồi lưu lại.",
        "Open the file in Excel, press F9 and save it.",
    ),
    # -- sums and rules
    "total-row-mismatch": (
        "Dòng tổng cộng, cột «{label}»: ghi {found}, tổng các dòng là {expected}.",
        "Total row, column «{label}»: holds {found}; the rows add up to {expected}.",
        "Sửa dòng tổng cộng thành {expected} (hoặc dùng công thức =SUM).",
        "Change the total to {expected} (or use a =SUM formula).",
    ),
    "total-row-missing": (
        "Bảng không có dòng «Tổng cộng».",
        "The table has no «Total» row.",
        "Thêm dòng «Tổng cộng» dưới các dòng đơn vị.",
        "Add a «Total» row below the unit rows.",
    ),
    "computed-mismatch": (
        "Ô «{label}» ghi {found}, tính lại theo công thức {formula} được {expected}.",
        "The cell «{label}» holds {found}; recomputed as {formula} it is {expected}.",
        "Sửa thành {expected} (hoặc dùng công thức).",
        "Change it to {expected} (or use a formula).",
    ),
    "children-sum-mismatch": (
        "Dòng «{line}», cột «{label}»: ghi {found}, tổng các dòng con ({children}) là {expected}.",
        "Line «{line}», column «{label}»: holds {found}; its sub-lines ({children}) add up to {expected}.",
        "Sửa dòng «{line}» thành {expected}, hoặc sửa các dòng con.",
        "Change the line to {expected}, or correct its sub-lines.",
    ),
    "line-unknown": (
        "Không nhận ra dòng «{name}».",
        "Unknown line «{name}».",
        "Ghi tên dòng (dự án, tiểu dự án, chỉ tiêu) đúng như biểu mẫu.",
        "Name the line (project, sub-project, indicator) as in the form.",
    ),
    "line-repeated": (
        "Dòng «{name}» lặp lại (đã có ở hàng {first}).",
        "The line «{name}» appears twice (first at row {first}).",
        "Giữ một dòng cho mỗi nội dung.",
        "Keep one row per line.",
    ),
    "line-missing": (
        "Thiếu dòng «{name}».",
        "The line «{name}» is missing.",
        "Thêm dòng «{name}» (ghi 0 nếu không có số liệu).",
        "Add the line «{name}» (0 when there is nothing to report).",
    ),
    "reporter-unknown": (
        "Không xác định được đơn vị báo cáo của tệp.",
        "Cannot tell which unit the workbook is from.",
        "Ghi tên đơn vị ở đầu biểu (ví dụ «UBND huyện Đại Từ») hoặc trong tên tệp.",
        "Name the unit in the title block (e.g. «UBND huyện Đại Từ») or in the file name.",
    ),
    "value-jump": (
        "{unit}, «{label}»: {value}, gấp hơn {factor} lần kỳ trước ({period}: {previous}).",
        "{unit}, «{label}»: {value}, more than {factor} times the previous period ({period}: {previous}).",
        "Kiểm tra lại với đơn vị: số liệu có đúng kỳ và đúng đơn vị tính không.",
        "Check with the unit that the figure is for this period and in the right unit of measure.",
    ),
    "cumulative-decrease": (
        "{unit}, «{label}»: lũy kế {value} nhỏ hơn kỳ trước ({period}: {previous}).",
        "{unit}, «{label}»: the cumulative figure {value} is below the previous period's ({period}: {previous}).",
        "Số lũy kế không thể giảm: đề nghị đơn vị kiểm tra và gửi lại.",
        "A cumulative figure cannot go down: ask the unit to check and resend.",
    ),
    "rule-failed": (
        "{message} ({left} = {left_value}, {right} = {right_value}).",
        "{message_en} ({left} = {left_value}, {right} = {right_value}).",
        "Kiểm tra lại các ô liên quan.",
        "Check the cells involved.",
    ),
}


@dataclass(frozen=True)
class Issue:
    """One problem found in one place. Stable ``code``; message built on demand in the requested language."""

    code: str
    severity: Severity
    file: str = ""
    sheet: str = ""
    cell: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "vi") -> str:
        vi, en, _, _ = CATALOGUE[self.code]
        return _fill(en if lang == "en" else vi, self.params)

    def fix(self, lang: str = "vi") -> str:
        _, _, vi, en = CATALOGUE[self.code]
        return _fill(en if lang == "en" else vi, self.params)

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": str(self.severity),
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "message": self.message(lang),
            "fix": self.fix(lang),
            "params": {k: _jsonable(v) for k, v in self.params.items()},
        }


def _fill(template: str, params: dict[str, Any]) -> str:
    return template.format_map(_Keep({k: _show(v) for k, v in params.items()}))


def _show(value: Any) -> Any:
    from .numbers import format_number

    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float) or type(value).__name__ == "Decimal":
        return format_number(value)
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if type(value).__name__ == "Decimal":
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value)


# code -> (vi, en): failures that stop a command (exit code 2), filled from the failure's parameters.
FAILURES: dict[str, tuple[str, str]] = {
    "no-workbooks": ("Không tìm thấy tệp bảng tính nào.", "No workbook found."),
    "schema-needed": ("Đọc theo kỳ cần --schema.", "--period needs --schema."),
    "output-kind": ("{path}: chỉ ghi được tệp {kinds}.", "{path}: only {kinds} can be written."),
    "output-is-input": (
        "Tệp kết quả {path} trùng với một tệp đầu vào; hãy chọn tên khác.",
        "Output {path} is one of the input files; choose another name.",
    ),
    "output-needed": ("Cần -o bao-cao.docx và/hoặc -o phu-luc.xlsx.", "Give -o bao-cao.docx and/or -o phu-luc.xlsx."),
    "unit-not-in-form": ("Không có đơn vị «{name}». Các đơn vị: {names}.", "Unknown unit «{name}». Units: {names}."),
    "template-no-units": (
        "Không có đơn vị nào của biểu mẫu {form} tồn tại trong kỳ {period} (các huyện kết thúc ngày 30/6/2025). "
        "Biểu mẫu dùng cho kỳ này: {forms}.",
        "None of the units of the form {form} exists in the period {period} (districts ended on 30/06/2025). "
        "Forms for that period: {forms}.",
    ),
    "unit-needed": ("Cần --unit TÊN hoặc --all.", "Give --unit NAME or --all."),
    "cannot-access": (
        "Không đọc hoặc ghi được {path}: {detail}. Kiểm tra quyền truy cập và chỗ trống trên đĩa.",
        "Cannot read or write {path}: {detail}. Check the permissions and the free disk space.",
    ),
    "period-invalid": (
        "Kỳ báo cáo «{text}» không hợp lệ: dùng 2024 (năm), 2024-06 (tháng), 2024-Q2 (quý), 2024-H1 (6 tháng), "
        "2024-CN (cập nhật số liệu năm), 2021-2023 (đánh giá giai đoạn) hoặc 2024-03-20 (báo cáo đột xuất).",
        "Invalid period «{text}»: use 2024 (year), 2024-06 (month), 2024-Q2 (quarter), 2024-H1 (half-year), "
        "2024-CN (update of a year), 2021-2023 (evaluation of a span) or 2024-03-20 (ad hoc report).",
    ),
    "period-needed-ledger": (
        "Cần ghi kỳ báo cáo: --period 2024 (hoặc 2024-H1, 2024-Q3...). Sổ chưa có báo cáo nào của biểu {form}.",
        "Give the period: --period 2024 (or 2024-H1, 2024-Q3...). The ledger holds no return of the form {form}.",
    ),
    "period-needed": (
        "Cần ghi kỳ báo cáo: --period 2024 (hoặc 2024-H1, 2024-Q3...). Tiêu đề các tệp không cho biết một kỳ duy "
        "nhất (thấy: {found}).",
        "Give the period: --period 2024 (or 2024-H1, 2024-Q3...). The files' titles do not name one period (found: "
        "{found}).",
    ),
    "period-kind-not-in-form": (
        "Biểu mẫu {form} không có loại báo cáo cho kỳ «{period}». Các loại báo cáo của biểu mẫu: {kinds}.",
        "The form {form} has no report kind for the period «{period}». Its report kinds: {kinds}.",
    ),
    "period-kind-needs-code": (
        "Loại báo cáo «{kind}» cần kỳ cụ thể, ví dụ {example}.",
        "The report kind «{kind}» needs a period, for example {example}.",
    ),
    "store-cannot-open": ("Không mở được kho dữ liệu {url}: {detail}", "Cannot open the store {url}: {detail}"),
    "store-lost": (
        "Mất kết nối tới cơ sở dữ liệu của sổ {url} khi đang ghi sổ: {detail}. {done} tệp đầu đã được ghi sổ đầy đủ; "
        "khi cơ sở dữ liệu chạy lại, chạy lại đúng lệnh này: các tệp đã ghi không bị ghi lần nữa.",
        "Lost the ledger's database {url} while recording: {detail}. The first {done} files were recorded in full; "
        "when the database runs again, run the same command again: the files recorded are not recorded twice.",
    ),
    "store-unreachable": (
        "Không kết nối được cơ sở dữ liệu của sổ {url}: {detail}. Kiểm tra máy chủ cơ sở dữ liệu đang chạy, và địa "
        "chỉ, cổng, tên, mật khẩu trong --store (hoặc biến MTQG_STORE); không tệp nào được ghi sổ.",
        "Cannot reach the ledger's database {url}: {detail}. Check that the database server is running, and the "
        "address, port, name and password in --store (or MTQG_STORE); no file was recorded.",
    ),
    "config-not-found": ("Không tìm thấy tệp cấu hình {path}.", "Config file {path} does not exist."),
    "config-syntax": ("{path}: lỗi cú pháp TOML: {detail}", "{path}: TOML syntax error: {detail}"),
    "config-report-not-table": ("{path}: mục [report] phải là một bảng.", "{path}: [report] must be a table."),
    "template-not-found": ("Không tìm thấy mẫu báo cáo {path}.", "Report template {path} does not exist."),
    "template-unreadable": (
        "Mẫu báo cáo {path} không phải tệp Word đọc được ({detail}). Lưu mẫu bằng Word hoặc LibreOffice dưới dạng "
        ".docx rồi chạy lại.",
        "The report template {path} is not a readable Word file ({detail}). Save it from Word or LibreOffice as "
        ".docx and run again.",
    ),
    "template-syntax": (
        "Mẫu báo cáo {path} có thẻ viết sai: {detail}. Mỗi thẻ phải viết đủ, ví dụ {{{{ reported_count }}}} hoặc "
        "{{% for dv in units_table %}} … {{% endfor %}}.",
        "The report template {path} has a tag written wrong: {detail}. Each tag must be whole, for example "
        "{{{{ reported_count }}}} or {{% for dv in units_table %}} … {{% endfor %}}.",
    ),
    "template-unknown-variables": (
        "Mẫu báo cáo dùng biến không có: {names}. Xem danh sách biến: mtqg report --list-variables.",
        "The report template uses unknown variables: {names}. See: mtqg report --list-variables.",
    ),
    "schema-unknown": (
        "Không có biểu mẫu «{ref}».{hint} Các biểu mẫu hiện có: {known}.",
        "No form «{ref}».{hint_en} Known forms: {known}.",
    ),
    "paths-not-found": (
        "Không có tệp hay thư mục: {paths}. Kiểm tra lại đường dẫn.",
        "No such file or folder: {paths}. Check the path.",
    ),
    "date-invalid": (
        "Ngày «{text}» không hợp lệ: ghi theo dạng 2026-01-31.",
        "Invalid date «{text}»: write 2026-01-31.",
    ),
    "level-invalid": (
        "Cấp «{level}» không có: commune (xã), district (huyện) hoặc province (tỉnh).",
        "No level «{level}»: commune, district or province.",
    ),
    "province-unknown": (
        "Không có tỉnh, thành phố «{name}» vào ngày đó (xem: mtqg units list --level province).",
        "No province «{name}» on that day (see: mtqg units list --level province).",
    ),
    "unit-not-found": ("Không tìm thấy đơn vị «{name}».", "No unit «{name}»."),
    "schema-not-yaml": (
        "{path} không phải tệp biểu mẫu .yaml. Soạn biểu mẫu từ một bảng Excel: mtqg schema infer {path} -o bieu.yaml",
        "{path} is not a .yaml form file. To draft a form from a workbook: mtqg schema infer {path} -o form.yaml",
    ),
    "schema-not-utf8": (
        "{path}: tệp biểu mẫu không phải văn bản UTF-8 ({detail}); lưu lại với bảng mã UTF-8.",
        "{path}: the form file is not UTF-8 text ({detail}); save it as UTF-8.",
    ),
    "schema-file-not-found": ("Không tìm thấy tệp biểu mẫu {path}.", "Schema file {path} does not exist."),
    "schema-yaml-syntax": ("{path}{line}: lỗi cú pháp YAML: {detail}", "{path}{line_en}: YAML syntax error: {detail}"),
    "schema-not-mapping": (
        "{path}: tệp biểu mẫu phải là một bảng khoá: giá trị.",
        "{path}: must be a mapping.",
    ),
    "schema-invalid": ("{detail}", "{detail_en}"),
    "outline-unknown": (
        "Không có đề cương «{name}». Các đề cương: {known} (mtqg outline list).",
        "No outline «{name}». Outlines: {known} (mtqg outline list).",
    ),
    "outline-invalid": ("{path}: đề cương không hợp lệ: {detail}", "{path}: invalid outline: {detail}"),
    "output-exists": (
        "{path} đã có; không ghi đè. Chọn tên tệp khác hoặc chuyển tệp cũ đi.",
        "{path} exists; it is not written over. Choose another name or move the old file.",
    ),
    "definition-unreadable": (
        "{path} không đọc được như một bảng định nghĩa biểu mẫu ({detail}). Mở và lưu lại bằng Excel dạng .xlsx, "
        "hoặc tạo bảng mới: mtqg schema new -o bieu.xlsx",
        "{path} cannot be read as a form definition workbook ({detail}). Open and save it as .xlsx in Excel, or "
        "start one: mtqg schema new -o form.xlsx",
    ),
    "units-province-unknown": (
        "Không có tỉnh, thành phố «{province}» vào ngày {day} trong danh mục đơn vị cả nước (mtqg units list "
        "--level province --on {day}).",
        "No province «{province}» on {day} in the country's units (mtqg units list --level province --on {day}).",
    ),
    "units-list-not-found": ("Không tìm thấy danh mục đơn vị «{file}».", "Unit list «{file}» not found."),
    "units-list-invalid": ("{path}: {detail}", "{path}: {detail}"),
    "units-list-missing": ("{path}: không có đơn vị {missing}.", "{path}: no units {missing}."),
}


class MtqgError(Exception):
    """A failure that stops a command from running (exit code 2): bad schema, unwritable output, bad option.
    ``code`` is a key of :data:`FAILURES`; the message is that entry filled from ``params``."""

    def __init__(self, code: str, **params: Any) -> None:
        if code not in FAILURES:
            raise KeyError(f"unknown failure code {code!r}")
        self.code = code
        self.params = params
        super().__init__(self.message("vi"))

    def message(self, lang: str = "vi") -> str:
        vi, en = FAILURES[self.code]
        return (en if lang == "en" else vi).format_map(_Keep(self.params))

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {"code": self.code, "message": self.message(lang)}


class _Keep(dict[str, Any]):
    """Parameters for a template: a missing one shows as {name} rather than failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def catalogue_markdown() -> str:
    """docs/errors.md: every issue code and every failure code with its messages (generated; a test checks it)."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [
        "# Mã lỗi / Error codes",
        "",
        "Sinh tự động từ `src/mtqg_cli/errors.py` (`python -m mtqg_cli.errors > docs/errors.md`); đừng sửa tay.",
        "Generated from `src/mtqg_cli/errors.py`; do not edit by hand.",
        "",
        "## Vấn đề trong số liệu / Issues in the data",
        "",
        "Each issue has a code, a severity, a file, a sheet and a cell; `{name}` is filled from the issue.",
        "",
        "| code | thông báo | message | cách sửa / how to fix |",
        "|---|---|---|---|",
    ]
    for code, (vi, en, fix_vi, fix_en) in CATALOGUE.items():
        lines.append(f"| `{code}` | {cell(vi)} | {cell(en)} | {cell(fix_vi)}<br>{cell(fix_en)} |")
    lines += [
        "",
        "## Lỗi dừng lệnh (mã thoát 2) / Failures that stop a command (exit code 2)",
        "",
        "| code | thông báo | message |",
        "|---|---|---|",
    ]
    for code, (vi, en) in FAILURES.items():
        lines.append(f"| `{code}` | {cell(vi)} | {cell(en)} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(catalogue_markdown())
