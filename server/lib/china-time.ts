// China time (UTC+8 all year, no daylight saving): the one place that turns epoch ms into the days and times people
// read. A fixed offset rather than Intl time zones, so a day boundary never depends on the host's time-zone data.
const HOUR = 3600_000;
const DAY = 24 * HOUR;
export const CHINA_OFFSET_MS = 8 * HOUR;

/** The China-time day of `ms`: YYYY-MM-DD. */
export const chinaDay = (ms: number): string => new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);

/** The China time of `ms` to the minute: YYYY-MM-DD HH:mm. */
export const chinaDateTime = (ms: number): string =>
  new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');

/** Start of the China-time day containing `ms`, as epoch ms. */
export const chinaDayStart = (ms: number): number => Math.floor((ms + CHINA_OFFSET_MS) / DAY) * DAY - CHINA_OFFSET_MS;

/** Start (00:00 China time) of a YYYY-MM-DD day, as epoch ms. */
export const dayStartOf = (day: string): number => Date.parse(`${day}T00:00:00Z`) - CHINA_OFFSET_MS;
