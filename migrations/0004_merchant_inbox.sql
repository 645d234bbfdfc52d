-- Staff visibility is the stored fact of forwarding (complaints/scope.ts): rows forwarded before forwarded_at existed
-- (migration 0001 added it without a backfill) get the time of their first approval.
UPDATE `complaints` SET `forwarded_at` = (SELECT min(e.`created_at`) FROM `complaint_events` e WHERE e.`complaint_id` = `complaints`.`id` AND e.`type` IN ('approve', 'forwarded'))
  WHERE `forwarded_at` IS NULL AND `status` NOT IN ('submitted', 'rejected');--> statement-breakpoint
CREATE TABLE `inbox_counts` (
	`provider_id` integer NOT NULL,
	`tab` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`provider_id`, `tab`)
);
--> statement-breakpoint
ALTER TABLE `complaints` ADD `inbox_tab` text GENERATED ALWAYS AS (CASE
  WHEN forwarded_at IS NULL THEN NULL
  WHEN status IN ('forwarded', 'in_progress') AND resolution_paused_at IS NULL THEN 'todo'
  WHEN status IN ('forwarded', 'in_progress', 'awaiting_consumer') THEN 'consumer'
  WHEN status IN ('resolved', 'closed_unconfirmed', 'closed_unresolved', 'withdrawn') THEN 'closed' END) VIRTUAL;--> statement-breakpoint
ALTER TABLE `complaints` ADD `inbox_overdue` integer GENERATED ALWAYS AS (CASE
  WHEN status IN ('forwarded', 'in_progress', 'awaiting_consumer') AND (first_response_breached_at IS NOT NULL OR resolution_breached_at IS NOT NULL) THEN 1 END) VIRTUAL;--> statement-breakpoint
ALTER TABLE `complaints` ADD `inbox_due` integer GENERATED ALWAYS AS (CASE
  WHEN status IN ('forwarded', 'in_progress', 'awaiting_consumer') AND first_response_at IS NULL AND first_response_due_at IS NOT NULL THEN first_response_due_at
  WHEN status IN ('forwarded', 'in_progress') AND resolution_paused_at IS NULL AND resolution_due_at IS NOT NULL THEN resolution_due_at
  WHEN status IN ('forwarded', 'in_progress', 'awaiting_consumer') THEN coalesce(auto_close_at, updated_at)
  ELSE coalesce(closed_at, resolved_at, updated_at) END) VIRTUAL;--> statement-breakpoint
CREATE INDEX `complaints_inbox_idx` ON `complaints` (`provider_id`,`inbox_tab`,`inbox_due`);--> statement-breakpoint
CREATE INDEX `complaints_inbox_overdue_idx` ON `complaints` (`provider_id`,`inbox_due`) WHERE inbox_overdue IS NOT NULL;--> statement-breakpoint
CREATE INDEX `complaints_provider_created_idx` ON `complaints` (`provider_id`,`created_at`);--> statement-breakpoint
-- Hand-written below: drizzle-kit cannot express triggers, FTS5 tables or backfills.
-- Tab counts: kept by triggers, so every writer (lifecycle, the deadline scheduler's raw UPDATEs, the bulk import,
-- a person at the sqlite3 prompt) keeps them exact; the inbox reads them instead of counting per request.
CREATE TRIGGER `complaints_inbox_counts_insert` AFTER INSERT ON `complaints` BEGIN
  INSERT INTO inbox_counts (provider_id, tab, n) SELECT NEW.provider_id, NEW.inbox_tab, 1 WHERE NEW.inbox_tab IS NOT NULL
    ON CONFLICT (provider_id, tab) DO UPDATE SET n = n + 1;
  INSERT INTO inbox_counts (provider_id, tab, n) SELECT NEW.provider_id, 'overdue', 1 WHERE NEW.inbox_overdue IS NOT NULL
    ON CONFLICT (provider_id, tab) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `complaints_inbox_counts_delete` AFTER DELETE ON `complaints` BEGIN
  UPDATE inbox_counts SET n = n - 1 WHERE provider_id = OLD.provider_id AND tab = OLD.inbox_tab;
  UPDATE inbox_counts SET n = n - 1 WHERE provider_id = OLD.provider_id AND tab = 'overdue' AND OLD.inbox_overdue IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `complaints_inbox_counts_update` AFTER UPDATE ON `complaints`
  WHEN OLD.provider_id IS NOT NEW.provider_id OR OLD.inbox_tab IS NOT NEW.inbox_tab OR OLD.inbox_overdue IS NOT NEW.inbox_overdue BEGIN
  UPDATE inbox_counts SET n = n - 1 WHERE provider_id = OLD.provider_id AND tab = OLD.inbox_tab;
  UPDATE inbox_counts SET n = n - 1 WHERE provider_id = OLD.provider_id AND tab = 'overdue' AND OLD.inbox_overdue IS NOT NULL;
  INSERT INTO inbox_counts (provider_id, tab, n) SELECT NEW.provider_id, NEW.inbox_tab, 1 WHERE NEW.inbox_tab IS NOT NULL
    ON CONFLICT (provider_id, tab) DO UPDATE SET n = n + 1;
  INSERT INTO inbox_counts (provider_id, tab, n) SELECT NEW.provider_id, 'overdue', 1 WHERE NEW.inbox_overdue IS NOT NULL
    ON CONFLICT (provider_id, tab) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
