"""Login and membership forms."""

from __future__ import annotations

from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from registry.states import Role

from .base import BaseForm


class LoginForm(BaseForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])


ROLE_CHOICES = [SelectChoice(r.value, r.label) for r in Role]


class AddMemberForm(BaseForm):
    email = EmailField("E-mail", validators=[DataRequired(), Email(), Length(max=254)])
    full_name = StringField("Full name", validators=[Length(max=200)])
    role = SelectField("Role", choices=ROLE_CHOICES, validators=[DataRequired()])
    password = PasswordField("Initial password (new users only)", validators=[Length(max=1024)],
                             description="At least 12 characters. Leave empty when the person already has an "
                                         "account.")


class ChangeRoleForm(BaseForm):
    role = SelectField("Role", choices=ROLE_CHOICES, validators=[DataRequired()])
