# Associate.name_norm (names.normalise of the name, set in Associate.save()) for screening
# the custody list by name in the database; existing associates are filled here.

from django.db import migrations, models


def fill_name_norm(apps, schema_editor):
    # The historical model has no save() of ours: normalise with the same function.
    from cases import names

    Associate = apps.get_model("cases", "Associate")
    batch = []
    for associate in Associate.objects.only("pk", "name").iterator(chunk_size=2_000):
        associate.name_norm = names.normalise(associate.name)[:300]
        batch.append(associate)
        if len(batch) == 2_000:
            Associate.objects.bulk_update(batch, ["name_norm"])
            batch = []
    if batch:
        Associate.objects.bulk_update(batch, ["name_norm"])


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0003_associate_date_of_birth_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="associate",
            name="name_norm",
            field=models.CharField(blank=True, editable=False, max_length=300),
        ),
        migrations.RunPython(fill_name_norm, migrations.RunPython.noop, elidable=True),
    ]
