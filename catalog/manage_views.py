"""Supplier and cooperative pages for listings (list, create, edit, delist/relist, import) and the
platform operator's review queue. Thin: services decide, forms carry the input."""

from __future__ import annotations

import mimetypes

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from catalog import access, queries, services
from catalog.domain import (
    PRODUCT_STATUS_LABELS,
    REVIEW_FIELD_LABELS,
    ChangeStatus,
    ListingInput,
    ProductStatus,
    SourceProgram,
    Storage,
    default_program,
)
from catalog.forms import ImportForm, ListingForm, ReasonForm
from catalog.models import ImportJob, PriceEvidence, Product, ProductPhoto, Supplier
from catalog.services import imports, listing_changes, listings
from mall import headers, uploads
from mall.accounts.domain import Role
from mall.errors import DomainError, NotFoundError
from mall.extensions import db
from mall.forms import as_choices
from mall.money import InvalidAmountError, format_yuan, yuan_to_fen
from mall.pagination import paginate
from mall.redirects import redirect_to_referrer

bp = Blueprint("catalog_manage", __name__, template_folder="templates")
LISTERS = (Role.SUPPLIER, Role.COOP_OPERATOR)


def _require(*roles: Role) -> None:
    if not current_user.has_role(*roles):
        abort(403)


def _uploads(files) -> list[tuple]:
    return [(f.stream, f.filename) for f in files if f and f.filename]


def form_to_input(form: ListingForm) -> ListingInput:
    try:
        price = yuan_to_fen(form.price.data or "")
    except InvalidAmountError:
        raise InvalidAmountError("价格格式不正确（最多两位小数）") from None
    return ListingInput(
        sku=form.sku.data or "",
        title=form.title.data or "",
        category_slug=form.category.data or "",
        spec=form.spec.data or "",
        sale_unit=form.sale_unit.data or "",
        price_fen=price,
        stock_qty=form.stock_qty.data if form.stock_qty.data is not None else -1,
        origin_county_code=form.origin_county_code.data or "",
        program=SourceProgram(form.program.data),
        net_content=form.net_content.data or 0,
        net_content_unit=form.net_content_unit.data or "g",
        min_order_qty=form.min_order_qty.data or 1,
        pack_size=form.pack_size.data or 1,
        cert_no=form.cert_no.data or "",
        storage=Storage(form.storage.data),
        shelf_life_days=form.shelf_life_days.data or 365,
        season=form.season.data or "",
        description=form.description.data or "",
    )


def _suppliers_for_form() -> list[Supplier]:
    return access.actable_suppliers(db.session, current_user)


def _fill_choices(form: ListingForm, suppliers: list[Supplier]) -> None:
    form.supplier_id.choices = as_choices((s.id, f"{s.name}（{s.region.name}）") for s in suppliers)
    form.category.choices = as_choices((c.slug, c.name) for c in queries.categories(db.session))
    counties = {s.region_code: s.region for s in suppliers}
    form.origin_county_code.choices = as_choices((code, r.full_name) for code, r in sorted(counties.items()))


@bp.get("/supplier/listings")
@login_required
def listing_index():
    _require(*LISTERS)
    status = request.args.get("status") or None
    ids = access.actable_supplier_ids(db.session, current_user)
    page = paginate(queries.supplier_listings_select(ids, status), per_page=30)
    pending = queries.with_pending_change(db.session, [p.id for p in page.items])
    return render_template(
        "catalog/manage/listing_index.html",
        page=page,
        pending=pending,
        status_labels=PRODUCT_STATUS_LABELS,
        page_title="我的商品",
    )


@bp.route("/supplier/listings/new", methods=["GET", "POST"])
@login_required
def listing_create():
    _require(*LISTERS)
    suppliers = _suppliers_for_form()
    form = ListingForm()
    _fill_choices(form, suppliers)
    if request.method == "GET" and suppliers:
        county = suppliers[0].region
        form.origin_county_code.data = county.code
        form.program.data = default_program(
            is_poverty_county=county.is_poverty_county,
            is_counterpart=county.is_counterpart,
            is_provincial_key=county.is_provincial_key,
        ).value
    if form.validate_on_submit():
        try:
            product = listings.create_listing(
                db.session,
                actor=current_user,
                supplier_id=form.supplier_id.data if current_user.has_role(Role.COOP_OPERATOR) else None,
                data=form_to_input(form),
                evidence_urls=[form.evidence_url.data or ""],
                evidence_files=_uploads([form.evidence_file.data]),
                photos=_uploads(form.photos.data or []),
            )
        except DomainError as err:
            db.session.rollback()
            flash(err.message, "error")
        else:
            flash("商品已提交，等待采购中心审核", "success")
            return redirect(url_for("catalog_manage.listing_show", product_id=product.id))
    return render_template("catalog/manage/listing_form.html", form=form, product=None, page_title="新增商品")


