"""Account forms: the shape of the input and its Chinese labels (rules live in domain.py)."""

from __future__ import annotations

from wtforms import PasswordField, SelectField, SelectMultipleField, StringField, widgets
from wtforms.validators import DataRequired, Length, Optional

from mall.accounts.domain import ROLE_LABELS, Role
from mall.forms import ChineseForm, as_choices, optional_id


class LoginForm(ChineseForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名"), Length(max=40)])
    password = PasswordField("密码", validators=[DataRequired("请输入密码"), Length(max=200)])


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False, html_tag="ul")
    option_widget = widgets.CheckboxInput()


def role_choices(roles=None) -> list:
    return as_choices((r.value, ROLE_LABELS[r]) for r in (roles or Role))


class UserCreateForm(ChineseForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名"), Length(max=40)])
    display_name = StringField("姓名", validators=[DataRequired("请输入姓名"), Length(max=40)])
    phone = StringField("手机号", validators=[Optional(), Length(max=20)])
    password = PasswordField("初始密码", validators=[DataRequired("请输入初始密码"), Length(max=200)])
    roles = MultiCheckboxField("角色", choices=role_choices(), validators=[DataRequired("请至少选择一个角色")])
    unit_id = SelectField("所属单位", coerce=optional_id, choices=[], validate_choice=False)
    region_code = SelectField("管辖地区", choices=[], validate_choice=False)


class UserRolesForm(ChineseForm):
    roles = MultiCheckboxField("角色", choices=role_choices(), validators=[DataRequired("请至少选择一个角色")])
    unit_id = SelectField("所属单位", coerce=optional_id, choices=[], validate_choice=False)
    region_code = SelectField("管辖地区", choices=[], validate_choice=False)


class PasswordChangeForm(ChineseForm):
    current = PasswordField("当前密码", validators=[DataRequired("请输入当前密码")])
    new = PasswordField("新密码", validators=[DataRequired("请输入新密码"), Length(max=200)])
