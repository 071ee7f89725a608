"""Database-level guard: holiday designations are never updated (both databases) nor deleted (PostgreSQL).

As for the ledger: SQLite keeps DELETE open because Django's test flush empties tables with DELETE;
PostgreSQL's flush uses TRUNCATE, which row triggers do not see. The model and admin refuse both everywhere.
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION holiday_designation_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'holiday designations are append-only: record a new designation';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER holiday_designation_no_update BEFORE UPDATE OR DELETE ON holidays_holidaydesignation
  FOR EACH ROW EXECUTE FUNCTION holiday_designation_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS holiday_designation_no_update ON holidays_holidaydesignation;
DROP FUNCTION IF EXISTS holiday_designation_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER holiday_designation_no_update BEFORE UPDATE ON holidays_holidaydesignation
BEGIN SELECT RAISE(ABORT, 'holiday designations are append-only: record a new designation'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS holiday_designation_no_update;"


def up(apps, schema_editor):
    schema_editor.execute(PG_UP if schema_editor.connection.vendor == "postgresql" else SQLITE_UP)


def down(apps, schema_editor):
    schema_editor.execute(PG_DOWN if schema_editor.connection.vendor == "postgresql" else SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("holidays", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
