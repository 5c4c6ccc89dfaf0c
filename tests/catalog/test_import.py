"""Spreadsheet import: the row-error matrix, all-or-nothing vs good rows, re-import updates,
the template, the page with progress, and the API's 422."""

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from catalog.domain import COLUMNS, MAX_ROWS, ImportFileError, ProductStatus
from catalog.models import ImportJob, ListingChange, Product
from catalog.services import imports
from mall.accounts.domain import Role
from mall.extensions import db
from mall.jobs import run_due_jobs
from tests.factories import (
    login,
    make_category,
    make_eligible_county,
    make_region,
    make_supplier,
    make_supplier_user,
    make_user,
)

HEADERS = [c.header for c in COLUMNS]
GOOD = {
    "商品编码": "DX-1",
    "商品名称": "定西土豆宽粉条 2.5kg/箱",
    "商品类别": "干货",
    "规格": "2.5kg/箱",
    "销售单位": "箱",
    "价格（元）": "52.00",
    "库存": "300",
    "起订量": "1",
    "产地县代码": "621102",
    "来源类型": "对口帮扶",
    "认定编号": "2026-621102-1",
    "储存方式": "常温",
    "保质期（天）": "540",
    "价格佐证链接": "https://www.fupin832.com/g/1",
}


def rows_of(*changes: dict) -> list[dict]:
    return [GOOD | {"商品编码": f"DX-{i}"} | change for i, change in enumerate(changes, 1)]


def xlsx(rows: list[dict], headers=HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h, "") for h in headers])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[dict], encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADERS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.fixture
def shop(app):
    make_category("dried", "干货")
    make_region("652824", name="若羌县")
    make_eligible_county("621121", name="通渭县")
    supplier = make_supplier(region_code="621102")
    owner = make_supplier_user(supplier)
    db.session.commit()
    return {"supplier": supplier, "owner": owner}


def run(shop, data: bytes, name="goods.xlsx", good_rows_only=False):
    rows = imports.read_rows(data, name)
    return imports.run_import(
        db.session, actor=shop["owner"], rows=rows, supplier_id=None, good_rows_only=good_rows_only
    )


def count_products() -> int:
    return db.session.scalar(select(func.count(Product.id)))


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        ({"产地县代码": "999999"}, "产地县代码", "产地县级行政区划代码不存在"),
        ({"产地县代码": "652824"}, "产地县代码", "不是脱贫县"),
        ({"产地县代码": "621121"}, "产地县代码", "供应商注册地与产地不一致"),
        ({"价格（元）": "0"}, "价格（元）", "价格必须大于0"),
        ({"价格（元）": "-3"}, "价格（元）", "价格必须大于0"),
        ({"价格（元）": "十二元"}, "价格（元）", "不是有效金额"),
        ({"库存": "-5"}, "库存", "库存不能为负数"),
        ({"库存": "五十"}, "库存", "不是整数"),
        ({"商品名称": ""}, "商品名称", "必填项为空"),
        ({"价格佐证链接": ""}, "价格佐证链接", "必填项为空"),
        ({"商品类别": "玩具"}, "商品类别", "未知的商品类别"),
        ({"来源类型": "外省"}, "来源类型", "来源类型只能是"),
        ({"来源类型": "省重点帮扶县"}, "来源类型", "来源类型"),
        ({"价格佐证链接": "淘宝上有"}, "价格佐证链接", "http"),
    ],
)
def test_every_bad_row_is_reported_with_row_column_and_reason_and_nothing_is_written(shop, change, column, message):
    # given a file whose second data row is bad
    data = xlsx(rows_of({}, change, {}))
    # when
    result = run(shop, data)
    # then
    assert not result.written and count_products() == 0
    assert [(e.row, e.column) for e in result.errors] == [(3, column)]
    assert message in result.errors[0].message


def test_duplicate_sku_in_the_file_is_reported_on_the_second_row(shop):
    result = run(shop, xlsx(rows_of({}, {}, {"商品编码": "DX-1"})))
    assert [(e.row, e.column) for e in result.errors] == [(4, "商品编码")]
    assert "第2行" in result.errors[0].message


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "goods.xlsx", "文件为空"),
        (b"MZ\x90\x00 not a spreadsheet", "goods.exe", "文件类型不正确"),
        (b"PK\x03\x04garbage", "goods.xlsx", "无法读取"),
        ("商品编码,商品名称\n".encode(), "goods.csv", "表头缺少必填列"),
        (",".join(HEADERS).encode() + b"\n", "goods.csv", "没有数据行"),
    ],
)
def test_bad_files_are_refused_as_a_whole(shop, data, name, message):
    with pytest.raises(ImportFileError) as err:
        imports.read_rows(data, name)
    assert message in err.value.message


def test_more_than_5000_rows_is_refused(shop):
    rows = [GOOD | {"商品编码": f"S{i}"} for i in range(MAX_ROWS + 1)]
    with pytest.raises(ImportFileError) as err:
        imports.read_rows(csv_bytes(rows), "big.csv")
    assert "5000" in err.value.message


def test_good_rows_mode_imports_the_good_rows_and_reports_the_rest(shop):
    result = run(shop, xlsx(rows_of({}, {"库存": "-1"}, {})), good_rows_only=True)
    assert result.written and result.created == 2 and len(result.errors) == 1
    assert count_products() == 2


def test_reimporting_the_same_file_updates_never_duplicates(shop):
    data = xlsx(rows_of({}, {}))
    first = run(shop, data)
    second = run(shop, data)
    assert (first.created, second.created, second.updated) == (2, 0, 2)
    assert count_products() == 2


