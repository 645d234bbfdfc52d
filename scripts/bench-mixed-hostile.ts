// The hostile part of bench-mixed, in a process of its own as it would be on other machines: one client looping the
// whole-board download, one looping a provider's filtered export, and slow clients trickling a request header one byte
// every 2 s. Its own work (receiving ~20 MB/s, hundreds of timers) then never delays the timing of the interactive
// clients in the parent; both still share the machine's two cores with the server. Started by bench-mixed.ts with an
// IPC channel: it says 'ready' once booted, starts on the parent's 'go' and sends its recorder's series back when the
// duration is over.
//
//   npx tsx scripts/bench-mixed-hostile.ts --port 3977 --duration 60 --provider alipay [--slow 30] [--no-exports]
import { get as httpGet } from 'node:http';
import { connect } from 'node:net';
import { parseArgs } from 'node:util';
import { helperBooted, helperDone, Recorder, sleep } from './bench-mixed-lib.ts';

const { values: opts } = parseArgs({
  options: {
    port: { type: 'string', default: '3977' },
    duration: { type: 'string', default: '60' },
    provider: { type: 'string' },
    slow: { type: 'string', default: '30' },
    'no-exports': { type: 'boolean', default: false },
  },
});
const PORT = Number(opts.port);
const rec = new Recorder();
let running = true;

/** Downloads a path again and again at full speed, counting bytes (node:http: the cheapest way to receive). */
async function exporter(name: string, path: string) {
  while (running) {
    const t0 = performance.now();
    const outcome = await new Promise<{ status: number; bytes: number } | null>((resolve) => {
      const req = httpGet({ host: '127.0.0.1', port: PORT, path: encodeURI(path) }, (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => {
          bytes += c.length;
          if (!running) req.destroy();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
        res.on('close', () => resolve({ status: res.statusCode ?? 0, bytes }));
      });
      req.on('error', () => resolve(null));
    });
    if (outcome)
      rec.add(`${name} (${outcome.status})`, performance.now() - t0, outcome.status === 200 ? 0 : 1, outcome.bytes);
    else {
      rec.add(name, performance.now() - t0, 1);
      await sleep(500);
    }
  }
}

/** Slow clients: each sends a request header one byte every 2 s; when the server cuts it, it connects again. */
async function slowClients(n: number) {
  // Each slow client from its own loopback address (127.0.1.k), as distinct people would be: the timeouts must cut
  // them, not the per-address cap.
  const one = (k: number) =>
    new Promise<void>((resolve) => {
      const sock = connect({ port: PORT, host: '127.0.0.1', localAddress: `127.0.1.${k + 1}` });
      const text = `GET /cases HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'x'.repeat(200)}`;
      let i = 0;
      const timer = setInterval(() => {
        if (i < text.length) sock.write(text[i++]);
      }, 2000);
      const done = () => {
        clearInterval(timer);
        clearInterval(check);
        sock.destroy();
        resolve();
      };
      sock.on('close', () => {
        if (running) rec.add('slow client cut', 0, 0);
        done();
      });
      sock.on('error', () => {});
      const check = setInterval(() => {
        if (!running) done();
      }, 500);
    });
  await Promise.all(
    Array.from({ length: n }, async (_, k) => {
      while (running) await one(k);
    }),
  );
}

// Started by bench-mixed: booting this process is not part of the measured minute. Say so, then wait for the start.
await helperBooted();
setTimeout(() => {
  running = false;
}, Number(opts.duration) * 1000);
await Promise.all([
  ...(opts['no-exports']
    ? []
    : [
        exporter('full export', '/api/v1/cases.csv'),
        exporter('filtered export', `/api/v1/cases.csv?provider=${opts.provider ?? 'alipay'}`),
      ]),
  slowClients(Number(opts.slow)),
]);
helperDone(rec, Number(opts.duration));
