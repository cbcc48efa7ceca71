"""Forms written out as crispy-forms' Bootstrap 5 pack writes them, in Python.

crispy-forms draws each field through a dozen nested templates, and Django draws each
widget, and each option of a list, through templates of its own; a page with several forms
(a meeting run by its chair has five) spends as long on that as on reading its agenda. This
writes the same HTML for the widgets it knows: one-line text, date, several lines of text,
a list to choose one from, a tick box and hidden fields. A form with any other widget, or
with crispy layout options, is handed to crispy as before.

In templates (the library is registered in `TEMPLATES`): `{% load form_html %}`, then
`{{ form|crispy_html }}` where `{{ form|crispy }}` was, and `{{ field|crispy_field_html }}`
for `{{ field|as_crispy_field }}`.

`tests/meetings/test_form_html.py` compares both in every state the forms of the pages that
use this can be in (empty, filled in, with errors, with help text)."""

from __future__ import annotations

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.html import conditional_escape as escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Widget classes written here (exactly these: a subclass may draw itself differently), with
# the classes crispy gives each: its own name in lower case, then Bootstrap's.
_WIDGET_CLASSES: dict[type, tuple[str, str]] = {
    forms.TextInput: ("textinput", "form-control"),
    forms.DateInput: ("dateinput", "form-control"),
    forms.Textarea: ("textarea", "form-control"),
    forms.Select: ("select", "form-select"),
    forms.CheckboxInput: ("checkboxinput", "form-check-input"),
}


def writes(form: forms.BaseForm) -> bool:
    """Whether every field of `form` is one this module writes as crispy would."""
    if getattr(form, "helper", None) is not None:
        return False
    return all(_writes_field(field) for field in form.fields.values())


def _writes_field(field: forms.Field) -> bool:
    widget = field.widget
    if widget.is_hidden:
        return type(widget) is forms.HiddenInput
    return _widget_kind(widget) is not None and not isinstance(widget, forms.RadioSelect)


def _widget_kind(widget) -> tuple[str, str] | None:
    for kind, classes in _WIDGET_CLASSES.items():
        # Our own date box (`livingwell.form_fields.DateInput`) draws itself as Django's.
        if type(widget) is kind or (kind is forms.DateInput and type(widget).__mro__[1] is forms.DateInput):
            return (type(widget).__name__.lower(), classes[1])
    return None


@register.filter
def crispy_html(form: forms.BaseForm) -> SafeString:
    return form_html(form) if writes(form) else as_crispy_form(form)


@register.filter
def crispy_field_html(bound: BoundField) -> SafeString:
    return mark_safe(field_html(bound)) if _writes_field(bound.field) else as_crispy_field(bound)


def form_html(form: forms.BaseForm) -> SafeString:
    """The whole form as `{{ form|crispy }}` writes it (its errors first, then each field)."""
    parts = []
    errors = form.non_field_errors()
    if errors:
        items = "".join(f"<li>{escape(str(error))}</li>" for error in errors)
        parts.append(f'<div class="alert alert-block alert-danger"> <ul class="m-0"> {items} </ul> </div>')
    for bound in form:
        parts.append(field_html(bound))
    return mark_safe(" ".join(parts))


def field_html(bound: BoundField) -> str:
    """One field as crispy's `as_crispy_field` writes it."""
    widget = bound.field.widget
    if widget.is_hidden:
        return str(bound)
    own_class, bootstrap_class = _widget_kind(widget)
    # As crispy adds them: each once (crispy leaves its own on the widget when it draws it).
    classes = widget.attrs.get("class", "").split()
    for name in (own_class, bootstrap_class, "is-invalid" if bound.errors else ""):
        if name and name not in classes:
            classes.append(name)
    control = _widget_html(bound, " ".join(classes))
    if control is None:
        return str(as_crispy_field(bound))
    after = _errors_html(bound) + _help_html(bound)
    auto_id = bound.auto_id
    required = bound.field.required
    label = escape(str(bound.label))
    asterisk = '<span class="asteriskField">*</span>' if required else ""
    required_class = " requiredField" if required else ""
    if isinstance(widget, forms.CheckboxInput):
        return (
            f'<div class="mb-3"> <div id="div_{auto_id}" class="form-check"> {control} '
            f'<label for="{auto_id}" class="form-check-label{required_class}">{label}{asterisk}</label>'
            f"{after} </div> </div>"
        )
    label_html = (
        f'<label for="{bound.id_for_label}" class="form-label{required_class}">{label}{asterisk}</label> '
        if bound.label
        else ""
    )
    return f'<div id="div_{auto_id}" class="mb-3"> {label_html}{control}{after} </div>'


def _errors_html(bound: BoundField) -> str:
    if not bound.errors:
        return ""
    errors = "".join(
        f' <p id="error_{number}_{bound.auto_id}"><strong>{escape(str(error))}</strong></p>'
        for number, error in enumerate(bound.errors, start=1)
    )
    return f' <div id="{bound.auto_id}_error" class="invalid-feedback">{errors} </div>'


def _help_html(bound: BoundField) -> str:
    if not bound.help_text:
        return ""
    # Help text is the form's own words, trusted as crispy trusts it (`|safe`).
    return f' <div id="{bound.auto_id}_helptext" class="form-text">{bound.help_text}</div>'


def _widget_html(bound: BoundField, css_class: str) -> str | None:
    """The widget as Django draws it, with the attributes Django gives it (maxlength,
    required, aria-describedby, aria-invalid...) and crispy's classes; None for a list
    in groups, which crispy writes instead."""
    widget = bound.field.widget
    attrs = bound.build_widget_attrs({**widget.attrs, "class": css_class})
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
    name = escape(context["name"])
    if isinstance(widget, forms.Select):
        if any(group for group, _options, _index in context["optgroups"]):
            return None
        options = "".join(
            _option_html(option)
            for _group, group_options, _index in context["optgroups"]
            for option in group_options
        )
        return f'<select name="{name}"{_attrs_html(context["attrs"])}>{options}</select>'
    if isinstance(widget, forms.Textarea):
        value = escape(str(context["value"])) if context["value"] is not None else ""
        return f'<textarea name="{name}"{_attrs_html(context["attrs"])}>\n{value}</textarea>'
    value = context["value"]
    value_html = f' value="{escape(str(value))}"' if value is not None else ""
    return f'<input type="{context["type"]}" name="{name}"{value_html}{_attrs_html(context["attrs"])}>'


def _option_html(option: dict) -> str:
    selected = " selected" if option["selected"] else ""
    return f'<option value="{escape(str(option["value"]))}"{selected}>{escape(str(option["label"]))}</option>'


def _attrs_html(attrs: dict) -> str:
    """As Django's `attrs.html`: True as the bare name, False and None left out."""
    parts = []
    for name, value in attrs.items():
        if value is True:
            parts.append(f" {name}")
        elif value is not False and value is not None:
            parts.append(f' {name}="{escape(str(value))}"')
    return "".join(parts)
