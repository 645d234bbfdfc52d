// Reads the configuration and listens. Everything else happens in buildApp.
import { buildApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) { console.error(err.message); process.exit(1); }
  throw err;
}
const app = await buildApp(config);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => { void app.close().then(() => process.exit(0)); });
}
await app.listen({ port: config.port, host: config.host });
app.log.info(`钱包投诉台 listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`);
