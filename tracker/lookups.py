"""Ids no column can hold find nothing, on every database, wherever the query comes from.

Django already answers `pk=<huge>` with an empty result (IntegerFieldExact), but not a foreign key
(`agency=<huge>`) nor `pk__in=[<huge>]`: PostgreSQL compares them as numerics and finds nothing,
while SQLite's driver raises OverflowError (a 500). These lookups drop out-of-range integers before
the driver sees them, so admin list filters and actions, form choice fields, autocomplete widgets
and API filters all behave as on PostgreSQL. Registered by TrackerConfig.ready().
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignKey, IntegerField
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In


def _column_range(lookup, connection) -> tuple[int | None, int | None] | None:
    """The (min, max) the compared column holds, for an integer column or a key to one."""
    field = lookup.lhs.output_field
    if field.is_relation:
        field = getattr(field, "target_field", None)
    if not isinstance(field, IntegerField):
        return None
    try:
        return connection.ops.integer_field_range(field.get_internal_type())
    except KeyError:  # an integer type the backend does not list: let the database judge
        return None


def _fits(value, bounds) -> bool:
    if not isinstance(value, int) or bounds is None:
        return True
    low, high = bounds
    return (low is None or value >= low) and (high is None or value <= high)


class InRangeOnly:
    """For `in`: drop the values the column cannot hold; none left finds nothing."""

    def as_sql(self, compiler, connection):
        if self.rhs_is_direct_value():
            bounds = _column_range(self, connection)
            kept = [value for value in self.rhs if _fits(value, bounds)]
            if not kept:
                raise EmptyResultSet
            self.rhs = kept
        return super().as_sql(compiler, connection)


class IntegerIn(InRangeOnly, In):
    pass


class KeyIn(InRangeOnly, RelatedIn):
    pass


class KeyExact(RelatedExact):
    """`key=<value the referenced column cannot hold>` finds nothing (as IntegerFieldExact does)."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value() and not _fits(self.rhs, _column_range(self, connection)):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(IntegerIn)
    ForeignKey.register_lookup(KeyIn)
    ForeignKey.register_lookup(KeyExact)
