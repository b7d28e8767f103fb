// Entry point: load config, start the station, serve. A bad config or template stops start-up
// with a message naming the file and field; nothing starts half-configured.
import { loadConfig, ConfigError } from './config.js';
import { createStation } from './station.js';

async function main(): Promise<void> {
  const { config, path: configPath, sha256 } = loadConfig();
  const station = await createStation(config, { configSha256: sha256 });
  const port = await station.listen();
  console.log(`[reservkit] ${config.unit.name}: http://${config.server.host}:${port}/ (config ${configPath}, data ${config.dataDir})`);
  const m = station.metricsListener;
  if (m) console.log(`[reservkit] metrics: http://${m.host.includes(':') ? `[${m.host}]` : m.host}:${m.port}/metrics (allow ${config.metrics!.allow.join(', ')}${config.metrics!.tokenFile ? ', token' : ''})`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[reservkit] ${signal}: stoppar`);
    await station.stop();
    process.exit(0);
  };
  // A promise nobody awaited failed: log it and keep printing (Node would otherwise end the process).
  process.on('unhandledRejection', (e) => console.error('[reservkit] ohanterat fel (stationen fortsätter):', e));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e: unknown) => {
  const msg = e instanceof Error ? e.message : String(e);
  console.error(e instanceof ConfigError || (e instanceof Error && /^\[(config|catalog|store)\]/.test(msg)) ? msg : e);
  process.exit(1);
});
