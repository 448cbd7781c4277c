#!/usr/bin/env bash
# Makes a COPIES-fold larger event store and NDJSON from a SQLite store that `ixctl import` made
# and the NDJSON it was imported from, for the report benchmarks at sizes whose import does not
# fit the time at hand (not in CI; docs/benchmarks.md says where its output was used).
#   tests/bench/statistics_replicate.sh STORE NDJSON COPIES OUT_DIR
# Writes OUT_DIR/store.sqlite and OUT_DIR/events.ndjson. Copy k (1 … COPIES − 1) of every person
# is another person: in the NDJSON its personnummer and every event id get the prefix "<k>~", in
# the store its pseudonym and event ids the suffix "~<k>" and its row ids an offset; everything
# else (dates, categories, interventions, units) is the original's. So each report cell over the
# copies is COPIES times the original's, the store reads exactly like an imported one, and DuckDB
# sees the same persons and events as the engine. What it does not measure: the import (every
# copied event skipped its pseudonymisation, about one ristretto255 scalar multiplication).
set -euo pipefail
store=${1:?STORE}
ndjson=${2:?NDJSON}
copies=${3:?COPIES}
out=${4:?OUT_DIR}
mkdir -p "$out"
rm -f "$out/store.sqlite"
lines=$(wc -l < "$ndjson")
if [ ! -f "$out/events.ndjson" ] || [ "$(wc -l < "$out/events.ndjson")" != $((lines * copies)) ]; then
  cp "$ndjson" "$out/events.ndjson"
  for ((k = 1; k < copies; k++)); do
    sed -e "s/\"personnummer\":\"/\"personnummer\":\"$k~/" -e "s/\"event_id\":\"/\"event_id\":\"$k~/" "$ndjson" >> "$out/events.ndjson"
  done
fi
columns=$(sqlite3 "$store" "SELECT group_concat(name, ', ') FROM pragma_table_info('events') WHERE name NOT IN ('id', 'event_id', 'person')")
persons=$(sqlite3 "$store" "SELECT max(id) FROM persons")
events=$(sqlite3 "$store" "SELECT max(id) FROM events")
# The same schema, its unique columns indexed after the rows are in (a sort, not ten million
# random index inserts), under the same names' meaning: UNIQUE(pseudonym), UNIQUE(event_id).
{
  echo "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA user_version=$(sqlite3 "$store" "PRAGMA user_version");"
  sqlite3 "$store" "SELECT sql || ';' FROM sqlite_master WHERE type = 'table'" | sed 's/ UNIQUE,/,/'
  echo "ATTACH '$store' AS src; BEGIN; INSERT INTO store_meta SELECT * FROM src.store_meta;"
  for ((k = 0; k < copies; k++)); do
    suffix=""
    [ "$k" = 0 ] || suffix=" || '~$k'"
    echo "INSERT INTO persons (id, pseudonym, sex, birth_year, birth_month)
            SELECT id + $k * $persons, pseudonym$suffix, sex, birth_year, birth_month FROM src.persons ORDER BY id;"
    echo "INSERT INTO events (id, event_id, person, $columns)
            SELECT id + $k * $events, event_id$suffix, person + $k * $persons, $columns FROM src.events ORDER BY id;"
  done
  echo "COMMIT; CREATE UNIQUE INDEX persons_pseudonym ON persons(pseudonym);"
  echo "CREATE UNIQUE INDEX events_event_id ON events(event_id);"
  sqlite3 "$store" "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
} | sqlite3 "$out/store.sqlite"
echo "store $out/store.sqlite: $(sqlite3 "$out/store.sqlite" "SELECT count(*) FROM events") events, $(sqlite3 "$out/store.sqlite" "SELECT count(*) FROM persons") persons, $(du -h "$out/store.sqlite" | cut -f1)"
echo "ndjson $out/events.ndjson: $(wc -l < "$out/events.ndjson") events, $(du -h "$out/events.ndjson" | cut -f1)"
