"""Index each listing's link tables (needs, skills, days, ways of paying, languages, types of
service, access features) item first, with the listing: "which listings support autism?" is
then read from the index alone. Matching asks it for every need and day a family gives, over
the whole directory (docs/workflows/brokerage.md, performance). The tables are the ones
Django makes for the many-to-many fields, so plain SQL that SQLite and PostgreSQL both run."""

from django.db import migrations

LINKS = [
    ("directory_listingpage_needs", "need_id"),
    ("directory_listingpage_skills", "skill_id"),
    ("directory_listingpage_days", "weekday_id"),
    ("directory_listingpage_funding_accepted", "fundingroute_id"),
    ("directory_listingpage_languages", "language_id"),
    ("directory_listingpage_service_types", "servicetype_id"),
    ("directory_listingpage_access_features", "accessfeature_id"),
]


def index_name(table: str) -> str:
    return f"{table.removeprefix('directory_listingpage_')}_item_listing"


class Migration(migrations.Migration):
    dependencies = [("directory", "0006_listing_capacity_agreed_total")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX {index_name(table)} ON {table} ({column}, listingpage_id)",
            reverse_sql=f"DROP INDEX {index_name(table)}",
        )
        for table, column in LINKS
    ]
