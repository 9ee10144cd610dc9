"""How forms are rendered: through the project's templates, and no template at all for an empty error list."""

from django.forms.renderers import TemplatesSetting

# Django's templates for a form's, a field's and a formset's errors; for no errors, each writes nothing.
ERROR_TEMPLATES = "django/forms/errors/"


class ProjectTemplates(TemplatesSetting):
    """Widgets render through the project's templates, so ``templates/`` can override a widget's markup.

    An admin page asks every field for its errors, nearly always none: an empty error list is written as
    nothing here instead of through its template, which writes nothing for it too.
    """

    def render(self, template_name, context, request=None):
        if template_name.startswith(ERROR_TEMPLATES) and not context.get("errors"):
            return ""
        return super().render(template_name, context, request=request)
