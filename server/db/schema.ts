// Every domain's tables, gathered for drizzle-kit and for the typed database handle.
export * from '../modules/accounts/schema.ts';
export * from '../modules/providers/schema.ts';
export * from '../modules/complaints/schema.ts';
export * from '../modules/outbox/schema.ts';
export * from '../modules/board/schema.ts';
export * from '../modules/merchant/schema.ts';
