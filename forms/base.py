"""The base form: CSRF from Flask-WTF, and helpers to attach errors raised by operations to fields."""

from __future__ import annotations

from flask_wtf import FlaskForm

from registry.errors import RegistryError


class BaseForm(FlaskForm):
    def attach_error(self, exc: RegistryError) -> None:
        """Show an operation's error on the field it names (or above the form when it names none)."""
        field = self._fields.get(exc.field) if exc.field else None
        if field is not None:
            field.errors = [*field.errors, exc.message]
        else:
            self.form_errors.append(exc.message)
