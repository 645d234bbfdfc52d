// Opaque keyset cursors: the tab, the direction and the sort key + id of the row to continue after (or before).
// Base64url so clients treat them as tokens; checked strictly on the way in, so a hand-made one is a 400, not a 500.
export type Direction = 'next' | 'prev';
export interface Cursor {
  tab: string;
  dir: Direction;
  key: number;
  id: number;
}

const SHAPE = /^([a-z]+)\.([np])\.(-?\d{1,16})\.(\d{1,16})$/;

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.tab}.${c.dir === 'next' ? 'n' : 'p'}.${c.key}.${c.id}`).toString('base64url');
}

export function decodeCursor(token: string): Cursor | null {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(token)) return null;
  const m = SHAPE.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!m) return null;
  const key = Number(m[3]);
  const id = Number(m[4]);
  if (!Number.isSafeInteger(key) || !Number.isSafeInteger(id)) return null;
  return { tab: m[1], dir: m[2] === 'n' ? 'next' : 'prev', key, id };
}
