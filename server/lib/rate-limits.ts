// Rate limits shared by routes that have no tighter limit of their own. Every state-changing route carries one
// (test/rate-limits.test.ts): an unlimited POST is where a flood of bodies would go.
export const ADMIN_WRITE_LIMIT = { rateLimit: { max: 120, timeWindow: '1 minute' } };
/** Logging out is cheap, but a route without a limit is a free target for request floods. */
export const LOGOUT_LIMIT = { rateLimit: { max: 30, timeWindow: '1 minute' } };
