"""Importing organisations and listings from a spreadsheet or an Open Referral UK feed, with a
dry run first (docs/open-data.md, "Importing")."""
