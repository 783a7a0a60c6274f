#!/bin/sh
# The namespace and the search attributes the workflows use, with the temporal CLI (TEMPORAL_ADDRESS and, on an mTLS
# cluster, TEMPORAL_TLS_* in the environment), once the server answers. Safe to run again: what exists is left as it
# is; a search attribute of the same name but another type is an error. docker-compose.yml's
# temporal-search-attributes service and `npm run test:cluster` run this file (POSIX sh: the admin-tools image's).
#   usage: setup-namespace.sh <namespace> <retention> <Name=Type>...
# Creating an attribute is tried SETUP_NAMESPACE_TRIES times (default 60) a second apart, then the last error printed.
set -eu
ns=$1
retention=$2
shift 2
tries=${SETUP_NAMESPACE_TRIES:-60}
lower() { echo "$1" | tr '[:upper:]' '[:lower:]'; }

n=1
until health=$(temporal operator cluster health 2>&1) && echo "$health" | grep -q SERVING; do
  if [ "$n" -ge 300 ]; then
    echo "setup-namespace.sh: the Temporal server at ${TEMPORAL_ADDRESS:-?} is not serving after $n s: $health" >&2
    exit 1
  fi
  n=$((n + 1))
  sleep 1
done
temporal operator namespace describe --namespace "$ns" >/dev/null 2>&1 ||
  temporal operator namespace create --namespace "$ns" --retention "$retention"
for attribute in "$@"; do
  name=${attribute%%=*}
  type=${attribute#*=}
  n=1
  while :; do
    existing=$(temporal operator search-attribute list --namespace "$ns" 2>/dev/null | awk -v name="$name" '$1 == name { print $2 }')
    if [ -n "$existing" ]; then
      [ "$(lower "$existing")" = "$(lower "$type")" ] && break
      echo "setup-namespace.sh: search attribute $name exists with type $existing, not $type (the workflows set it as $type):" \
        "remove it (temporal operator search-attribute remove) or use another namespace" >&2
      exit 1
    fi
    # A namespace just created reaches every service within seconds: until then creating its attributes fails.
    if err=$(temporal operator search-attribute create --namespace "$ns" --name "$name" --type "$type" 2>&1 >/dev/null); then break; fi
    if [ "$n" -ge "$tries" ]; then
      echo "setup-namespace.sh: could not create search attribute $name ($type) after $n tries: $err" >&2
      exit 1
    fi
    n=$((n + 1))
    sleep 1
  done
done
