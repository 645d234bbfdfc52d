// The /healthz probe of bench-mixed, in a process of its own as a load balancer's health check is: one request every
// 100 ms on a kept-alive connection (node:http), timed here. The load generator runs dozens of simulated people and
// its own event loop lags (bench-mixed reports by how much); a probe that shares that loop times the generator's lag
// as well as the server's. Started by bench-mixed.ts with an IPC channel, like bench-mixed-hostile.ts: 'ready' once
// booted, starts on 'go', sends its series back when the duration is over.
//
//   npx tsx scripts/bench-mixed-probe.ts --port 3977 --duration 60 [--interval 100]
import { Agent, get as httpGet } from 'node:http';
import { parseArgs } from 'node:util';
import { helperBooted, helperDone, Recorder, sleep } from './bench-mixed-lib.ts';

const { values: opts } = parseArgs({
  options: {
    port: { type: 'string', default: '3977' },
    duration: { type: 'string', default: '60' },
    interval: { type: 'string', default: '100' },
  },
});
const rec = new Recorder();
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

const once = () =>
  new Promise<number>((resolve) => {
    const req = httpGet({ host: '127.0.0.1', port: Number(opts.port), path: '/healthz', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
  });

await helperBooted();
const until = Date.now() + Number(opts.duration) * 1000;
while (Date.now() < until) {
  const t0 = performance.now();
  const status = await once();
  rec.add('/healthz (probe process)', performance.now() - t0, status === 200 ? 0 : 1);
  await sleep(Number(opts.interval));
}
agent.destroy();
helperDone(rec, Number(opts.duration));
