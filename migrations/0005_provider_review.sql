ALTER TABLE `providers` ADD `status` text DEFAULT 'listed' NOT NULL;--> statement-breakpoint
ALTER TABLE `providers` ADD `merged_into` integer;--> statement-breakpoint
ALTER TABLE `providers` ADD `reviewed_at` integer;--> statement-breakpoint
CREATE INDEX `providers_status_idx` ON `providers` (`status`);--> statement-breakpoint
-- Hand-written below: backfills drizzle-kit cannot express.
-- Names consumers typed that matched nothing were listed at once before this review existed: they become pending
-- (private until an admin decides). Entries made by the bulk import or by an admin stay listed (`verified` keeps its
-- meaning: contact not yet checked).
UPDATE `providers` SET `status` = 'pending' WHERE `verified` = 0 AND `contact_source` LIKE '消费者投诉时填写%';
--> statement-breakpoint
-- The public pseudo-provider: cases of pending, rejected (and, briefly, merged) providers appear under it.
INSERT INTO `providers` (`slug`, `name`, `aliases`, `hotline`, `contact_source`, `last_verified_at`, `verified`, `website`, `created_at`, `updated_at`, `status`)
  VALUES ('other', '其他机构', '[]', NULL, NULL, NULL, 0, NULL, unixepoch() * 1000, unixepoch() * 1000, 'reserved')
  ON CONFLICT (`slug`) DO NOTHING;
--> statement-breakpoint
-- Public copies of cases filed against names that are now pending show 其他机构 instead of the name...
UPDATE `public_cases` SET `provider_id` = (SELECT `id` FROM `providers` WHERE `slug` = 'other'),
    `doc` = json_set(`doc`, '$.provider', json_object('slug', 'other', 'name', '其他机构', 'hotline', NULL, 'verified', json('false'))),
    `version` = `version` + 1
  WHERE `provider_id` IN (SELECT `id` FROM `providers` WHERE `status` = 'pending');
--> statement-breakpoint
-- ...and the search index follows through the outbox, as for any other public change (search-sync.ts).
INSERT INTO `outbox` (`topic`, `complaint_id`, `channel`, `payload`, `idempotency_key`, `status`, `attempts`, `max_attempts`, `next_attempt_at`, `created_at`)
  SELECT 'search_sync', `complaint_id`, NULL, json_object('complaintId', `complaint_id`), 'search_sync:' || `complaint_id` || ':provider-review-0005',
    'pending', 0, 8, unixepoch() * 1000, unixepoch() * 1000
  FROM `public_cases` WHERE `provider_id` = (SELECT `id` FROM `providers` WHERE `slug` = 'other')
  ON CONFLICT (`idempotency_key`) DO NOTHING;
