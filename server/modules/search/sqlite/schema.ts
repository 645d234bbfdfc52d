// The SQLite search tables. They are derived data, rebuilt from the public view by the reindex script, so they are
// created here with IF NOT EXISTS rather than by the app's migrations, and dropped and recreated when their layout
// version changes.
import type Database from 'better-sqlite3';

// 4: the aliases column holds whole provider words, without parts or product words (provider-words.ts).
export const SCHEMA_VERSION = 4;

const DDL = `
CREATE TABLE IF NOT EXISTS search_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
-- ord is the FTS5 rowid. AUTOINCREMENT so an ord is never handed out twice: in-memory posting lists may still hold
-- the ord of a replaced or removed case, and must never see it come back as a different case.
-- The filter columns are kept apart from the text so that loading them into memory at start reads 30 MB, not 400.
CREATE TABLE IF NOT EXISTS search_doc (
  ord INTEGER PRIMARY KEY AUTOINCREMENT,
  id INTEGER NOT NULL UNIQUE,
  provider INTEGER NOT NULL, category INTEGER NOT NULL, status INTEGER NOT NULL,
  amount_fen INTEGER NOT NULL, filed_at INTEGER NOT NULL, overdue INTEGER NOT NULL, body_len INTEGER NOT NULL
);
-- The original (already anonymised) text, for titles and snippets of a result page.
CREATE TABLE IF NOT EXISTS search_text (ord INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL);
-- Every removal (and replacement) by ord, so another process can follow without reloading everything.
CREATE TABLE IF NOT EXISTS search_removed (seq INTEGER PRIMARY KEY AUTOINCREMENT, ord INTEGER NOT NULL);
-- Codes of provider, category and status values; for providers also the display name and the alias tokens.
CREATE TABLE IF NOT EXISTS search_value (
  kind TEXT NOT NULL, code INTEGER NOT NULL, value TEXT NOT NULL, label TEXT NOT NULL, aliases TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (kind, code), UNIQUE (kind, value)
) WITHOUT ROWID;
-- Contentless (the original text lives in search_doc), detail=column (which columns a term occurs in, no positions:
-- smaller and faster doclists; phrase queries are neither needed nor possible), pre-segmented text so unicode61 only
-- splits on the spaces segment.ts put there.
CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
  title, body, aliases,
  content='', contentless_delete=1, detail=column,
  tokenize='unicode61 remove_diacritics 0'
);
CREATE VIRTUAL TABLE IF NOT EXISTS search_vocab USING fts5vocab(search_fts, 'row');
`;

const DROP = `
DROP TABLE IF EXISTS search_vocab; DROP TABLE IF EXISTS search_fts; DROP TABLE IF EXISTS search_value;
DROP TABLE IF EXISTS search_removed; DROP TABLE IF EXISTS search_text; DROP TABLE IF EXISTS search_doc; DROP TABLE IF EXISTS search_state;
`;

export function ensureSchema(db: Database.Database): void {
  const hasState = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_state'").get();
  if (hasState) {
    const row = db.prepare("SELECT value FROM search_state WHERE key = 'schema'").get() as
      | { value: number }
      | undefined;
    if (row?.value !== SCHEMA_VERSION) db.exec(DROP);
  }
  db.exec(DDL);
  db.prepare("INSERT OR REPLACE INTO search_state (key, value) VALUES ('schema', ?)").run(SCHEMA_VERSION);
  db.prepare("INSERT OR IGNORE INTO search_state (key, value) VALUES ('generation', 0)").run();
  db.prepare("INSERT OR IGNORE INTO search_state (key, value) VALUES ('epoch', 0)").run();
}
