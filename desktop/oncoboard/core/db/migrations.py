"""Versioned schema migrations for the case database.

Each migration is a list of SQL statements applied in one transaction; the
``user_version`` pragma records the schema version.  Never edit a released
migration: add a new one.
"""

from __future__ import annotations

MIGRATIONS: list[list[str]] = [
    # 1: cases and the append-only audit trail
    [
        """
        CREATE TABLE cases (
            pk INTEGER PRIMARY KEY,
            case_id TEXT NOT NULL UNIQUE,
            version INTEGER NOT NULL,
            status TEXT NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'ready', 'discussed')),
            oncotree_code TEXT NOT NULL,
            search_text TEXT NOT NULL,
            content TEXT NOT NULL,
            content_sha256 TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted_at TEXT
        )
        """,
        "CREATE INDEX cases_updated ON cases(updated_at)",
        "CREATE INDEX cases_status ON cases(status)",
        """
        CREATE TABLE audit (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            os_user TEXT NOT NULL,
            action TEXT NOT NULL,
            case_pk INTEGER REFERENCES cases(pk),
            case_version INTEGER,
            content_sha256 TEXT,
            prev_hash TEXT NOT NULL,
            row_hash TEXT NOT NULL
        )
        """,
        # Append-only: the database itself refuses edits and deletions.
        """
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END
        """,
        """
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END
        """,
    ],
    # 2: variant files (VCF/MAF/CSV) a case file refers to, stored with the case so
    # that a stored case can be analysed and exported without its original folder
    [
        """
        CREATE TABLE attachments (
            pk INTEGER PRIMARY KEY,
            case_pk INTEGER NOT NULL REFERENCES cases(pk),
            rel_path TEXT NOT NULL,
            content BLOB NOT NULL,
            sha256 TEXT NOT NULL,
            UNIQUE (case_pk, rel_path)
        )
        """,
    ],
]

SCHEMA_VERSION = len(MIGRATIONS)
APPLICATION_ID = 0x4F4E4342  # "ONCB": lets us recognise a foreign SQLite file
