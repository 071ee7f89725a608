"""The access log and its chain head now belong to the ``audit`` app (``audit`` 0001): forget them here, state
only — the tables, their rows and their triggers stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("privacy", "0004_chain_covers_every_column"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="ChainHead"),
                migrations.DeleteModel(name="AccessLog"),
            ],
        ),
    ]
