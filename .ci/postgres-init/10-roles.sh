#!/usr/bin/env bash
# First start of the postgres container (docker-compose.yml): the two roles and the
# database. The owner owns the database and runs migrations; the runtime role owns
# nothing and is granted its privileges by `manage.py grant_runtime_privileges`.
set -euo pipefail
owner_password=$(cat /run/secrets/db_owner_password)
runtime_password=$(cat /run/secrets/db_runtime_password)
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$owner_password" -v runtime_password="$runtime_password" <<'SQL'
CREATE ROLE safeguarding LOGIN NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE safeguarding_app LOGIN NOCREATEDB NOCREATEROLE PASSWORD :'runtime_password';
CREATE DATABASE safeguarding OWNER safeguarding;
REVOKE ALL ON DATABASE safeguarding FROM PUBLIC;
GRANT CONNECT ON DATABASE safeguarding TO safeguarding_app;
SQL
