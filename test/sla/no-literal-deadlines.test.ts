// Lint: a deadline is stated from the one policy (server/modules/sla) or from a complaint's stored due times, never
// as a literal. Fails on "24 小时"/"48 小时" in any .ts/.hbs under server/ or views/, and on 24/48-hour constants
// (24 * HOUR, 48 * 3600_000, 86_400_000 …) outside the sla module. A day unit (DAY = 24 * HOUR) and a count of
// days (30 * 24 * 3600) are not deadlines.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const SLA_DIR = ['server', 'modules', 'sla'].join(sep) + sep;

const HOURS_TEXT = /(?<![\d.])(24|48)\s*(?:个)?\s*(?:小时|钟头|h\b|hours?\b)/i;
const HOURS_CONSTANT =
  /(?<![\d_]\s*\*\s*)(?<![\w.])(24|48)\s*\*\s*(?:3600\b|3600_?000\b|3_600_000\b|60\s*\*\s*60\b|HOURS?\b|H\b|MS_PER_HOUR\b)/;
const HOURS_MS = /(?<![\d_])(86_?400_?000|172_?800_?000|86_?400|172_?800)(?![\d_])/;
const DAY_UNIT = /\b(?:const|let)\s+(?:DAY|DAY_MS|ONE_DAY|MS_PER_DAY)\s*=\s*24\s*\*/;

/** The offending part of a line, or null. `inSla`: the policy module may define its windows. */
function literalDeadline(line: string, inSla: boolean): string | null {
  const text = line.match(HOURS_TEXT);
  if (text) return text[0];
  if (inSla || DAY_UNIT.test(line)) return null;
  return line.match(HOURS_CONSTANT)?.[0] ?? line.match(HOURS_MS)?.[0] ?? null;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : filesUnder(path);
    return /\.(ts|hbs)$/.test(e.name) ? [path] : [];
  });
}

describe('no literal deadline', () => {
  it('the matcher catches literal hours and hour constants, and lets day units and other numbers pass', () => {
    for (const bad of [
      '请在 24 小时内首次回复',
      '48小时内给出解决方案',
      'within 24 hours',
      '{{x}} 24 h',
      'const DUE = 24 * HOUR;',
      'fwd + 48 * 3600_000',
      'due: now + 24 * 60 * 60 * 1000',
      'ttl = 86_400_000',
      'RESOLUTION_HOURS * H + 48 * H',
    ]) {
      expect(literalDeadline(bad, false), bad).not.toBeNull();
    }
    for (const ok of [
      'const DAY = 24 * HOUR;',
      'SESSION_TTL_MS = 30 * 24 * 3600 * 1000',
      '首次回复 {{sla.firstResponseHours}} 小时内',
      'retryInMs: 2 * HOUR',
      '124 小时',
      '2.48 h',
      'id: 240',
    ]) {
      expect(literalDeadline(ok, false), ok).toBeNull();
    }
    expect(literalDeadline('firstResponseMs: 24 * HOUR', true)).toBeNull();
    expect(literalDeadline('“24 小时”', true)).not.toBeNull(); // sentences come from the policy's numbers, even there
  });

  it('no .ts or .hbs under server/ or views/ writes a deadline as a literal', () => {
    const found: string[] = [];
    for (const file of [...filesUnder(join(ROOT, 'server')), ...filesUnder(join(ROOT, 'views'))]) {
      const rel = relative(ROOT, file);
      const inSla = rel.startsWith(SLA_DIR);
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const hit = literalDeadline(line, inSla);
          if (hit) found.push(`${rel}:${i + 1}: ${hit}`);
        });
    }
    expect(found).toEqual([]);
  });
});
