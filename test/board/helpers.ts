// Board-only test tools: many public cases at once for exports at scale (written behind the lifecycle's back, as the
// import script does), and a CSV reader. Cases made through the real routes come from ../helpers/lifecycle.ts.
import { chinaDay } from '../../server/lib/china-time.ts';
import { rebuildSearchIndex } from '../../server/modules/board/reindex.ts';
import type { TestApp } from '../helpers/app.ts';

/**
 * Many public cases at once, for exports at scale: copies of one published case's public row under new ids, filed on
 * `days` successive days back from it, then the search index rebuilt from public_cases (as the import script does).
 * Only public_cases is written, so the copies have no complaint rows behind them: foreign keys are off meanwhile.
 */
export async function clonePublicCase(
  t: TestApp,
  sourceId: number,
  count: number,
  opts: { firstId?: number; days?: number } = {},
): Promise<number[]> {
  const src = t.app.sqlite.prepare('SELECT * FROM public_cases WHERE complaint_id = ?').get(sourceId) as Record<
    string,
    unknown
  > & { doc: string; filed_at: number };
  const doc = JSON.parse(src.doc) as Record<string, unknown>;
  const insert =
    t.app.sqlite.prepare(`INSERT INTO public_cases (complaint_id, provider_id, category, status, amount_fen, filed_at, overdue, resolved,
    refunded, resolution_days, doc, version, published_at, updated_at) VALUES (@complaint_id, @provider_id, @category, @status, @amount_fen,
    @filed_at, @overdue, @resolved, @refunded, @resolution_days, @doc, @version, @published_at, @updated_at)`);
  const first = opts.firstId ?? 1_000_000;
  const ids = Array.from({ length: count }, (_, i) => first + i);
  t.app.sqlite.pragma('foreign_keys = OFF');
  try {
    t.app.transaction(() => {
      ids.forEach((id, i) => {
        const day = 24 * 3600_000 * (i % (opts.days ?? 100));
        const filedAt = src.filed_at - day;
        insert.run({
          ...src,
          complaint_id: id,
          filed_at: filedAt,
          doc: JSON.stringify({ ...doc, id, url: `/cases/${id}`, filedAt: chinaDay(filedAt) }),
        });
      });
    });
  } finally {
    t.app.sqlite.pragma('foreign_keys = ON');
  }
  await rebuildSearchIndex(t.app.db, t.app.board.search);
  return ids;
}

/** Parses RFC 4180 CSV (quoted cells may hold commas, quotes and line breaks). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}