INSERT INTO inbox_counts (provider_id, tab, n)
  SELECT provider_id, inbox_tab, count(*) FROM complaints WHERE inbox_tab IS NOT NULL GROUP BY provider_id, inbox_tab;
--> statement-breakpoint
INSERT INTO inbox_counts (provider_id, tab, n)
  SELECT provider_id, 'overdue', count(*) FROM complaints WHERE inbox_overdue IS NOT NULL GROUP BY provider_id;
--> statement-breakpoint
-- Title words for the inbox search, private (the public board's index holds only published, anonymised text).
-- rowid = complaints.id. `scope` holds the case's provider token p<provider_id>, its tab (todo, consumer, closed) and
-- `overdue` when overdue, so a search intersects with this provider's cases of that tab inside FTS5 instead of
-- checking every match against the table. Words come from inbox_words(), the project's jieba segmenter registered on
-- every connection by openDatabase (server/db/database.ts): FTS5 cannot call a JavaScript tokenizer, a SQL
-- function can.
CREATE VIRTUAL TABLE `inbox_titles` USING fts5(scope, words, content='', contentless_delete=1, detail=column);
--> statement-breakpoint
CREATE TRIGGER `complaints_inbox_titles_insert` AFTER INSERT ON `complaints` BEGIN
  INSERT INTO inbox_titles (rowid, scope, words)
    VALUES (NEW.id, concat_ws(' ', 'p' || NEW.provider_id, NEW.inbox_tab, iif(NEW.inbox_overdue IS NOT NULL, 'overdue')), inbox_words(NEW.title));
END;
--> statement-breakpoint
CREATE TRIGGER `complaints_inbox_titles_update` AFTER UPDATE ON `complaints`
  WHEN OLD.title IS NOT NEW.title OR OLD.provider_id IS NOT NEW.provider_id OR OLD.inbox_tab IS NOT NEW.inbox_tab
    OR OLD.inbox_overdue IS NOT NEW.inbox_overdue BEGIN
  DELETE FROM inbox_titles WHERE rowid = OLD.id;
  INSERT INTO inbox_titles (rowid, scope, words)
    VALUES (NEW.id, concat_ws(' ', 'p' || NEW.provider_id, NEW.inbox_tab, iif(NEW.inbox_overdue IS NOT NULL, 'overdue')), inbox_words(NEW.title));
END;
--> statement-breakpoint
CREATE TRIGGER `complaints_inbox_titles_delete` AFTER DELETE ON `complaints` BEGIN
  DELETE FROM inbox_titles WHERE rowid = OLD.id;
END;
--> statement-breakpoint
INSERT INTO inbox_titles (rowid, scope, words)
  SELECT id, concat_ws(' ', 'p' || provider_id, inbox_tab, iif(inbox_overdue IS NOT NULL, 'overdue')), inbox_words(title) FROM complaints;
