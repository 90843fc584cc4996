"""Wrong second-factor codes are counted on the authenticator app and lock sign-in."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_administrator_imports")]

    operations = [
        migrations.AddField(
            model_name="totpdevice",
            name="failed_codes",
            field=models.PositiveIntegerField(
                default=0, help_text="Wrong codes since the last full sign-in."
            ),
        ),
        migrations.AddField(
            model_name="totpdevice",
            name="locked_at",
            field=models.DateTimeField(
                blank=True, help_text="When too many wrong codes locked sign-in.", null=True
            ),
        ),
    ]
