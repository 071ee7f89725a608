"""Database-level guard: ledger entries are never updated (both databases) nor deleted (PostgreSQL).

SQLite keeps DELETE open because Django's test flush empties tables with DELETE; PostgreSQL's
flush uses TRUNCATE, which row triggers do not see. The model and admin refuse both everywhere.
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION ledger_entry_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'ledger entries are append-only: post a reversal and a new entry';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE OR DELETE ON ledger_ledgerentry
  FOR EACH ROW EXECUTE FUNCTION ledger_entry_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS ledger_entry_no_update ON ledger_ledgerentry;
DROP FUNCTION IF EXISTS ledger_entry_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE ON ledger_ledgerentry
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only: post a reversal and a new entry'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS ledger_entry_no_update;"


def up(apps, schema_editor):
    sql = PG_UP if schema_editor.connection.vendor == "postgresql" else SQLITE_UP
    schema_editor.execute(sql)


def down(apps, schema_editor):
    sql = PG_DOWN if schema_editor.connection.vendor == "postgresql" else SQLITE_DOWN
    schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
