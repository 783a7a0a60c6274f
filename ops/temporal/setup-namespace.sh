#!/bin/sh
# The namespace and the search attributes the workflows use, with the temporal CLI (TEMPORAL_ADDRESS in the
# environment), once the server answers. Safe to run again: what exists is left as it is. docker-compose.yml's
# temporal-search-attributes service and `npm run test:cluster` run this file.
#   usage: setup-namespace.sh <namespace> <retention> <Name=Type>...
set -eu
ns=$1
retention=$2
shift 2
until temporal operator cluster health 2>/dev/null | grep -q SERVING; do sleep 1; done
temporal operator namespace describe --namespace "$ns" >/dev/null 2>&1 ||
  temporal operator namespace create --namespace "$ns" --retention "$retention"
for attribute in "$@"; do
  name=${attribute%%=*}
  # A namespace just created reaches every service within seconds: until then creating its attributes fails.
  until temporal operator search-attribute list --namespace "$ns" 2>/dev/null | grep -qw "$name" ||
    temporal operator search-attribute create --namespace "$ns" --name "$name" --type "${attribute#*=}" >/dev/null 2>&1; do
    sleep 1
  done
done
