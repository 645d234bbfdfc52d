ALTER TABLE `complaints` ADD `forwarded_at` integer;--> statement-breakpoint
ALTER TABLE `complaints` ADD `first_response_at` integer;--> statement-breakpoint
ALTER TABLE `complaints` ADD `first_response_due_at` integer;--> statement-breakpoint
ALTER TABLE `complaints` ADD `resolution_due_at` integer;--> statement-breakpoint
ALTER TABLE `complaints` ADD `first_response_warned_at` integer;--> statement-breakpoint
ALTER TABLE `complaints` ADD `resolution_warned_at` integer;--> statement-breakpoint
ALTER TABLE `complaints` ADD `first_response_breached_at` integer;--> statement-breakpoint
ALTER TABLE `complaints` ADD `resolution_breached_at` integer;--> statement-breakpoint
ALTER TABLE `complaints` ADD `resolution_paused_at` integer;--> statement-breakpoint
ALTER TABLE `complaints` ADD `resolution_paused_ms` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `complaints` ADD `resolved_at` integer;--> statement-breakpoint
ALTER TABLE `complaints` ADD `closed_at` integer;--> statement-breakpoint
ALTER TABLE `complaints` ADD `auto_close_at` integer;--> statement-breakpoint
ALTER TABLE `complaints` ADD `next_deadline_at` integer;--> statement-breakpoint
CREATE INDEX `complaints_next_deadline_idx` ON `complaints` (`next_deadline_at`);