@bp.get("/supplier/listings/<int:product_id>")
@login_required
def listing_show(product_id: int):
    product = access.listing_for_viewer(db.session, current_user, product_id)
    change = queries.latest_change(db.session, product.id)
    history = queries.listing_history(db.session, product.id)
    twin = db.session.get(Product, product.twin_of_id) if product.twin_of_id else None
    pending = change is not None and change.status is ChangeStatus.PENDING
    return render_template(
        "catalog/manage/listing_show.html",
        product=product,
        change=change,
        diff=listing_changes.change_diff(db.session, change) if pending else None,
        field_labels=REVIEW_FIELD_LABELS,
        history=history,
        twin=twin,
        reason_form=ReasonForm(),
        page_title=product.title,
    )


@bp.route("/supplier/listings/<int:product_id>/edit", methods=["GET", "POST"])
@login_required
def listing_edit(product_id: int):
    product = access.listing_for_actor(db.session, current_user, product_id)
    form = ListingForm(obj=None)
    _fill_choices(form, [product.supplier])
    if request.method == "GET":
        current = services.listing_input_of(product)
        for key in (
            "sku",
            "title",
            "spec",
            "sale_unit",
            "net_content",
            "net_content_unit",
            "stock_qty",
            "min_order_qty",
            "pack_size",
            "cert_no",
            "shelf_life_days",
            "season",
            "description",
        ):
            getattr(form, key).data = getattr(current, key)
        form.category.data, form.origin_county_code.data = current.category_slug, current.origin_county_code
        form.program.data, form.storage.data = current.program.value, current.storage.value
        form.price.data = format_yuan(current.price_fen, symbol=False, grouped=False)
    if form.validate_on_submit():
        try:
            _, sent = listings.edit_listing(
                db.session,
                actor=current_user,
                product_id=product.id,
                data=form_to_input(form),
                evidence_urls=[form.evidence_url.data or ""],
                photos=_uploads(form.photos.data or []),
            )
        except DomainError as err:
            db.session.rollback()
            flash(err.message, "error")
        else:
            flash(
                "修改已提交审核，审核通过前按原信息销售"
                if sent and product.status is ProductStatus.APPROVED
                else "已保存" + ("，等待审核" if sent else ""),
                "success",
            )
            return redirect(url_for("catalog_manage.listing_show", product_id=product.id))
    return render_template("catalog/manage/listing_form.html", form=form, product=product, page_title="修改商品")


@bp.post("/supplier/listings/<int:product_id>/delist")
@login_required
def listing_delist(product_id: int):
    listings.delist(db.session, actor=current_user, product_id=product_id, reason=request.form.get("reason", ""))
    flash("商品已下架", "success")
    return redirect_to_referrer(url_for("catalog_manage.listing_show", product_id=product_id))


@bp.post("/supplier/listings/<int:product_id>/relist")
@login_required
def listing_relist(product_id: int):
    product = listings.relist(db.session, actor=current_user, product_id=product_id)
    flash("商品已重新上架" if product.status is ProductStatus.APPROVED else "已提交重新上架，等待审核", "success")
    return redirect(url_for("catalog_manage.listing_show", product_id=product_id))


# ---- import ----------------------------------------------------------------------------------------


@bp.route("/supplier/listings/import", methods=["GET", "POST"])
@login_required
def listing_import():
    _require(*LISTERS)
    suppliers = _suppliers_for_form()
    form = ImportForm()
    form.supplier_id.choices = as_choices([(0, "（按文件中的供应商信用代码）"), *((s.id, s.name) for s in suppliers)])
    result = None
    if form.validate_on_submit():
        upload = form.file.data
        supplier_id = form.supplier_id.data or None if current_user.has_role(Role.COOP_OPERATOR) else None
        try:
            outcome = imports.import_upload(
                db.session,
                actor=current_user,
                data=upload.read() if upload else b"",
                filename=(upload.filename if upload else "") or "",
                supplier_id=supplier_id,
                good_rows_only=form.good_rows_only.data,
            )
        except DomainError as err:
            db.session.rollback()
            flash(err.message, "error")
        else:
            if isinstance(outcome, ImportJob):
                return redirect(url_for("catalog_manage.import_show", job_id=outcome.id))
            result = outcome.as_dict()
    return render_template("catalog/manage/import_form.html", form=form, result=result, page_title="批量导入商品")


