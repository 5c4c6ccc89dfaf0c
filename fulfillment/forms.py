"""Forms of acceptance, evaluations and standing: the shape of the input and its Chinese labels
(the rules live in fulfillment.domain)."""

from __future__ import annotations

from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from fulfillment.models import Evaluation, SupplierStanding
from mall.forms import ChineseForm, as_choices

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
