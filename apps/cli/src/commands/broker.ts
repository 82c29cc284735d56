import { Command } from 'commander';
import { createLogger } from '@watershed/common';
import { closeOnSignals } from '../shutdown.js';
import { intOption } from './options.js';

interface BrokerOptions {
  config?: string;
  port?: number;
  host?: string;
  logLevel?: string;
}

/**
 * `watershed broker` — the MQTT broker alone, like `mosquitto -p N -c FILE`; and
 * `watershed broker passwd <username>`, which prints a password hash for the config.
 */
export function brokerCommand(): Command {
  const cmd = new Command('broker')
    .description('run the MQTT broker alone (MQTT 3.1.1/5.0 over TCP, TLS, WebSocket)')
    .option(
      '-c, --config <file>',
      'broker config file (YAML): listeners, users, acl, banned, limits; WATERSHED_BROKER__KEY variables override it',
    )
    .option('-p, --port <n>', 'port of the first listener (default 1883)', intOption)
    .option('--host <address>', 'address of the first listener (default 127.0.0.1 without a config)')
    .option('--log-level <level>', "log level (default: the config file's log.level, else info)")
    .addHelpText(
      'after',
      `
Without --config the broker listens on 127.0.0.1:1883 and accepts anonymous clients, as a
fresh Mosquitto does. Add users with hashes from \`watershed broker passwd <username>\`.`,
    )
    .action(async (o: BrokerOptions) => {
      const { loadBrokerConfig, startBroker } = await import('@watershed/mqtt-broker');
      const config = loadBrokerConfig({
        ...(o.config !== undefined && { file: o.config }),
        env: process.env,
      });
      const first = config.listeners[0]!;
      if (o.port !== undefined) first.port = o.port;
      if (o.host !== undefined) first.host = o.host;
      const logger = createLogger({ level: o.logLevel ?? config.log.level, name: 'watershed-broker' });
      const running = await startBroker(config, { logger });
      for (const l of running.listeners) process.stdout.write(`MQTT ${l.name.padEnd(12)} ${l.url}\n`);
      closeOnSignals(() => running.close(), logger);
    });
  cmd
    .command('passwd')
    .description(
      'print a password hash (scrypt) for users[] in the broker config; reads the password from stdin',
    )
    .argument('<username>', 'the user the entry is for')
    .action(async (username: string) => {
      const { hashPassword } = await import('@watershed/mqtt-broker');
      if (process.stdin.isTTY) process.stderr.write(`Password for ${username} (then Enter): `);
      const password = await readLine(process.stdin);
      if (password.length === 0) throw new Error('empty password');
      const hash = await hashPassword(password);
      process.stdout.write(`  - { username: ${JSON.stringify(username)}, passwordHash: "${hash}" }\n`);
    });
  return cmd;
}

/** The first line of a stream (the whole stream when it has no newline), without the newline. */
async function readLine(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}
