// Reads the configuration and listens. Everything else happens in buildApp.
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { HELPER_NICE, startHelperThreadPolicy } from './lib/helper-thread-policy.ts';

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
// Forked now, while the process is small: helper threads stop preempting the request thread (helper-thread-policy.ts).
const threadPolicy = startHelperThreadPolicy();
const app = await buildApp(config);
// SIGTERM/SIGINT: app.close() stops accepting, lets requests in flight finish for SHUTDOWN_GRACE_MS, then destroys
// the connections left (plugins/connections.ts); the outbox releases its claims and the database checkpoints and
// closes. Exit 0 once done; exit 1 if closing itself hangs well past the grace period, or on a crash.
closeWithGrace({ delay: config.http.shutdownGraceMs + 15_000, logger: app.log }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'fatal error: closing');
  else app.log.info({ signal }, 'shutting down');
  await app.close();
  threadPolicy.stop();
});
await app.listen({ port: config.port, host: config.host });
void threadPolicy
  .nextSweep()
  .then(() =>
    app.log.info(
      { threadPolicy: threadPolicy.status(), ...threadPolicy.moved() },
      threadPolicy.status() === 'on'
        ? `helper threads run as SCHED_BATCH, at nice ${HELPER_NICE} or lower: they do not preempt the request thread`
        : 'helper threads keep the normal policy (no /proc or chrt here)',
    ),
  );
app.log.info(`钱包投诉台 listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`);
