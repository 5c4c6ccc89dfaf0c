"""Fulfillment forms: the shape of the input and its Chinese labels (rules live in domain/):
evaluations, replies and standing reasons; after-sales cases, answers and rulings."""

from __future__ import annotations

from flask_wtf.file import MultipleFileField
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from fulfillment.domain import AFTERSALES_KIND_LABELS, RULING_LABELS, AftersalesKind
from fulfillment.models import Evaluation, SupplierStanding
from mall.forms import ChineseForm, YuanAmount, as_choices

SCORE_CHOICES = as_choices((str(n), f"{n} 分") for n in (5, 4, 3, 2, 1))


class EvaluationForm(ChineseForm):
    quality = SelectField("商品质量", choices=SCORE_CHOICES, coerce=int)
    timeliness = SelectField("配送时效", choices=SCORE_CHOICES, coerce=int)
    service = SelectField("服务态度", choices=SCORE_CHOICES, coerce=int)
    price = SelectField("价格合理", choices=SCORE_CHOICES, coerce=int)
    comment = TextAreaField("评价内容", validators=[Length(max=Evaluation.comment.type.length)])


class ReplyForm(ChineseForm):
    reply = TextAreaField(
        "回复",
        validators=[DataRequired("请填写回复内容"), Length(max=Evaluation.supplier_reply.type.length)],
    )


class StandingReasonForm(ChineseForm):
    reason = StringField(
        "原因", validators=[DataRequired("请填写原因"), Length(max=SupplierStanding.reason.type.length)]
    )


class CaseForm(ChineseForm):
    kind = RadioField(
        "售后类型",
        choices=as_choices((k.value, AFTERSALES_KIND_LABELS[k]) for k in AftersalesKind),
        default=AftersalesKind.REFUND.value,
        validators=[InputRequired("请选择售后类型")],
    )
    reason = TextAreaField("原因", validators=[DataRequired("请填写原因"), Length(max=500)])
    photos = MultipleFileField("照片（JPG/PNG/WebP，每张不超过5MB，最多6张）")


class AnswerForm(ChineseForm):
    decision = RadioField(
        "答复",
        choices=as_choices([("agree", "同意"), ("refuse", "拒绝")]),
        validators=[InputRequired("请选择同意或拒绝")],
    )
    note = TextAreaField("说明（拒绝时必填）", validators=[Optional(), Length(max=500)])


class DecideForm(ChineseForm):
    ruling = RadioField(
        "裁决",
        choices=as_choices((r.value, label) for r, label in RULING_LABELS.items()),
        validators=[InputRequired("请选择裁决")],
    )
    refund = StringField(
        "退款金额（元，不填为申请金额）", validators=[Optional(), Length(max=20), YuanAmount("退款金额")]
    )
    note = TextAreaField("裁决理由", validators=[DataRequired("请填写裁决理由"), Length(max=500)])


class NoteForm(ChineseForm):
    note = TextAreaField("说明", validators=[DataRequired("请填写说明"), Length(max=500)])
