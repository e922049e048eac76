"""Fill every table of a database at any revision with rows, and read them back, to test migrations with data."""
from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

ROWS_PER_TABLE = 2
ALLOWED = re.compile(r"^\(?\s*(\w+)\s+IN\s*\((.*)\)\s*\)?$", re.IGNORECASE)

Snapshot = dict[str, tuple[list[str], Counter]]


def _allowed_values(table: sa.Table, inspector: sa.Inspector) -> dict[str, str]:
    """The first value each ``column IN (...)`` CHECK constraint (our enums) allows."""
    first = {}
    for check in inspector.get_check_constraints(table.name):
        match = ALLOWED.match(check["sqltext"].strip())
        if match:
            first[match.group(1)] = match.group(2).split(",")[0].strip().strip("'")
    return first


def _value(column: sa.Column, row: int, position: int, allowed: dict[str, str]) -> object:
    """A value of the column's type; numbers and dates grow with the column's position, so that a
    constraint such as ``closes_at > opens_at`` holds for columns in the order the models declare them."""
    if column.name in allowed:
        return allowed[column.name]
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return True
    if isinstance(kind, sa.Integer):
        return 50 + 10 * row + position
    if isinstance(kind, sa.Numeric):
        return Decimal(f"{row}.5")
    if isinstance(kind, sa.DateTime):
        return datetime(2026, 1, 1 + row, 12) + timedelta(minutes=position)
    if isinstance(kind, sa.Date):
        return date(2026, 1, 1 + row) + timedelta(days=position)
    if isinstance(kind, sa.JSON):
        return {"nl": f"{column.name} {row}"}
    if isinstance(kind, sa.LargeBinary):
        return f"{column.name}{row}".encode()
    length = getattr(kind, "length", None) or 40
    return f"{column.name}{row}"[-length:]


def _foreign_values(table: sa.Table, row: int, existing: dict[str, list[dict]]) -> dict[str, object]:
    """Every foreign key points at a row of its table, the second key into the same table at another row
    than the first (a proxy's giver and holder differ). Keys over several columns go first; a single
    key on one of their columns then already holds."""
    values: dict[str, object] = {}
    earlier: Counter = Counter()
    keys = sorted(table.foreign_key_constraints, key=lambda key: (-len(key.columns), key.column_keys))
    for key in keys:
        if any(column.name in values for column in key.columns):
            continue
        targets = existing[key.referred_table.name]
        target = targets[(row + earlier[key.referred_table.name]) % len(targets)]
        earlier[key.referred_table.name] += 1
        for element in key.elements:
            values[element.parent.name] = target[element.column.name]
    return values


def fill(connection: sa.Connection, metadata: sa.MetaData, inspector: sa.Inspector,
         leave_empty: dict[str, set[str]]) -> None:
    """Put ROWS_PER_TABLE rows in every empty table, every column filled except those in
    ``leave_empty[table]`` (columns a CHECK wants empty when another is set)."""
    existing: dict[str, list[dict]] = {}
    for table in metadata.sorted_tables:
        if table.name == "alembic_version":
            continue
        rows = [dict(row._mapping) for row in connection.execute(sa.select(table))]
        if not rows:
            allowed = _allowed_values(table, inspector)
            for row in range(ROWS_PER_TABLE):
                values = {column.name: _value(column, row, position, allowed)
                          for position, column in enumerate(table.columns)
                          if not (column.primary_key and column.autoincrement is True
                                  and isinstance(column.type, sa.Integer) and len(table.primary_key.columns) == 1)}
                values.update(_foreign_values(table, row, existing))
                for name in leave_empty.get(table.name, ()):
                    values.pop(name, None)
                connection.execute(table.insert().values(values))
            rows = [dict(row._mapping) for row in connection.execute(sa.select(table))]
        existing[table.name] = rows


def snapshot(connection: sa.Connection) -> Snapshot:
    """Every table's columns and its rows as stored (a multiset of tuples)."""
    tables = {}
    for name in sa.inspect(connection).get_table_names():
        if name == "alembic_version":
            continue
        result = connection.exec_driver_sql(f'SELECT * FROM "{name}"')
        tables[name] = (list(result.keys()), Counter(tuple(row) for row in result))
    return tables


def lost_rows(before: Snapshot, after: Snapshot, rewritten: dict[str, set[str]]) -> list[str]:
    """What a migration lost or changed in the tables on both sides, over the columns on both sides
    (less the ``rewritten`` ones the migration means to change)."""
    problems = []
    for name in sorted(before.keys() & after.keys()):
        (old_columns, old_rows), (new_columns, new_rows) = before[name], after[name]
        common = [column for column in old_columns
                  if column in new_columns and column not in rewritten.get(name, ())]

        def project(rows: Counter, columns: list[str]) -> Counter:
            picked = Counter()
            for row, count in rows.items():
                picked[tuple(row[columns.index(column)] for column in common)] += count
            return picked

        if sum(old_rows.values()) != sum(new_rows.values()):
            problems.append(f"{name}: {sum(old_rows.values())} rows became {sum(new_rows.values())}")
        elif project(old_rows, old_columns) != project(new_rows, new_columns):
            problems.append(f"{name}: the values of {common} changed")
    return problems