@bp.get("/supplier/listings/import-template.xlsx")
@login_required
def import_template():
    _require(*LISTERS)
    data = imports.template_xlsx(for_coop=current_user.has_role(Role.COOP_OPERATOR))
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": "attachment; filename*=UTF-8''%E5%95%86%E5%93%81%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
        },
    )


@bp.get("/supplier/imports/<int:job_id>")
@login_required
def import_show(job_id: int):
    job = imports.get_job(db.session, actor=current_user, job_id=job_id)
    return render_template("catalog/manage/import_show.html", job=job, page_title="导入进度")


# ---- review (platform operator) ------------------------------------------------------------------


@bp.get("/manage/listings")
@login_required
def review_index():
    """The review queue: the same query as `GET /api/v1/listings?review=pending`."""
    _require(Role.PLATFORM_OPERATOR)
    page = paginate(queries.review_queue_select(), per_page=50)
    pending = queries.pending_changes(db.session, [p.id for p in page.items])
    new = [p for p in page.items if p.id not in pending]
    changes = [
        (pending[p.id], listing_changes.change_diff(db.session, pending[p.id])) for p in page.items if p.id in pending
    ]
    comparisons = {p.id: queries.comparable_prices(db.session, p) for p in new}
    return render_template(
        "catalog/manage/review_index.html",
        page=page,
        new=new,
        changes=changes,
        comparisons=comparisons,
        page_title="商品审核",
    )


def _seen_revision() -> int | None:
    """The listing's revision the reviewer's page showed: approving a later one is refused."""
    text = request.form.get("revision", "")
    return int(text) if text.isascii() and text.isdecimal() and len(text) <= 9 else None


@bp.post("/manage/listings/<int:product_id>/approve")
@login_required
def review_approve(product_id: int):
    listings.approve_listing(db.session, actor=current_user, product_id=product_id, revision=_seen_revision())
    flash("已审核通过", "success")
    return redirect(url_for("catalog_manage.review_index"))


@bp.post("/manage/listings/<int:product_id>/reject")
@login_required
def review_reject(product_id: int):
    form = ReasonForm()
    listings.reject_listing(
        db.session,
        actor=current_user,
        product_id=product_id,
        reason=form.reason.data or "",
        revision=_seen_revision(),
    )
    flash("已驳回，供应商将看到驳回原因", "success")
    return redirect(url_for("catalog_manage.review_index"))


# ---- files ------------------------------------------------------------------------------------------


def _send(relative: str, content_type: str, download_name: str | None = None, *, public: bool = False):
    """An uploaded file; kept by caches only when `public` (a photo of an approved listing)."""
    root = uploads.app_uploads_root()
    path = uploads.resolve(root, relative)
    if not path.exists():
        raise NotFoundError()
    if public:
        return send_file(path, mimetype=content_type, download_name=download_name, max_age=3600)
    return headers.private(send_file(path, mimetype=content_type, download_name=download_name))


@bp.get("/media/photos/<int:photo_id>")
def photo_file(photo_id: int):
    photo = db.session.get(ProductPhoto, photo_id)
    if photo is None:
        raise NotFoundError()
    product = db.session.get(Product, photo.product_id)
    # A photo waiting in a change under review is not public yet, even on an approved listing.
    public = product.status is ProductStatus.APPROVED and photo.change_id is None
    if not public:
        if not current_user.is_authenticated:
            raise NotFoundError()
        access.listing_for_viewer(db.session, current_user, product.id)
    return _send(photo.path, photo.content_type, public=public)


@bp.get("/media/evidence/<int:evidence_id>")
@login_required
def evidence_file(evidence_id: int):
    evidence = db.session.get(PriceEvidence, evidence_id)
    if evidence is None or not evidence.path:
        raise NotFoundError()
    access.listing_for_viewer(db.session, current_user, evidence.product_id)
    content_type = mimetypes.guess_type(evidence.path)[0] or "application/octet-stream"
    return _send(evidence.path, content_type, evidence.original_name or None)
