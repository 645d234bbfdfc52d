// The choices and sizes of a board search, shared by the routes' schemas (schemas.ts), which declare them, and the
// reader of a search (query.ts), which applies them. A leaf: it imports no other board file.
import { NEVER_PUBLIC, STATUSES, type Status } from '../complaints/states.ts';

export const PUBLIC_STATUSES: readonly Status[] = STATUSES.filter((s) => !NEVER_PUBLIC.includes(s));
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;
export const SORTS = ['relevance', 'newest'] as const;
