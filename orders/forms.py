"""Orders forms: the shape of the input and its Chinese labels (rules live in domain.py)."""

from __future__ import annotations

from wtforms import BooleanField, DateField, HiddenField, IntegerField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from mall.forms import ChineseForm, YuanAmount, as_choices
from orders.domain import MAX_LINE_QTY, PAYMENT_MODE_LABELS, PaymentMode


class CartAddForm(ChineseForm):
    product_id = HiddenField()
    quantity = IntegerField(
        "数量", validators=[InputRequired("请填写数量"), NumberRange(1, MAX_LINE_QTY, "数量须为1至100000的整数")]
    )
    purpose = SelectField("用途", choices=[])


class CartLineForm(ChineseForm):
    quantity = IntegerField(
        "数量", validators=[InputRequired("请填写数量"), NumberRange(1, MAX_LINE_QTY, "数量须为1至100000的整数")]
    )


class CheckoutForm(ChineseForm):
    address_id = RadioField("收货地址", coerce=int, choices=[], validators=[InputRequired("请选择收货地址")])
    payment_mode = RadioField(
        "支付方式",
        choices=as_choices((m.value, PAYMENT_MODE_LABELS[m]) for m in PaymentMode),
        default=PaymentMode.CARD.value,
        validators=[InputRequired("请选择支付方式")],
    )
    delivery_on = DateField("期望送达日期", validators=[Optional()])
    note = StringField("备注", validators=[Optional(), Length(max=200)])
    # What the page showed, and a key unique to this page: a second click replays the first.
    expected_total_fen = HiddenField()
    idempotency_key = HiddenField()


class AddressForm(ChineseForm):
    label = StringField("地址名称", validators=[Optional(), Length(max=20)], default="机关食堂")
    recipient = StringField("收货人", validators=[DataRequired("请填写收货人"), Length(max=40)])
    phone = StringField("联系电话", validators=[DataRequired("请填写联系电话"), Length(max=20)])
    detail = StringField("详细地址", validators=[DataRequired("请填写详细地址"), Length(max=200)])
    is_default = BooleanField("设为默认地址")


class SettingsForm(ChineseForm):
    approval_threshold = StringField("审批金额（元）", validators=[Optional(), Length(max=20), YuanAmount("审批金额")])
    invoice_title = StringField("发票抬头", validators=[DataRequired("请填写发票抬头"), Length(max=100)])
    invoice_tax_id = StringField("纳税人识别号", validators=[DataRequired("请填写纳税人识别号"), Length(max=18)])


class CardForm(ChineseForm):
    holder_name = StringField("持卡人/单位", validators=[DataRequired("请填写持卡人"), Length(max=40)])
    card_number = StringField("卡号", validators=[DataRequired("请填写卡号"), Length(max=24)])
    exp_month = IntegerField(
        "有效期（月）", validators=[InputRequired("请填写有效期月份"), NumberRange(1, 12, "月份为1-12")]
    )
    exp_year = IntegerField(
        "有效期（年）", validators=[InputRequired("请填写有效期年份"), NumberRange(2000, 2100, "年份不正确")]
    )
    cvc = StringField(
        "安全码", validators=[DataRequired("请填写安全码"), Length(min=3, max=3, message="安全码为3位数字")]
    )


class ReasonForm(ChineseForm):
    note = StringField("理由", validators=[Optional(), Length(max=100)])
