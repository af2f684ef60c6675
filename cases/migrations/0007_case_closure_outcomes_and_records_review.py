"""A closure gives its outcomes; the MoPI review date becomes the records review date
(the Police Information and Records Management Code of Practice 2023 replaced MoPI)."""

import cases.models
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_missing_gradings_return_place_and_cost"),
    ]

    operations = [
        migrations.RenameField(model_name="case", old_name="mopi_review_on", new_name="records_review_on"),
        migrations.RenameField(model_name="historicalcase", old_name="mopi_review_on", new_name="records_review_on"),
        migrations.AlterField(
            model_name="case",
            name="records_review_on",
            field=models.DateField(blank=True, null=True, verbose_name="Next records review"),
        ),
        migrations.AlterField(
            model_name="historicalcase",
            name="records_review_on",
            field=models.DateField(blank=True, null=True, verbose_name="Next records review"),
        ),
            migrations.AddField(
            model_name='case',
            name='closure_outcome_other',
            field=models.CharField(blank=True, max_length=300, verbose_name='Other outcome (describe)'),
        ),
        migrations.AddField(
            model_name='case',
            name='closure_outcomes',
            field=models.JSONField(blank=True, default=list, validators=[cases.models.CodesValidator('ClosureOutcome')]),
        ),
        migrations.AddField(
            model_name='historicalcase',
            name='closure_outcome_other',
            field=models.CharField(blank=True, max_length=300, verbose_name='Other outcome (describe)'),
        ),
        migrations.AddField(
            model_name='historicalcase',
            name='closure_outcomes',
            field=models.JSONField(blank=True, default=list, validators=[cases.models.CodesValidator('ClosureOutcome')]),
        ),
    
    ]
