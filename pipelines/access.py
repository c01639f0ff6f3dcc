"""Who may read what (migration 0010): the group roles, and which units a unit head's login role
reads through row-level security (access.unit_grant)."""

from __future__ import annotations

from pipelines.errors import UsageError


def role_names(conn) -> dict[str, str]:
    """purpose (loader, hr, unit_head, auditor) -> the role's name in this warehouse."""
    with conn.cursor() as cur:
        cur.execute("select purpose, role_name from access.role order by purpose")
        names = dict(cur.fetchall())
    conn.rollback()
    return names


def grant_unit(conn, role: str, unit: str) -> str:
    """Let `role` read the mart rows of `unit`; returns a note when the role cannot use it yet."""
    unit = unit.strip().upper()  # codes are trimmed and upper-cased on load (contracts §2.1)
    head = role_names(conn)["unit_head"]
    with conn, conn.cursor() as cur:
        cur.execute("select pg_has_role(oid, %s, 'USAGE') from pg_roles where rolname = %s", (head, role))
        member = cur.fetchone()
        if member is None:
            raise UsageError(
                f"there is no role {role!r}; create it first, e.g. CREATE ROLE {role} LOGIN PASSWORD '…'"
                f" IN ROLE {head}"
            )
        cur.execute(
            "insert into access.unit_grant (role_name, unit_code) values (%s, %s) on conflict do nothing",
            (role, unit),
        )
    if not member[0]:
        return f"{role} is not a member of {head} and reads nothing until: GRANT {head} TO {role}"
    return ""


def revoke_unit(conn, role: str, unit: str) -> bool:
    """Whether `role` had `unit` (it reads none of its rows from now on)."""
    with conn, conn.cursor() as cur:
        cur.execute(
            "delete from access.unit_grant where role_name = %s and unit_code = %s",
            (role, unit.strip().upper()),
        )
        return cur.rowcount > 0


def unit_grants(conn) -> list[tuple[str, str]]:
    """(role, unit_code) of every grant, by role."""
    with conn.cursor() as cur:
        cur.execute("select role_name, unit_code from access.unit_grant order by 1, 2")
        rows = cur.fetchall()
    conn.rollback()
    return rows
