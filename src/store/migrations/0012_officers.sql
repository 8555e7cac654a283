-- 0012: a hub's officers have roles, and what they see of learners is logged. `see_names`:
-- the officer may see learners' names (the hub holds one only where the commune chose to
-- send it); `administrator`: the officer reads the audit log and grants or revokes
-- `see_names`. Both off for every account, those made before included. A box's
-- facilitators have neither and use none of it.
--
-- `hub_audit` keeps who (the officer's id, or NULL for the hub's command line, and their
-- name then), when, and what: every CSV export with its filter and scope, every look at
-- learner-level records, every grant and revocation. `province` is whose records they were
-- (NULL: every province): a province's administrator reads that province's lines. Lines are
-- never changed or deleted (a record the law asks for).

ALTER TABLE facilitators ADD COLUMN see_names INTEGER NOT NULL DEFAULT 0 CHECK (see_names IN (0, 1));
ALTER TABLE facilitators ADD COLUMN administrator INTEGER NOT NULL DEFAULT 0 CHECK (administrator IN (0, 1));

CREATE TABLE hub_audit (
    id         INTEGER PRIMARY KEY,          -- the order lines were written in
    at         TEXT NOT NULL,
    officer_id TEXT,                         -- NULL: `hocso hub grant|revoke` on the server
    officer    TEXT NOT NULL,                -- their name when it happened
    province   TEXT,
    action     TEXT NOT NULL CHECK (action IN ('export', 'learners', 'learner', 'grant', 'revoke')),
    subject    TEXT NOT NULL,                -- the file, the learner's id, the officer granted
    detail     TEXT NOT NULL,                -- the filter, the page, the role
    names      INTEGER NOT NULL CHECK (names IN (0, 1))  -- learners' names were shown
) STRICT;
CREATE INDEX hub_audit_by_province ON hub_audit (province, id);
CREATE INDEX hub_audit_by_officer ON hub_audit (officer_id, id);

CREATE TRIGGER hub_audit_no_update BEFORE UPDATE ON hub_audit
BEGIN SELECT RAISE(ABORT, 'the audit log is never changed'); END;
CREATE TRIGGER hub_audit_no_delete BEFORE DELETE ON hub_audit
BEGIN SELECT RAISE(ABORT, 'the audit log is never deleted'); END;
