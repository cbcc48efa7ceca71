from django.db import migrations

MODULES = [
    (
        "Medically aware, not medically trained",
        "Noticing changes in health and wellbeing on a visit, and knowing it is not your job to diagnose.",
    ),
    (
        "How to escalate a concern",
        "Who to tell, how quickly, and what to say: the four routes and when to call 999 or 111.",
    ),
    ("Safeguarding adults", "Recognising abuse and neglect, and what to do."),
    ("Confidentiality and information sharing", "What you may share, with whom, and why consent matters."),
    ("Dementia awareness", "Understanding dementia and communicating well."),
]


def seed_modules(apps, schema_editor):
    TrainingModule = apps.get_model("volunteers", "TrainingModule")
    for name, description in MODULES:
        TrainingModule.objects.get_or_create(name=name, defaults={"description": description})


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0001_initial")]

    operations = [migrations.RunPython(seed_modules, migrations.RunPython.noop)]
