"""The least-privilege PostgreSQL deployment (docs/tamper-evidence.md): the app connects as a role that owns
nothing; the tables, sequences and functions belong to a NOLOGIN owner role that migrations run as.

The app role may read and write ordinary tables, but on the ledger and the access log it may only SELECT and
INSERT — plus UPDATE of the seal columns (an access-log row's ``seq``/``prev_hash``/``hash``, the chain heads'
newest position) and of an accrual run's ``summary``/``finished_at``. No DELETE, no TRUNCATE, no other UPDATE;
not being the owner it cannot disable a trigger or drop one, and not being a superuser it cannot set
``session_replication_role``. The retention purge of old access-log rows runs as the owner.

``statements()`` is the SQL; ``manage.py pg_least_privilege`` prints or applies it (re-run after each migrate).
"""

from __future__ import annotations

import re

# Table → the privileges the app role gets on it; every other table of the schema: SELECT, INSERT, UPDATE, DELETE.
GUARDED = {
    "privacy_accesslog": "SELECT, INSERT, UPDATE (seq, prev_hash, hash)",
    "privacy_chainhead": "SELECT, INSERT, UPDATE (last_id, last_seq, last_hash)",
    "ledger_ledgerentry": "SELECT, INSERT",
    "ledger_ledgerseal": "SELECT, INSERT",
    "ledger_ledgerchainhead": "SELECT, INSERT, UPDATE (last_id, last_hash, blocks)",
    "ledger_accrualrun": "SELECT, INSERT, UPDATE (summary, finished_at)",
    "ledger_ledgercitation": "SELECT, INSERT",
    "ledger_payrollhours": "SELECT, INSERT",  # versions, never edits (issue 15, item 3)
    "ledger_payrollhoursbatch": "SELECT, INSERT",
    "ledger_accrualcorrection": "SELECT, INSERT",
    "ledger_accrualcorrectionline": "SELECT, INSERT",
    "django_migrations": "SELECT",
}
NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _q(name: str) -> str:
    if not NAME.match(name):
        raise ValueError(f"{name!r} is not a plain role or table name (lower case letters, digits, _)")
    return f'"{name}"'


def statements(*, app_role: str, owner_role: str, database: str, tables: list[str], functions: list[str]) -> list[str]:
    """The SQL that creates the two roles (if missing), hands every object to the owner and grants the app role
    only what it needs. Run by a superuser or the current owner of the tables."""
    app, owner = _q(app_role), _q(owner_role)
    sql = [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{owner_role}') THEN "
        f"CREATE ROLE {owner} NOLOGIN; END IF; END $$",
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{app_role}') THEN "
        f"CREATE ROLE {app} LOGIN; END IF; END $$",
        f"ALTER ROLE {app} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS",
        f'GRANT CONNECT ON DATABASE "{database}" TO {app}',
        f"GRANT USAGE ON SCHEMA public TO {app}",
    ]
    for t in tables:
        sql.append(f"ALTER TABLE public.{_q(t)} OWNER TO {owner}")  # its identity sequences move with it
    for f in functions:
        sql.append(f"ALTER FUNCTION public.{f} OWNER TO {owner}")
    sql += [f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {app}",
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {app}"]
    for t in tables:
        sql.append(f"GRANT {GUARDED.get(t, 'SELECT, INSERT, UPDATE, DELETE')} ON public.{_q(t)} TO {app}")
    sql.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app}")
    if "ledger_seal_horizon()" in functions:
        sql.append(f"GRANT EXECUTE ON FUNCTION public.ledger_seal_horizon() TO {app}")
    return sql


def objects(cursor) -> tuple[list[str], list[str]]:
    """The tables and the app's own functions in schema public."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [r[0] for r in cursor.fetchall()]
    cursor.execute("""SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
                      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                      WHERE n.nspname = 'public' AND (p.proname LIKE 'ledger\\_%' OR p.proname LIKE 'privacy\\_%')
                      ORDER BY 1""")
    return tables, [r[0] for r in cursor.fetchall()]


def problems(cursor, app_role: str, owner_role: str) -> list[str]:
    """Why the app role is not least-privilege (empty: it is)."""
    cursor.execute("SELECT rolsuper, pg_has_role(%s, %s, 'MEMBER') FROM pg_roles WHERE rolname = %s",
                   [app_role, owner_role, app_role])
    row = cursor.fetchone()
    if row is None:
        return [f"role {app_role} does not exist"]
    out = []
    if row[0]:
        out.append(f"{app_role} is a superuser (it could disable triggers and truncate anything)")
    if row[1]:
        out.append(f"{app_role} is a member of {owner_role} (it would have the owner's rights)")
    cursor.execute("SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner "
                   "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND r.rolname = %s",
                   [app_role])
    if cursor.fetchone()[0]:
        out.append(f"{app_role} owns tables or sequences (an owner can disable triggers and truncate)")
    return out
