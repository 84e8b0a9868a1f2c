"""The worked examples of docs/forms.md, filled into `mtqg schema new` workbooks cell by cell, as an officer types
them in Excel (no YAML): Bắc Sơn's Dự án 7 reports (seed 002) and Tam Đường's monitoring and evaluation reports
(seed 001). Run from the repository: python sample_data/forms/make_examples.py"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

HERE = Path(__file__).resolve().parent


def fill(path: Path, info: dict, sheets: dict[str, list[dict]]) -> None:
    if path.exists():
        path.unlink()
    subprocess.run([sys.executable, "-m", "mtqg_cli", "schema", "new", "-o", str(path)], check=True)
    wb = load_workbook(path)
    ws = wb["Thông tin"]
    rows = {row[0].value: row[1] for row in ws.iter_rows(min_row=2)}
    for key, value in info.items():
        if key in rows:
            rows[key].value = value
        else:
            ws.append([key, value])
    for name, items in sheets.items():
        ws = wb[name]
        headings = {c.value: c.column for c in ws[1] if c.value}
        for r, item in enumerate(items, start=2):
            for key, value in item.items():
                ws.cell(row=r, column=headings[key], value=value)
    wb.save(path)


def bac_son() -> None:
    fill(
        HERE / "bac-son-du-an-7.xlsx",
        {
            "mã": "bac-son-du-an-7",
            "tên biểu": "Kết quả thực hiện Dự án 7 năm 2024 (Nâng cao năng lực và giám sát, đánh giá Chương trình)",
            "căn cứ": "Kế hoạch thực hiện Dự án 7 năm 2024",
            "ngày": "15/03/2024",
            "cơ quan ban hành": "UBND huyện Bắc Sơn",
            "tỉnh": "Lạng Sơn",
            "cấp": "cơ quan",
            "mã chương trình": "GNBV",
            "chương trình": "Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2021-2025",
            "mã dự án": "DA7",
            "dự án": "Dự án 7: Nâng cao năng lực và giám sát, đánh giá Chương trình",
            "cơ quan tổng hợp": "Phòng Lao động, Thương binh, Xã hội - Dân tộc",
            "cơ quan cấp trên": "UBND huyện Bắc Sơn",
            "địa danh": "Bắc Sơn",
            "nơi nhận": "Sở Lao động - Thương binh và Xã hội; UBND huyện",
        },
        {
            "Chỉ tiêu": [
                {"mã": "lop_tap_huan", "tên": "Số lớp đào tạo, tập huấn", "đvt": "lớp", "kiểu": "số nguyên",
                 "nhỏ nhất": 0, "nhóm": "Tiểu dự án 1: Nâng cao năng lực"},
                {"mã": "luot_tap_huan", "tên": "Số lượt cán bộ được tập huấn", "đvt": "lượt", "kiểu": "số nguyên",
                 "nhỏ nhất": 0, "nhóm": "Tiểu dự án 1: Nâng cao năng lực"},
                {"mã": "luot_nu", "tên": "Trong đó: cán bộ nữ", "đvt": "lượt", "kiểu": "số nguyên", "nhỏ nhất": 0,
                 "nhóm": "Tiểu dự án 1: Nâng cao năng lực", "cộng vào dòng tổng": "có"},
                {"mã": "cuoc_giam_sat", "tên": "Số cuộc kiểm tra, giám sát", "đvt": "cuộc", "kiểu": "số nguyên",
                 "nhỏ nhất": 0, "nhóm": "Tiểu dự án 2: Giám sát, đánh giá"},
                {"mã": "kinh_phi_giao", "tên": "Kinh phí được giao", "đvt": "triệu đồng", "kiểu": "số thập phân",
                 "nhỏ nhất": 0, "nhóm": "Kinh phí"},
                {"mã": "kinh_phi_giai_ngan", "tên": "Kinh phí đã giải ngân", "đvt": "triệu đồng",
                 "kiểu": "số thập phân", "nhỏ nhất": 0, "nhóm": "Kinh phí"},
                {"mã": "ty_le_giai_ngan", "tên": "Tỷ lệ giải ngân", "đvt": "%", "kiểu": "tỷ lệ", "bắt buộc": "không",
                 "công thức": "kinh_phi_giai_ngan / kinh_phi_giao * 100", "nhóm": "Kinh phí"},
                {"mã": "kho_khan", "tên": "Khó khăn, vướng mắc", "kiểu": "chữ", "bắt buộc": "có", "lớn nhất": 1000,
                 "mục báo cáo": "hạn chế"},
                {"mã": "de_xuat", "tên": "Đề xuất, kiến nghị", "kiểu": "chữ", "lớn nhất": 1000,
                 "mục báo cáo": "đề xuất"},
            ],
            "Đơn vị": [
                {"mã": "phong-tc-kh", "tên": "Phòng Tài chính - Kế hoạch", "loại": "phòng"},
                {"mã": "ub-mttq", "tên": "Ủy ban Mặt trận Tổ quốc Việt Nam huyện", "loại": "ủy ban mặt trận",
                 "tên khác": "UB MTTQ huyện; MTTQ huyện"},
                {"mã": "hoi-lhpn", "tên": "Hội Liên hiệp Phụ nữ huyện", "loại": "hội", "tên khác": "Hội LHPN huyện"},
                {"mã": "hoi-nong-dan", "tên": "Hội Nông dân huyện", "loại": "hội"},
                {"mã": "hoi-ccb", "tên": "Hội Cựu chiến binh huyện", "loại": "hội"},
                {"mã": "doan-tn", "tên": "Đoàn Thanh niên huyện", "loại": "đoàn"},
            ],
            "Quy tắc": [
                {"mã": "nu-khong-qua-tong", "loại": "so sánh", "vế trái": "luot_nu", "so sánh": "<=",
                 "vế phải": "luot_tap_huan", "mức": "lỗi",
                 "thông báo": "Số lượt cán bộ nữ không được lớn hơn tổng số lượt được tập huấn."},
                {"mã": "giai-ngan-khong-qua-giao", "loại": "so sánh", "vế trái": "kinh_phi_giai_ngan",
                 "so sánh": "<=", "vế phải": "kinh_phi_giao", "sai số": 0.05, "mức": "cảnh báo",
                 "thông báo": "Kinh phí giải ngân lớn hơn kinh phí được giao: kiểm tra lại."},
            ],
            # seed 002: 'trước ngày 10/5/2024 (báo cáo 6 tháng) và trước ngày 20/10/2024 (báo cáo năm)'
            "Hạn nộp": [
                {"loại báo cáo": "Báo cáo 6 tháng", "kỳ": "6 tháng", "hạn": "10/5/2024"},
                {"loại báo cáo": "Báo cáo năm", "kỳ": "năm", "hạn": "20/10/2024"},
            ],
        },
    )


def tam_duong() -> None:
    common = {
        "căn cứ": "Kế hoạch giám sát và đánh giá kết quả thực hiện Chương trình MTQG giảm nghèo bền vững giai đoạn "
        "2021-2025 trên địa bàn huyện Tam Đường",
        "ngày": "01/11/2022",
        "cơ quan ban hành": "UBND huyện Tam Đường",
        "tỉnh": "Lai Châu",
        "cấp": "xã",
        "danh mục đơn vị: tỉnh": "Lai Châu",
        "danh mục đơn vị: huyện": "Tam Đường",
        "danh mục đơn vị: cấp": "xã",
        "ngày đơn vị": "01/01/2024",
        "mã chương trình": "GNBV",
        "chương trình": "Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2021-2025",
        "mã dự án": "GSDG",
        "dự án": "Giám sát, đánh giá thực hiện Chương trình",
        "cơ quan tổng hợp": "Phòng Lao động - Thương binh và Xã hội",
        "cơ quan cấp trên": "UBND huyện Tam Đường",
        "địa danh": "Tam Đường",
    }
    indicators = [
        {"mã": "ho_ngheo", "tên": "Số hộ nghèo", "đvt": "hộ", "kiểu": "số nguyên", "nhỏ nhất": 0},
        {"mã": "ho_thoat_ngheo", "tên": "Số hộ thoát nghèo trong kỳ", "đvt": "hộ", "kiểu": "số nguyên",
         "nhỏ nhất": 0},
        {"mã": "von_giao", "tên": "Vốn được giao", "đvt": "triệu đồng", "kiểu": "số thập phân", "nhỏ nhất": 0},
        {"mã": "von_giai_ngan", "tên": "Vốn đã giải ngân", "đvt": "triệu đồng", "kiểu": "số thập phân",
         "nhỏ nhất": 0},
        {"mã": "kho_khan", "tên": "Tồn tại, khó khăn vướng mắc và nguyên nhân", "kiểu": "chữ", "bắt buộc": "có",
         "mục báo cáo": "hạn chế"},
        {"mã": "giai_phap", "tên": "Phương hướng, giải pháp", "kiểu": "chữ", "mục báo cáo": "phương hướng"},
    ]
    agencies = [
        {"mã": "phong-tc-kh", "tên": "Phòng Tài chính - Kế hoạch", "loại": "phòng"},
        {"mã": "phong-nn", "tên": "Phòng Nông nghiệp và Phát triển nông thôn", "loại": "phòng"},
    ]
    # seed 001, 4.1: monitoring reports before 15/5 (6 months) and 15/11 (the year); 10 working days after a round
    fill(
        HERE / "tam-duong-giam-sat.xlsx",
        {**common, "mã": "tam-duong-giam-sat", "tên biểu": "Báo cáo giám sát thực hiện Chương trình MTQG giảm nghèo "
         "bền vững"},
        {
            "Chỉ tiêu": indicators,
            "Đơn vị": agencies,
            "Hạn nộp": [
                {"loại báo cáo": "Báo cáo giám sát 6 tháng", "kỳ": "6 tháng", "hạn": "15/05"},
                {"loại báo cáo": "Báo cáo giám sát hằng năm", "kỳ": "năm", "hạn": "15/11"},
                {"loại báo cáo": "Báo cáo sau đợt giám sát", "kỳ": "đột xuất", "hạn": "10 ngày làm việc"},
            ],
        },
    )
    # seed 001, 4.2: evaluations at the start, mid-term, each year and at the end of the phase
    fill(
        HERE / "tam-duong-danh-gia.xlsx",
        {**common, "mã": "tam-duong-danh-gia", "tên biểu": "Báo cáo đánh giá thực hiện Chương trình MTQG giảm nghèo "
         "bền vững"},
        {
            "Chỉ tiêu": indicators,
            "Đơn vị": agencies,
            "Hạn nộp": [
                {"loại báo cáo": "Đánh giá đầu kỳ", "kỳ": "đánh giá", "hạn": "15/11/2022", "giai đoạn": "2021-2022",
                 "mã": "dau-ky"},
                {"loại báo cáo": "Đánh giá giữa kỳ", "kỳ": "đánh giá", "hạn": "15/08/2023", "giai đoạn": "2021-2023",
                 "mã": "giua-ky"},
                {"loại báo cáo": "Đánh giá hằng năm", "kỳ": "năm", "hạn": "20/11"},
                {"loại báo cáo": "Đánh giá kết thúc giai đoạn", "kỳ": "đánh giá", "hạn": "15/08/2025",
                 "giai đoạn": "2021-2025", "mã": "cuoi-ky"},
            ],
        },
    )


if __name__ == "__main__":
    bac_son()
    tam_duong()
