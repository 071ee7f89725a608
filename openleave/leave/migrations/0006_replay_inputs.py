# The inputs each finding relied on (issue 15, item 4: replayable decisions), after the chain of decisions (0005).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("leave", "0005_reconsideration_grievance_outcomes"),
    ]

    operations = [
        migrations.AddField(
            model_name="leaverequest",
            name="replay_inputs",
            field=models.JSONField(
                blank=True, default=dict,
                help_text="What each finding relied on, by moment (submission, decision): the employee's facts, the "
                          "ask and the RequestContext the rules got, the contract parameters' content hash and the "
                          "code version (rules.provenance). Only this member's data."),
        ),
    ]
