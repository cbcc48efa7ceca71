"""Outcomes say what kind of difference they made, and whether the volunteer was told the
detail or only thanked (the client's consent decided it when the outcome was recorded)."""

from django.db import migrations, models

# The good news a volunteer received carries the outcome's own message only when the client's
# consent allowed it; otherwise it is a thank-you without details.
MARK_TOLD_DETAIL = """
UPDATE risks_outcome AS o
SET volunteer_told_detail = TRUE
WHERE EXISTS (
    SELECT 1 FROM notifications_notification AS n
    WHERE n.kind = 'good_news'
      AND n.link = '/risks/' || o.risk_id || '/'
      AND n.body = o.volunteer_message
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("risks", "0003_concern_too_late_for_meeting"),
        ("notifications", "0003_notification_attachment"),
    ]

    operations = [
        migrations.AddField(
            model_name="outcome",
            name="kind",
            field=models.CharField(
                choices=[
                    ("support_arranged", "Support or care arranged"),
                    ("health_checked", "Seen by a nurse, doctor or other clinician"),
                    ("home_made_safer", "Home made safer (equipment, adaptations, repairs)"),
                    ("connected", "Connected with people or groups"),
                    ("money_or_benefits", "Help with money or benefits"),
                    ("advice_given", "Advice or information given"),
                    ("client_declined", "Help offered and declined"),
                    ("no_further_action", "Looked into: nothing more needed"),
                    ("other", "Something else"),
                ],
                default="other",
                max_length=30,
                verbose_name="What kind of outcome",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="outcome",
            name="volunteer_told_detail",
            field=models.BooleanField(default=False),
        ),
        migrations.RunSQL(MARK_TOLD_DETAIL, migrations.RunSQL.noop),
    ]
