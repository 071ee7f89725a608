"""Two-step access log: rows are appended without a lock and sealed into the chain later (``seq``).

Rows written so far were chained in id order: their chain position is their id. The update trigger now
lets exactly one UPDATE through — sealing an unsealed row, its content unchanged."""

from django.db import migrations, models

COLS = ("id", "at", "actor_id", "actor_label", "subject_id", "action", "object_type", "object_id", "category",
        "fields", "purpose", "channel")
PG_SAME = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in COLS)
SQLITE_SAME = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in COLS)

PG_UP = f"""
DROP TRIGGER IF EXISTS privacy_accesslog_no_update ON privacy_accesslog;
UPDATE privacy_accesslog SET seq = id;
CREATE OR REPLACE FUNCTION privacy_accesslog_refuse_update() RETURNS trigger AS $$
BEGIN
  IF OLD.seq IS NULL AND OLD.hash = '' AND NEW.seq IS NOT NULL AND {PG_SAME} THEN
    RETURN NEW;  -- sealing: once, content unchanged
  END IF;
  RAISE EXCEPTION 'the access log is append-only';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER privacy_accesslog_no_update BEFORE UPDATE ON privacy_accesslog
FOR EACH ROW EXECUTE FUNCTION privacy_accesslog_refuse_update();
"""  # noqa: S608 — fixed column names, no input
PG_DOWN = """
CREATE OR REPLACE FUNCTION privacy_accesslog_refuse_update() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'the access log is append-only'; END $$ LANGUAGE plpgsql;
"""
SQLITE_UP = [
    "DROP TRIGGER IF EXISTS privacy_accesslog_no_update",
    "UPDATE privacy_accesslog SET seq = id",
    f"""CREATE TRIGGER privacy_accesslog_no_update BEFORE UPDATE ON privacy_accesslog
    WHEN NOT (OLD.seq IS NULL AND OLD.hash = '' AND NEW.seq IS NOT NULL AND {SQLITE_SAME})
    BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS privacy_accesslog_no_update",
    """CREATE TRIGGER privacy_accesslog_no_update BEFORE UPDATE ON privacy_accesslog
    BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END""",
]


def up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif vendor == "sqlite":
        for sql in SQLITE_UP:
            schema_editor.execute(sql)
    else:
        apps.get_model("privacy", "AccessLog").objects.update(seq=models.F("id"))
    ChainHead = apps.get_model("privacy", "ChainHead")
    ChainHead.objects.filter(pk=1).update(last_seq=models.F("last_id"))


def down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif vendor == "sqlite":
        for sql in SQLITE_DOWN:
            schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("privacy", "0002_append_only_chain_head"),
    ]

    operations = [
        migrations.AddField(
            model_name="accesslog",
            name="seq",
            field=models.BigIntegerField(blank=True, editable=False, help_text="Position in the hash chain, given when the row is sealed (empty: pending).", null=True, unique=True),
        ),
        migrations.AlterField(
            model_name="accesslog",
            name="hash",
            field=models.CharField(blank=True, help_text="Set when sealed: this row's hash.", max_length=64),
        ),
        migrations.AlterField(
            model_name="accesslog",
            name="prev_hash",
            field=models.CharField(blank=True, help_text="Set when sealed: the hash of the row before.", max_length=64),
        ),
        migrations.AddField(
            model_name="chainhead",
            name="last_seq",
            field=models.BigIntegerField(default=0, help_text="Chain position of the newest sealed row."),
        ),
        migrations.AddIndex(
            model_name="accesslog",
            index=models.Index(condition=models.Q(("seq__isnull", True)), fields=["id"], name="privacy_accesslog_unsealed"),
        ),
        migrations.RunPython(up, down),
    ]
