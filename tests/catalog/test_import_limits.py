"""Hostile spreadsheets cost little: every row counts against the limit (empty ones too), an .xlsx
that unzips too large (by its declared or its real sizes) is refused before openpyxl reads it, a
cell at column XFD does not widen every row, parsing stops at a deadline, and only an approved
supplier (or the cooperative) has a file read at all. The files are built in memory."""

import io
import zipfile

import pytest
from sqlalchemy import select

from catalog.domain import MAX_ROWS, ImportFileError, SupplierStatus
from catalog.models import Product
from catalog.services import imports
from catalog.services.imports import files as import_files
from catalog.services.imports import rows as import_rows
from mall import bounds
from mall.accounts.domain import Role
from mall.errors import PermissionDeniedError
from mall.extensions import db
from tests.catalog.test_import import GOOD, HEADERS, csv_bytes, xlsx
from tests.factories import PASSWORD, login, make_category, make_supplier, make_supplier_user, make_user

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="商品导入" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
_COLUMNS = "ABCDEFGHIJKLMNOPQRS"


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _header_row() -> str:
    return '<row r="1">' + "".join(_cell(f"{c}1", h) for c, h in zip(_COLUMNS, HEADERS, strict=False)) + "</row>"


def raw_xlsx(rows_xml: str, *, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal .xlsx whose sheet holds the template's header row and `rows_xml`, as written by hand."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><sheetData>' + _header_row() + rows_xml + "</sheetData></worksheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def shop(app):
    make_category("dried", "干货")
    supplier = make_supplier(region_code="621102")
    owner = make_supplier_user(supplier)
    db.session.commit()
    return {"supplier": supplier, "owner": owner}


def _count_rows_read(monkeypatch) -> list[int]:
    """The width of every row the parser hands over, as it is read."""
    widths: list[int] = []
    real = import_files._rows

    def counting(raw, deadline):
        def tap():
            for values in raw:
                widths.append(len(values))
                yield values

        return real(tap(), deadline)

    monkeypatch.setattr(import_files, "_rows", counting)
    return widths


def test_a_hundred_thousand_rows_with_values_only_in_an_unmapped_column_are_refused_at_once(app, monkeypatch):
    # given 100,000 rows whose only value sits in column Z, which the template does not use
    data = raw_xlsx("".join(f'<row r="{n}">{_cell(f"Z{n}", "x")}</row>' for n in range(2, 100_002)))
    rows_read = _count_rows_read(monkeypatch)
    monkeypatch.setattr(bounds, "MAX_IMPORT_PARSE_SECONDS", 600.0)  # the row limit stops it, not the clock
    # when it is read
    with pytest.raises(ImportFileError) as err:
        imports.read_rows(data, "goods.xlsx")
    # then it is refused by the row limit, which counts the empty rows, long before it is all parsed
    assert str(MAX_ROWS) in err.value.message and "空行" in err.value.message
    assert len(rows_read) == MAX_ROWS + 2  # the header, the rows allowed, and the one beyond


def test_empty_csv_lines_count_against_the_row_limit(app):
    data = csv_bytes([GOOD]) + b"\r\n" * (MAX_ROWS + 10)
    with pytest.raises(ImportFileError) as err:
        imports.read_rows(data, "goods.csv")
    assert str(MAX_ROWS) in err.value.message


def test_a_file_of_exactly_the_limit_is_read(app):
    rows = [GOOD | {"商品编码": f"S{i}"} for i in range(MAX_ROWS)]
    assert len(imports.read_rows(csv_bytes(rows), "goods.csv")) == MAX_ROWS


def test_an_xlsx_that_unzips_beyond_the_bound_is_refused_before_it_is_parsed(app, monkeypatch):
    # given a small file (a few kB) holding a part that unzips to 2 MB
    data = raw_xlsx("", extra={"xl/media/padding.xml": b" " * (2 * 1024 * 1024)})
    assert len(data) < 20_000
    monkeypatch.setattr(bounds, "MAX_IMPORT_UNZIPPED_BYTES", 1024 * 1024)
    monkeypatch.setattr(import_files, "load_workbook", _no_parsing)  # openpyxl never sees it
    with pytest.raises(ImportFileError) as err:
        imports.read_rows(data, "goods.xlsx")
    assert "解压后过大" in err.value.message


def test_an_xlsx_that_lies_about_its_sizes_is_refused(app):
    # given a sheet whose directory claims 100 bytes while it inflates to far more
    data = bytearray(raw_xlsx("".join(f'<row r="{n}">{_cell(f"A{n}", "x" * 50)}</row>' for n in range(2, 500))))
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    real = sheet.file_size.to_bytes(4, "little")
    assert data.count(real) == 2  # in the local header and in the central directory
    data = bytearray(bytes(data).replace(real, (100).to_bytes(4, "little")))
    # when it is read, then it is refused as damaged, not handed to openpyxl as a small part
    with pytest.raises(ImportFileError) as err:
        imports.check_xlsx_archive(bytes(data))
    assert "无法读取" in err.value.message


def test_a_cell_at_the_last_column_does_not_widen_every_row(app, monkeypatch):
    rows = "".join(
        f'<row r="{n}">{_cell(f"A{n}", f"DX-{n}")}{_cell(f"B{n}", "定西粉条")}{_cell(f"XFD{n}", "x")}</row>'
        for n in range(2, 2_002)
    )
    widths = _count_rows_read(monkeypatch)
    parsed = imports.read_rows(raw_xlsx(rows), "goods.xlsx")
    assert len(parsed) == 2_000 and parsed[0][1]["sku"] == "DX-2"
    assert max(widths) == bounds.MAX_IMPORT_COLUMNS  # not 16,384 cells a row


@pytest.mark.parametrize(
    ("rows_xml", "extra"),
    [
        # one row of 2,000 cells: openpyxl parses a row in one go, before any deadline is checked
        ('<row r="2">' + "".join(_cell("A2", "x") for _ in range(2_000)) + "</row>", {}),
        # 2,000 shared strings, all loaded when the workbook opens (with a namespace prefix)
        (
            "",
            {
                "xl/sharedStrings.xml": (
                    '<x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    + "<x:si><x:t>x</x:t></x:si>" * 2_000
                    + "</x:sst>"
                ).encode()
            },
        ),
    ],
)
def test_a_sheet_with_more_cells_than_any_import_needs_is_refused_before_it_is_parsed(
    app, monkeypatch, rows_xml, extra
):
    monkeypatch.setattr(bounds, "MAX_IMPORT_CELLS", 1_000)
    monkeypatch.setattr(import_files, "load_workbook", _no_parsing)
    with pytest.raises(ImportFileError) as err:
        imports.read_rows(raw_xlsx(rows_xml, extra=extra), "goods.xlsx")
    assert "单元格过多" in err.value.message


def test_parsing_stops_at_the_deadline(app, monkeypatch):
    monkeypatch.setattr(bounds, "MAX_IMPORT_PARSE_SECONDS", 0.0)
    rows = [GOOD | {"商品编码": f"S{i}"} for i in range(300)]
    with pytest.raises(ImportFileError) as err:
        imports.read_rows(xlsx(rows), "goods.xlsx")
    assert "超时" in err.value.message


def test_a_csv_cell_too_long_for_the_reader_is_a_clear_refusal(app):
    data = csv_bytes([GOOD | {"商品描述": "长" * 200_000}])
    with pytest.raises(ImportFileError) as err:
        imports.read_rows(data, "goods.csv")
    assert "CSV" in err.value.message


def _no_parsing(*_args, **_kwargs):
    raise AssertionError("the file was parsed")


def test_a_supplier_not_yet_approved_has_no_file_parsed(client, shop, monkeypatch):
    # given a supplier whose approval was suspended, with a valid file
    shop["supplier"].status = SupplierStatus.SUSPENDED
    db.session.commit()
    monkeypatch.setattr(import_rows, "read_rows", _no_parsing)
    token = client.post(
        "/api/v1/auth/token", json={"username": shop["owner"].username, "password": PASSWORD}
    ).get_json()["token"]
    # when it uploads through the API and the page
    response = client.post(
        "/api/v1/listings/import",
        headers={"Authorization": f"Bearer {token}"},
        data={"file": (io.BytesIO(xlsx([GOOD])), "g.xlsx")},
        content_type="multipart/form-data",
    )
    login(client, shop["owner"])
    page = client.post(
        "/supplier/listings/import",
        data={"file": (io.BytesIO(xlsx([GOOD])), "g.xlsx")},
        content_type="multipart/form-data",
    )
    # then both refuse before reading the file
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "supplier_not_approved"
    assert "尚未通过平台审核" in page.get_data(as_text=True)
    assert db.session.scalar(select(Product.id)) is None


def test_someone_who_lists_for_nobody_has_no_file_parsed(app, monkeypatch):
    monkeypatch.setattr(import_rows, "read_rows", _no_parsing)
    buyer = make_user(Role.BUYER)
    db.session.commit()
    with pytest.raises(PermissionDeniedError):
        imports.parse_upload(db.session, actor=buyer, supplier_id=None, data=xlsx([GOOD]), filename="g.xlsx")
