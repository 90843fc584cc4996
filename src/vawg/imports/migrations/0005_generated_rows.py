from pathlib import Path

from django.conf import settings
from django.db import migrations, models


def count_generated_rows(apps, schema_editor):
    """Mark files imported before the count existed, from their Parquet files.

    Without this an installation upgraded with the demo extracts already in it would lose
    the "generated" mark on invented figures, the one mistake the mark exists to prevent.
    """
    import duckdb

    from vawg.extracts.templates import TEMPLATES
    from vawg.extracts.templates.model import GENERATED_PREFIX

    references = {t.dataset: t.reference_columns for t in TEMPLATES.values()}
    imported_file = apps.get_model("imports", "ImportedFile")
    root = Path(settings.VAWG_PARQUET_DIR)
    files = imported_file.objects.filter(dataset__in=list(references))
    if not files.exists():
        return
    con = duckdb.connect(":memory:")
    try:
        for item in files.iterator():
            path = root / item.parquet_path
            columns = references[item.dataset]
            if not columns or not path.exists():
                # A superseded file may be gone; nothing reads it any more.
                continue
            test = " OR ".join(f"starts_with({name}, ?)" for name in columns)
            count = con.execute(
                f"SELECT count(*) FROM read_parquet(?) WHERE {test}",  # noqa: S608 - fixed names
                [str(path), *[GENERATED_PREFIX] * len(columns)],
            ).fetchone()[0]
            if count:
                item.generated_rows = count
                item.save(update_fields=["generated_rows"])
    finally:
        con.close()


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0004_metrics_recomputed_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="importedfile",
            name="generated_rows",
            field=models.PositiveIntegerField(
                default=0,
                help_text=(
                    "Rows of generated (invented) records, whose references start GEN-; "
                    "0 for a force's own records and for public data."
                ),
            ),
        ),
        migrations.RunPython(count_generated_rows, migrations.RunPython.noop),
    ]
