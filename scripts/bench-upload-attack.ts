// What a flood of unauthenticated uploads costs the server: starts the service in a child process on a temporary data
// directory (loopback, rate limits on as in production), samples its RSS from /proc/<pid>/status, sends 20 multipart
// POSTs of 5 × 10 MB to the complaint route, then 30 to /api/v1/auth/logout, all without a session or CSRF token, and
// reports RSS before, at peak and after, the answers, and how many body bytes the server took before it hung up.
//   npx tsx scripts/bench-upload-attack.ts [--root /work/main] [--port 3917] [--complaints 20] [--logouts 30]
// `--root` runs another checkout's server (e.g. the code before this change) with the same attack; only runs it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fmt, ROOT, waitFor } from './bench-lib.ts';

const { values: args } = parseArgs({
  options: {
    root: { type: 'string', default: ROOT },
    port: { type: 'string', default: '3917' },
    complaints: { type: 'string', default: '20' },
    logouts: { type: 'string', default: '30' },
  },
});
const root = resolve(args.root!);
const port = Number(args.port);
const MiB = 1024 * 1024;
const FILES = 5;
const FILE_BYTES = 10 * MiB;
const REQUEST_TIMEOUT_MS = 120_000;

const rssOf = (pid: number): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
};

/** The body of one upload: five 10 MB "PDFs", built once and written chunk by chunk to every socket. */
function attackBody() {
  const boundary = '----attack7MA4YWxkTrZu0gW';
  const file = Buffer.alloc(FILE_BYTES, 0x20);
  file.write('%PDF-1.4\n', 0, 'latin1');
  const pieces: Buffer[] = [];
  for (let i = 0; i < FILES; i++) {
    pieces.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="f${i}.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
      ),
      file,
      Buffer.from('\r\n'),
    );
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    pieces,
    length: pieces.reduce((n, p) => n + p.length, 0),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

interface Outcome {
  status: number | null;
  bodyBytesWritten: number;
}

/** Sends the whole body as fast as the server takes it; stops when the server answers and closes, or at the end. */
function fire(path: string, body: ReturnType<typeof attackBody>): Promise<Outcome> {
  return new Promise((resolveOutcome) => {
    const socket = connect(port, '127.0.0.1');
    const head = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: ${body.contentType}\r\nContent-Length: ${body.length}\r\nAccept: application/json\r\n\r\n`;
    let status: number | null = null;
    let reply = '';
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolveOutcome({ status, bodyBytesWritten: Math.max(0, socket.bytesWritten - Buffer.byteLength(head)) });
    };
    const timer = setTimeout(finish, REQUEST_TIMEOUT_MS);
    socket.on('data', (d) => {
      reply += d.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(reply);
      if (m) status = Number(m[1]);
    });
    socket.on('error', finish);
    socket.on('close', finish);
    socket.on('connect', async () => {
      socket.write(head);
      for (const piece of body.pieces) {
        for (let at = 0; at < piece.length && !done && !socket.destroyed; at += 64 * 1024) {
          if (!socket.write(piece.subarray(at, at + 64 * 1024))) {
            await new Promise<void>((r) => {
              const go = () => {
                socket.off('drain', go);
                socket.off('close', go);
                r();
              };
              socket.once('drain', go);
              socket.once('close', go);
            });
          }
        }
      }
      // The whole body went out: wait for the answer (or the timeout), then hang up.
      const waitAnswer = setInterval(() => {
        if (status !== null && reply.includes('\r\n\r\n')) {
          clearInterval(waitAnswer);
          finish();
        }
      }, 20);
      socket.once('close', () => clearInterval(waitAnswer));
    });
  });
}

function summary(label: string, outcomes: Outcome[]) {
  const statuses = new Map<string, number>();
  for (const o of outcomes)
    statuses.set(String(o.status ?? 'none'), (statuses.get(String(o.status ?? 'none')) ?? 0) + 1);
  const written = outcomes.reduce((n, o) => n + o.bodyBytesWritten, 0);
  console.log(
    `${label}: answers ${[...statuses].map(([s, n]) => `${s}×${n}`).join(', ')}; body bytes written before the server closed (an upper bound: socket buffers included): ${fmt(written / MiB)} MB of ${fmt((outcomes.length * FILES * FILE_BYTES) / MiB)} MB sent`,
  );
  return written;
}

/** Stops the child; also when it has already gone (a signal leaves exitCode null). */
function stop(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'wc-upload-attack-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(root, 'server', 'main.ts')], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      RATE_LIMITS: 'on',
      WORKERS: 'off',
      LOG_LEVEL: 'error',
    },
  });
  const overall = setTimeout(() => {
    console.error('bench: overall time limit reached');
    child.kill('SIGKILL');
    process.exit(2);
  }, 10 * 60_000);
  try {
    await waitFor(`http://127.0.0.1:${port}/readyz`);
    const pid = child.pid!;
    await new Promise((r) => setTimeout(r, 1000));
    const before = rssOf(pid);
    let peak = before;
    const sampler = setInterval(() => {
      try {
        peak = Math.max(peak, rssOf(pid));
      } catch {
        /* exited */
      }
    }, 25);
    const body = attackBody();
    console.log(
      `server ${root} (pid ${pid}); each request declares ${fmt(body.length / MiB)} MB (${FILES} × ${FILE_BYTES / MiB} MB)`,
    );
    const t0 = Date.now();
    const complaints = await Promise.all(
      Array.from({ length: Number(args.complaints) }, () => fire('/api/v1/complaints', body)),
    );
    const t1 = Date.now();
    const logouts = await Promise.all(
      Array.from({ length: Number(args.logouts) }, () => fire('/api/v1/auth/logout', body)),
    );
    const t2 = Date.now();
    await new Promise((r) => setTimeout(r, 2000));
    clearInterval(sampler);
    const after = rssOf(pid);
    const a = summary(`POST /api/v1/complaints ×${complaints.length} (${fmt((t1 - t0) / 1000)} s)`, complaints);
    const b = summary(`POST /api/v1/auth/logout ×${logouts.length} (${fmt((t2 - t1) / 1000)} s)`, logouts);
    console.log(
      `RSS before ${fmt(before / MiB)} MB, peak ${fmt(peak / MiB)} MB, after ${fmt(after / MiB)} MB (2 s after the last answer)`,
    );
    console.log(`body bytes taken in all: ${fmt((a + b) / MiB)} MB`);
  } finally {
    clearTimeout(overall);
    await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
