"""The shared toolkit for files people bring in (exports, address books): opening them safely,
their encoding, dates as spreadsheets write them, and line-numbered records from CSV, JSON and
NDJSON. Each domain's importer maps these records to its own rows."""
