"""django-import-export widgets and fields for our sheets.

Each widget raises ValueError with a Chinese message naming the text it could not read:
django-import-export then reports the row as *invalid* with that message under the column
header (stack-notes: any other exception becomes an *error* with a traceback).
"""

from import_export import fields, widgets

from reports.numbers import NumberError, parse_number
from reports.spreadsheets import flat
from reports.spreadsheets.safety import (
    formula_text,
    is_formula,
    sheet_number,
    unneutralise,
)


def clean_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed into a number-formatted cell
    if isinstance(value, str):
        if is_formula(value):
            raise ValueError(f"不能使用公式（{formula_text(value)}）")
        value = unneutralise(value)
    return str(value).strip()


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return clean_text(value)


class ChoiceWidget(widgets.Widget):
    """A choice by its Chinese label (or code); exported as the label."""

    def __init__(self, choices, what: str):
        super().__init__()
        self.labels = {str(code): str(label) for code, label in choices}
        self.what = what

    def clean(self, value, row=None, **kwargs):
        text = clean_text(value)
        for code, label in self.labels.items():
            if text in (code, label):
                return code
        allowed = "、".join(self.labels.values())
        raise ValueError(
            f"「{text}」不是可选的{self.what}（可选：{allowed}）" if text else f"未填写{self.what}"
        )

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(value, value or "")


class LookupWidget(widgets.Widget):
    """A related object by a text key (agency slug, username), named in the error when missing."""

    def __init__(self, model, key: str, what: str, required: bool = True):
        super().__init__()
        self.model, self.key, self.what, self.required = model, key, what, required

    def clean(self, value, row=None, **kwargs):
        text = clean_text(value)
        if not text:
            if self.required:
                raise ValueError(f"未填写{self.what}")
            return None
        found = self.model.objects.filter(**{self.key: text}).first()
        if found is None:
            raise ValueError(f"{self.what}「{text}」不存在")
        return found

    def render(self, value, obj=None, **kwargs):
        return getattr(value, self.key, "") if value is not None else ""


class CellWidget(widgets.Widget):
    """One statistics cell: typed text (or a number, see `safety.sheet_number`) through
    `parse_number`; exported as a number."""

    def __init__(self, spec):
        super().__init__(coerce_to_string=False)
        self.spec = spec

    def clean(self, value, row=None, **kwargs):
        if is_formula(value):
            raise ValueError(f"不能使用公式（{formula_text(value)}），请填写数值")
        if isinstance(value, str):
            value = unneutralise(value)
        spec = self.spec
        try:
            return parse_number(
                sheet_number(value), unit=spec.unit, decimals=spec.decimals, signed=spec.signed
            )
        except NumberError as problem:
            raise ValueError(str(problem)) from None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None
        return int(value) if value == value.to_integral_value() else value


class CellField(fields.Field):
    """A cell of the filing, read from / staged on the report object (not a model field)."""

    def __init__(self, spec):
        super().__init__(
            attribute=spec.code, column_name=flat.cell_header(spec), widget=CellWidget(spec)
        )
        self.spec = spec

    def get_value(self, instance):
        staged = getattr(instance, "_sheet", {})
        if self.attribute in staged:
            return staged[self.attribute]
        return getattr(instance, "_values", {}).get(self.attribute)

    def save(self, instance, row, is_m2m=False, **kwargs):
        instance._sheet[self.attribute] = self.clean(row, **kwargs)


def import_columns(resource, instance, row, **kwargs) -> dict[str, list[str]]:
    """Import every column of `row` into `instance`; refusals keyed by column header (not by
    model attribute), so the preview names the column the person sees in their sheet."""
    errors = {}
    for field in resource.get_import_fields():
        try:
            resource.import_field(field, instance, row, **kwargs)
        except ValueError as problem:
            errors[field.column_name] = [str(problem)]
    return errors
