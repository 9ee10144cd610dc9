"""Database constraints whose check before a save costs no query.

Django checks a ``CheckConstraint`` before a save (``Model.full_clean``, every admin form) by asking the
database whether the row would pass: a query, inside a savepoint when a transaction is open, so three
round trips per constraint and per form. For a text column that may not be empty the answer is known
without asking.
"""

from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, Q


class NotEmpty(CheckConstraint):
    """``field`` may not be the empty string: the same CHECK in the database, checked in Python before a save."""

    def __init__(self, *, field: str | None = None, name: str, condition: Q | None = None, **kwargs):
        if field is None:  # a copy made from ``deconstruct()``: the condition names the field
            ((field, _empty),) = condition.children
        self.field = field
        super().__init__(condition=~Q(**{field: ""}), name=name, **kwargs)

    def validate(self, model, instance, exclude=None, using=None):
        if exclude and self.field in exclude:
            return
        if getattr(instance, self.field) == "":
            raise ValidationError(self.get_violation_error_message(), code=self.violation_error_code)

    def deconstruct(self):
        # Migrations see Django's own CheckConstraint with the same condition: no migration, the same SQL.
        _path, args, kwargs = super().deconstruct()
        return "django.db.models.CheckConstraint", args, kwargs
