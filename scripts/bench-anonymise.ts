// Throughput of anonymise() on the shared generated cases (title + description of each).
// Usage: npx tsx scripts/bench-anonymise.ts [--count 200000]
// The generated cases are already clean, so a second pass measures text dense with personal data.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { anonymise } from '../server/modules/anonymise/anonymise.ts';

const GENERATOR = '/work/shared/bench/gen-cases.mjs';
const { values: args } = parseArgs({ options: { count: { type: 'string', default: '200000' } } });
const count = Number(args.count);

async function generate(n: number): Promise<string[]> {
  const child = spawn(process.execPath, [GENERATOR, '--count', String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const texts: string[] = [];
  for await (const line of createInterface({ input: child.stdout })) {
    if (!line) continue;
    const c = JSON.parse(line) as { title: string; description: string };
    texts.push(`${c.title}\n${c.description}`);
  }
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`gen-cases exited with ${code}`);
  return texts;
}

const PERSONAL = [
  '我叫张三，手机 138-1234-5678，身份证 11010519491231002X。',
  '卡号 6222 0212 3456 7890 123，订单号：2026110212345678，邮箱 zhang.san@qq.com。',
  '联系人：李四，住在北京市朝阳区建国路88号华贸公寓3栋1201室，车牌京A12345，微信号 zhang_san88。',
];

function run(label: string, texts: string[]): void {
  for (let i = 0; i < Math.min(2000, texts.length); i++) anonymise(texts[i]); // warm-up
  let bytes = 0;
  let findings = 0;
  for (const t of texts) bytes += Buffer.byteLength(t, 'utf8');
  const t0 = process.hrtime.bigint();
  for (const t of texts) findings += anonymise(t).findings.length;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const mb = bytes / 1e6;
  console.log(
    `${label}: ${texts.length} cases, ${mb.toFixed(1)} MB (UTF-8), ${seconds.toFixed(2)} s, ` +
      `${(mb / seconds).toFixed(1)} MB/s, ${Math.round(texts.length / seconds)} cases/s, ${findings} findings`,
  );
}

const texts = await generate(count);
run('generated cases', texts);
run(
  'with personal data',
  texts.map((t, i) => `${t}${PERSONAL[i % PERSONAL.length]}`),
);
