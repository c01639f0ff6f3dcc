"""COPY a file's lines, untouched, into an unlogged table: PostgreSQL parses nothing yet.

Each physical line becomes one text value numbered in file order (an identity column, which COPY
fills in input order). COPY's CSV mode with a delimiter and quote byte that text never holds
keeps every line whole and interprets no backslash; ENCODING converts Windows-1252 to UTF-8.
"""

from __future__ import annotations

from typing import Iterable

from pipelines.land.stream import CHUNK_BYTES, ChunkReader

_AS_ONE_FIELD = "format csv, delimiter E'\\x01', quote E'\\x02'"


def create_lines_table(cur, table: str) -> None:
    cur.execute(
        f"create unlogged table {table} ("
        " line_no bigint generated always as identity, line text)"
    )


def copy_lines(cur, table: str, chunks: Iterable[bytes], encoding: str) -> int:
    """COPY the chunks into `table` as lines; returns how many lines arrived."""
    cur.copy_expert(
        f"copy {table} (line) from stdin with ({_AS_ONE_FIELD}, encoding '{encoding}')",
        ChunkReader(chunks),
        size=CHUNK_BYTES,
    )
    return cur.rowcount
