#!/bin/sh
# Temporal's two databases and their schemas, by its schema tool (temporal-sql-tool, which reads SQL_PLUGIN, SQL_HOST,
# SQL_PORT, SQL_USER and SQL_PASSWORD from the environment). An existing schema is upgraded to the tool's version (a
# no-op when current); one that cannot be (none yet) is created first. docker-compose.yml's temporal-schema service and
# `npm run test:cluster` run this file.
#   usage: setup-schema.sh <schema directory, the one holding postgresql/v12/> <database> <visibility database>
set -eu
root=$1
schema() {
  temporal-sql-tool --db "$1" update-schema -d "$2" ||
    { temporal-sql-tool --db "$1" create-database && temporal-sql-tool --db "$1" setup-schema -v 0.0 &&
      temporal-sql-tool --db "$1" update-schema -d "$2"; }
}
schema "$2" "$root/postgresql/v12/temporal/versioned"
schema "$3" "$root/postgresql/v12/visibility/versioned"
