"""Catalog forms: listing, supplier application, import upload, review and requests. Shapes and
Chinese labels only; the rules are in catalog.domain and the services."""

from __future__ import annotations

from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from catalog.domain import ENTITY_TYPE_LABELS, LISTING_TEXT_LIMITS, PROGRAM_LABELS, STORAGE_LABELS
from mall.bounds import MAX_DAYS, MAX_ID, MAX_NET_CONTENT, MAX_QUANTITY, MAX_STOCK, MAX_UNIT_PRICE_FEN
from mall.forms import ChineseForm, YuanAmount, as_choices, optional_id, whole_number

REQUIRED = "此项必填"


def _text_limit(name: str) -> Length:
    return Length(max=LISTING_TEXT_LIMITS[name], message=f"不能超过{LISTING_TEXT_LIMITS[name]}个字")


class ListingForm(ChineseForm):
    supplier_id = SelectField("供应商", coerce=optional_id, choices=[], validate_choice=False)
    sku = StringField("商品编码（SKU）", validators=[DataRequired(REQUIRED), _text_limit("sku")])
    title = StringField("商品名称", validators=[DataRequired(REQUIRED), _text_limit("title")])
    category = SelectField("商品类别", choices=[], validate_choice=False)
    spec = StringField("规格", validators=[DataRequired(REQUIRED), _text_limit("spec")])
    sale_unit = StringField("销售单位", validators=[DataRequired(REQUIRED), _text_limit("sale_unit")])
    net_content = IntegerField("净含量（克或毫升）", validators=[Optional(), whole_number(0, MAX_NET_CONTENT)])
    net_content_unit = SelectField(
        "净含量单位", choices=as_choices([("g", "克（按每千克比价）"), ("ml", "毫升（按每升比价）")])
    )
    price = StringField(
        "价格（元）",
        validators=[DataRequired(REQUIRED), Length(max=20), YuanAmount("价格", min_fen=1, max_fen=MAX_UNIT_PRICE_FEN)],
    )
    stock_qty = IntegerField("库存", validators=[InputRequired(REQUIRED), whole_number(0, MAX_STOCK)])
    min_order_qty = IntegerField("起订量", default=1, validators=[Optional(), whole_number(1, MAX_QUANTITY)])
    pack_size = IntegerField("购买倍数", default=1, validators=[Optional(), whole_number(1, MAX_QUANTITY)])
    origin_county_code = SelectField("产地（县）", choices=[], validate_choice=False)
    program = SelectField("来源类型", choices=as_choices((p.value, label) for p, label in PROGRAM_LABELS.items()))
    cert_no = StringField("认定编号", validators=[Optional(), _text_limit("cert_no")])
    storage = SelectField("储存方式", choices=as_choices((s.value, label) for s, label in STORAGE_LABELS.items()))
    shelf_life_days = IntegerField("保质期（天）", default=365, validators=[Optional(), whole_number(1, MAX_DAYS)])
    season = StringField("上市时间", validators=[Optional(), _text_limit("season")])
    description = TextAreaField("商品介绍", validators=[Optional(), _text_limit("description")])
    evidence_url = StringField("价格佐证链接", validators=[Optional(), Length(max=500)])
    evidence_file = FileField("价格佐证文件（PDF或截图）")
    photos = MultipleFileField("商品照片（JPG/PNG/WebP，每张不超过5MB，最多6张）")


class SupplierApplicationForm(ChineseForm):
    name = StringField("主体名称", validators=[DataRequired(REQUIRED), Length(max=100)])
    credit_code = StringField("统一社会信用代码", validators=[DataRequired(REQUIRED), Length(max=18)])
    region_code = SelectField("注册地（县）", choices=[], validate_choice=False)
    entity_type = SelectField(
        "主体类型", choices=as_choices((e.value, label) for e, label in ENTITY_TYPE_LABELS.items())
    )
    contact_name = StringField("联系人", validators=[DataRequired(REQUIRED), Length(max=40)])
    contact_phone = StringField("联系电话", validators=[DataRequired(REQUIRED), Length(max=20)])
    address = StringField("地址", validators=[Optional(), Length(max=200)])
    intro = TextAreaField("主体简介", validators=[Optional(), Length(max=1000)])
    licences = MultipleFileField("营业执照等资质文件（PDF或图片）")
    username = StringField("登录用户名", validators=[Optional(), Length(max=40)])
    password = PasswordField("登录密码", validators=[Optional(), Length(max=200)])


class ReasonForm(ChineseForm):
    reason = TextAreaField("原因", validators=[DataRequired("请填写原因"), Length(max=500)])


class RecommendForm(ChineseForm):
    letter = FileField("县级推荐函（供销社代为提交时必传）")


class ImportForm(ChineseForm):
    supplier_id = SelectField("供应商", coerce=optional_id, choices=[], validate_choice=False)
    file = FileField("导入文件（.xlsx 或 .csv）")
    good_rows_only = BooleanField("只导入无误的行（有错误的行跳过）")


class ProductRequestForm(ChineseForm):
    name = StringField("商品名称", validators=[DataRequired(REQUIRED), Length(max=100)])
    spec = StringField("规格", validators=[Optional(), Length(max=60)])
    quantity = IntegerField("需求数量", validators=[InputRequired("请填写需求数量"), whole_number(1, MAX_QUANTITY)])
    wanted_by = DateField("期望到货日期", validators=[Optional()])
    note = TextAreaField("说明", validators=[Optional(), Length(max=500)])


class ListedForm(ChineseForm):
    product_id = IntegerField("已上架商品编号", validators=[InputRequired("请填写商品编号"), whole_number(1, MAX_ID)])