def test_reimport_of_a_listing_on_sale_follows_the_review_rules(shop):
    run(shop, xlsx(rows_of({})))
    product = db.session.scalar(select(Product))
    product.status = ProductStatus.APPROVED
    db.session.commit()
    result = run(shop, xlsx(rows_of({"价格（元）": "80.00", "库存": "20"})))
    assert result.updated == 1 and result.sent_to_review == 1
    assert product.price_fen == 5_200 and product.stock_qty == 20  # the price waits for review
    assert db.session.scalar(select(ListingChange.fields)) == ["price_fen"]


def test_csv_in_gbk_as_excel_saves_it(shop):
    result = run(shop, csv_bytes(rows_of({}), encoding="gb18030"), name="goods.csv")
    assert result.created == 1 and db.session.scalar(select(Product.title)) == "定西土豆宽粉条 2.5kg/箱"


def test_template_has_the_chinese_headers_and_imports_as_is(shop):
    wb = load_workbook(io.BytesIO(imports.template_xlsx(for_coop=False)))
    headers = [c.value for c in wb.worksheets[0][1]]
    assert headers[:3] == ["商品编码", "商品名称", "商品类别"] and "供应商统一社会信用代码" not in headers
    result = run(shop, imports.template_xlsx(for_coop=False))  # the example row is a valid row
    assert result.created == 1


def test_the_cooperative_names_each_rows_supplier_by_credit_code(app, shop):
    coop = make_user(Role.COOP_OPERATOR)
    shop["supplier"].served_by_coop = True
    stranger = make_supplier(region_code="621102")  # not served by the cooperative
    db.session.commit()
    headers = HEADERS
    rows = [
        GOOD | {"供应商统一社会信用代码": shop["supplier"].credit_code},
        GOOD | {"商品编码": "DX-2", "供应商统一社会信用代码": stranger.credit_code},
        GOOD | {"商品编码": "DX-3", "供应商统一社会信用代码": ""},
    ]
    result = imports.run_import(
        db.session,
        actor=coop,
        rows=imports.read_rows(xlsx(rows, headers), "c.xlsx"),
        supplier_id=None,
        good_rows_only=True,
    )
    assert result.created == 1
    assert [(e.row, e.column) for e in result.errors] == [(3, "供应商统一社会信用代码"), (4, "供应商统一社会信用代码")]


def test_import_page_small_file_shows_the_errors(client, shop):
    login(client, shop["owner"])
    response = client.post(
        "/supplier/listings/import",
        data={"file": (io.BytesIO(xlsx(rows_of({"库存": "-1"}))), "goods.xlsx")},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert "未导入任何商品" in html and "库存不能为负数" in html
    assert count_products() == 0


def test_import_page_large_file_runs_in_the_jobs_loop_with_progress(client, shop):
    # given a file above the page's immediate limit
    login(client, shop["owner"])
    rows = [
        GOOD | {"商品编码": f"DX-{i}", "商品名称": f"定西土豆宽粉条{i}号"} for i in range(imports.IMMEDIATE_ROWS + 20)
    ]
    response = client.post(
        "/supplier/listings/import",
        data={"file": (io.BytesIO(xlsx(rows)), "big.xlsx")},
        content_type="multipart/form-data",
    )
    # then it is queued and the progress page refreshes itself
    assert response.status_code == 302
    job = db.session.scalar(select(ImportJob))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert job.status == "queued" and 'http-equiv="refresh"' in page
    # when the jobs loop runs
    run_due_jobs(db.session)
    db.session.expire_all()
    # then
    job = db.session.scalar(select(ImportJob))
    assert job.status == "done" and job.result["created"] == len(rows)
    assert count_products() == len(rows)
    assert "新增 320 个" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_someone_elses_import_job_is_not_found(client, shop):
    job = imports.queue_import(
        db.session,
        actor=shop["owner"],
        data=xlsx(rows_of({})),
        filename="a.xlsx",
        supplier_id=None,
        good_rows_only=False,
    )
    other = make_supplier_user(make_supplier(region_code="621102"))
    db.session.commit()
    login(client, other)
    assert client.get(f"/supplier/imports/{job.id}").status_code == 404


def test_api_import_answers_422_with_errors_and_writes_nothing(client, shop):
    token = client.post(
        "/api/v1/auth/token", json={"username": shop["owner"].username, "password": "test-pass-2026"}
    ).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    bad = client.post(
        "/api/v1/listings/import",
        headers=headers,
        data={"file": (io.BytesIO(xlsx(rows_of({}, {"价格（元）": "0"}))), "g.xlsx")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422
    assert bad.get_json() == {
        "created": 0,
        "updated": 0,
        "sent_to_review": 0,
        "written": False,
        "total_rows": 2,
        "errors": [{"row": 3, "column": "价格（元）", "message": "价格必须大于0"}],
    }
    good = client.post(
        "/api/v1/listings/import",
        headers=headers,
        data={"file": (io.BytesIO(xlsx(rows_of({}, {"价格（元）": "0"}))), "g.xlsx"), "mode": "good_rows"},
        content_type="multipart/form-data",
    )
    assert good.status_code == 200 and good.get_json()["created"] == 1
    wrong = client.post(
        "/api/v1/listings/import",
        headers=headers,
        data={"file": (io.BytesIO(b"hello"), "g.txt")},
        content_type="multipart/form-data",
    )
    assert wrong.status_code == 400 and wrong.get_json()["error"]["code"] == "import_file_invalid"
