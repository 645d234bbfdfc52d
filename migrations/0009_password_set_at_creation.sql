-- Hand-written: a backfill drizzle-kit cannot express.
-- From now on an account created with a password (registration, an admin creating staff, the bootstrap admin) has
-- password_changed_at set at creation; it stays null only for a staff member invited by e-mail who has not chosen a
-- password yet (the team screen's 已邀请). Older accounts created with a password get their creation time; invited
-- ones are told by the audit entry their invitation wrote (the invitation's token rows are swept a day after expiry).
UPDATE `users` SET `password_changed_at` = `created_at`
WHERE `password_changed_at` IS NULL
  AND NOT (`role` = 'provider_staff' AND EXISTS (
    SELECT 1 FROM `audit_log` a
    WHERE a.`action` = 'staff.invite' AND a.`target_type` = 'user' AND a.`target_id` = CAST(`users`.`id` AS TEXT)
  ));
