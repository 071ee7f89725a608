"""The access log and its chain head move here from ``privacy`` without moving a row: the state only. The tables
keep their names (``privacy_accesslog``, ``privacy_chainhead``), so the append-only triggers created by
``privacy`` 0002–0004 (attached to those names, on PostgreSQL and SQLite) keep guarding them."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("people", "0001_initial"),
        ("privacy", "0004_chain_covers_every_column"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='ChainHead',
                    fields=[
                        ('id', models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                        ('last_id', models.BigIntegerField(default=0)),
                        ('last_seq', models.BigIntegerField(default=0, help_text='Chain position of the newest sealed row.')),
                        ('last_hash', models.CharField(blank=True, max_length=64)),
                        ('anchor_hash', models.CharField(blank=True, help_text='prev_hash of the oldest kept row (empty until a retention purge).', max_length=64)),
                    ],
                    options={
                        'db_table': 'privacy_chainhead',
                    },
                ),
                migrations.CreateModel(
                    name='AccessLog',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ('actor_label', models.CharField(help_text='Who acted, kept even if the account goes.', max_length=200)),
                        ('action', models.CharField(choices=[('read', 'Read'), ('change', 'Change'), ('export', 'Export'), ('purge', 'Purge')], default='read', max_length=8)),
                        ('object_type', models.CharField(max_length=60)),
                        ('object_id', models.CharField(blank=True, max_length=60)),
                        ('category', models.CharField(help_text='directory, leave, medical, …', max_length=40)),
                        ('fields', models.CharField(blank=True, max_length=300)),
                        ('purpose', models.CharField(max_length=200)),
                        ('channel', models.CharField(help_text='ui, api, admin, command', max_length=16)),
                        ('prev_hash', models.CharField(blank=True, help_text='Set when sealed: the hash of the row before.', max_length=64)),
                        ('hash', models.CharField(blank=True, help_text="Set when sealed: this row's hash.", max_length=64)),
                        ('seq', models.BigIntegerField(blank=True, editable=False, help_text='Position in the hash chain, given when the row is sealed (empty: pending).', null=True, unique=True)),
                        ('actor', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('subject', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='access_log', to='people.employee')),
                    ],
                    options={
                        'db_table': 'privacy_accesslog',
                        'ordering': ['-at', '-id'],
                        'indexes': [models.Index(fields=['subject', '-at'], name='privacy_acc_subject_0762ec_idx'), models.Index(condition=models.Q(('seq__isnull', True)), fields=['id'], name='privacy_accesslog_unsealed')],
                    },
                ),
            ],
        ),
    ]
