"""Reconsideration (Art. 23): a request has a chain of decisions (``Decision.request`` is a foreign key,
``reconsiders`` links a decision to the one before), each charge names the decision that fixed it, and
HR records grievance outcomes. Existing rows: every request had at most one decision, which becomes the
first (and current) of its chain; every existing charge was fixed by that decision."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def charges_name_their_decision(apps, schema_editor):
    """Each existing charge was fixed by its request's one decision (one UPDATE, set-based)."""
    RequestCharge = apps.get_model("leave", "RequestCharge")
    Decision = apps.get_model("leave", "Decision")
    first = Decision.objects.filter(request_id=models.OuterRef("request_id")).order_by("id").values("id")[:1]
    RequestCharge.objects.filter(decision__isnull=True).update(decision_id=models.Subquery(first))


class Migration(migrations.Migration):

    dependencies = [
        ('leave', '0004_fmla_kinds'),
        ('ledger', '0009_merge_year_end_and_openings'),
        ('people', '0003_industrial_accident_leave'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='GrievanceOutcome',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('act', models.CharField(blank=True, help_text='Another act grieved, in words.', max_length=300)),
                ('result', models.CharField(choices=[('sustained', 'Sustained'), ('modified', 'Modified'), ('denied', 'Denied'), ('withdrawn', 'Withdrawn')], max_length=12)),
                ('step', models.CharField(choices=[('I', 'Step I'), ('II', 'Step II'), ('III', 'Step III (HRD)'), ('IV', 'Step IV (arbitration)')], max_length=4)),
                ('decided_on', models.DateField(help_text='The date of the outcome.')),
                ('reference', models.CharField(help_text="The grievance's reference (number, docket).", max_length=80)),
                ('text', models.TextField(help_text='The outcome in its own words.')),
                ('correction', models.CharField(choices=[('none', 'No correction'), ('approve', 'Approve the denied hours'), ('restore', 'Restore the forfeited credits'), ('reverse', 'Reverse the adjustment')], default='none', max_length=10)),
                ('correction_micro', models.BigIntegerField(default=0, help_text='Hours ordered (micro-hours), if any.')),
                ('recorded_at', models.DateTimeField()),
            ],
            options={
                'ordering': ['decided_on', 'id'],
            },
        ),
        migrations.AlterModelOptions(
            name='decision',
            options={'ordering': ['id']},
        ),
        migrations.RemoveConstraint(
            model_name='requestcharge',
            name='leave_charge_once_per_type',
        ),
        migrations.AddField(
            model_name='decision',
            name='finding_at_reconsideration',
            field=models.JSONField(blank=True, default=dict, help_text="A reconsideration: the contract's finding re-run at that time."),
        ),
        migrations.AddField(
            model_name='decision',
            name='reconsiders',
            field=models.OneToOneField(blank=True, help_text='The decision this one reconsiders (Art. 23); it stays as it was.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reconsidered_by', to='leave.decision'),
        ),
        migrations.AddField(
            model_name='requestcharge',
            name='decision',
            field=models.ForeignKey(blank=True, help_text='The decision that fixed this charge (a reconsideration adds its own).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='charges', to='leave.decision'),
        ),
        migrations.AlterField(
            model_name='decision',
            name='decided_as',
            field=models.CharField(choices=[('supervisor', 'Supervisor'), ('appointing_authority', 'Appointing Authority / HR'), ('auto', 'Automatic, by an organisation setting'), ('grievance_outcome', 'Grievance outcome, recorded by HR / the Appointing Authority')], max_length=24),
        ),
        migrations.AlterField(
            model_name='decision',
            name='request',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='decisions', to='leave.leaverequest'),
        ),
        migrations.AddConstraint(
            model_name='decision',
            constraint=models.UniqueConstraint(condition=models.Q(('reconsiders__isnull', True)), fields=('request',), name='leave_decision_one_first'),
        ),
        migrations.AddConstraint(
            model_name='requestcharge',
            constraint=models.UniqueConstraint(fields=('decision', 'leave_type'), name='leave_charge_once_per_decision'),
        ),
        migrations.AddField(
            model_name='grievanceoutcome',
            name='correction_decision',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='ordered_by', to='leave.decision'),
        ),
        migrations.AddField(
            model_name='grievanceoutcome',
            name='correction_entry',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ledger.ledgerentry'),
        ),
        migrations.AddField(
            model_name='grievanceoutcome',
            name='decision',
            field=models.ForeignKey(blank=True, help_text='The decision grieved, if one.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='grievance_outcomes', to='leave.decision'),
        ),
        migrations.AddField(
            model_name='grievanceoutcome',
            name='employee',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.employee'),
        ),
        migrations.AddField(
            model_name='grievanceoutcome',
            name='ledger_entry',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='The ledger entry grieved (a forfeiture, an adjustment), if one.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='ledger.ledgerentry'),
        ),
        migrations.AddField(
            model_name='grievanceoutcome',
            name='recorded_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddConstraint(
            model_name='grievanceoutcome',
            constraint=models.UniqueConstraint(condition=models.Q(('decision__isnull', False)), fields=('decision', 'step'), name='leave_outcome_once_per_decision_step'),
        ),
        migrations.AddConstraint(
            model_name='grievanceoutcome',
            constraint=models.UniqueConstraint(condition=models.Q(('ledger_entry__isnull', False)), fields=('ledger_entry', 'step'), name='leave_outcome_once_per_entry_step'),
        ),
        migrations.AddConstraint(
            model_name='grievanceoutcome',
            constraint=models.UniqueConstraint(fields=('employee', 'reference', 'step'), name='leave_outcome_once_per_reference'),
        ),
        # Last: on PostgreSQL no ALTER TABLE may follow the UPDATE in the same transaction (pending triggers).
        migrations.RunPython(charges_name_their_decision, migrations.RunPython.noop),
    ]
