CREATE TABLE `case_stats` (
	`complaint_id` integer PRIMARY KEY NOT NULL,
	`provider_id` integer NOT NULL,
	`month` text NOT NULL,
	`forwarded` integer NOT NULL,
	`replied` integer NOT NULL,
	`first_response_decided` integer NOT NULL,
	`first_response_on_time` integer NOT NULL,
	`first_response_tenths` integer,
	`finished` integer NOT NULL,
	`resolved` integer NOT NULL,
	`rating_points` integer NOT NULL,
	`rating_parts` integer NOT NULL,
	FOREIGN KEY (`complaint_id`) REFERENCES `complaints`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `provider_month_stats` (
	`provider_id` integer NOT NULL,
	`month` text NOT NULL,
	`complaints` integer NOT NULL,
	`replied` integer NOT NULL,
	`first_response_decided` integer NOT NULL,
	`first_response_on_time` integer NOT NULL,
	`finished` integer NOT NULL,
	`resolved` integer NOT NULL,
	`rating_points` integer NOT NULL,
	`rating_parts` integer NOT NULL,
	PRIMARY KEY(`provider_id`, `month`)
);
--> statement-breakpoint
CREATE TABLE `provider_response_hist` (
	`provider_id` integer NOT NULL,
	`month` text NOT NULL,
	`tenths` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`provider_id`, `month`, `tenths`)
);
--> statement-breakpoint
CREATE TABLE `public_cases` (
	`complaint_id` integer PRIMARY KEY NOT NULL,
	`provider_id` integer NOT NULL,
	`category` text NOT NULL,
	`status` text NOT NULL,
	`amount_fen` integer,
	`filed_at` integer NOT NULL,
	`overdue` integer NOT NULL,
	`resolved` integer NOT NULL,
	`refunded` integer NOT NULL,
	`resolution_days` real,
	`doc` text NOT NULL,
	`version` integer NOT NULL,
	`published_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`complaint_id`) REFERENCES `complaints`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`provider_id`) REFERENCES `providers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `public_cases_filed_idx` ON `public_cases` (`filed_at`,`complaint_id`);--> statement-breakpoint
CREATE INDEX `public_cases_provider_idx` ON `public_cases` (`provider_id`,`filed_at`,`complaint_id`);