"""The access-log hash now covers every column a page shows or filters by (``actor_id``, the row's id and chain
position too): rows sealed so far are re-chained once with the new payload, in chain order, by the owner
running the migration (the app role may not change sealed rows; docs/tamper-evidence.md). Checkpoints taken
before this migration no longer match: write a new one after it."""

import hashlib
import json

from django.db import migrations


def _payload(row) -> dict:  # frozen copy of openleave.privacy.access.chain_payload at this migration
    return {"id": row.pk, "seq": row.seq, "at": row.at.isoformat(), "actor_id": row.actor_id,
            "actor": row.actor_label, "subject": row.subject_id, "action": row.action,
            "object_type": row.object_type, "object_id": row.object_id, "category": row.category,
            "fields": row.fields, "purpose": row.purpose, "channel": row.channel}


def rechain(apps, schema_editor):
    from importlib import import_module

    AccessLog = apps.get_model("privacy", "AccessLog")
    ChainHead = apps.get_model("privacy", "ChainHead")
    if not AccessLog.objects.filter(seq__isnull=False).exists():
        return
    vendor = schema_editor.connection.vendor
    m3 = import_module("openleave.privacy.migrations.0003_accesslog_seal")
    with schema_editor.connection.cursor() as c:
        if vendor == "postgresql":
            c.execute("ALTER TABLE privacy_accesslog DISABLE TRIGGER privacy_accesslog_no_update")
        elif vendor == "sqlite":
            c.execute("DROP TRIGGER IF EXISTS privacy_accesslog_no_update")
        head = ChainHead.objects.filter(pk=1).first()
        prev = head.anchor_hash if head else ""
        for row in AccessLog.objects.filter(seq__isnull=False).order_by("seq").iterator(chunk_size=5000):
            digest = hashlib.sha256((prev + json.dumps(_payload(row), sort_keys=True, default=str)).encode()).hexdigest()
            c.execute("UPDATE privacy_accesslog SET prev_hash = %s, hash = %s WHERE id = %s", [prev, digest, row.pk])
            prev = digest
        ChainHead.objects.filter(pk=1).update(last_hash=prev)
        if vendor == "postgresql":
            c.execute("ALTER TABLE privacy_accesslog ENABLE TRIGGER privacy_accesslog_no_update")
        elif vendor == "sqlite":
            c.execute(m3.SQLITE_UP[-1])


class Migration(migrations.Migration):

    dependencies = [("privacy", "0003_accesslog_seal")]

    operations = [migrations.RunPython(rechain, migrations.RunPython.noop)]
