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
      'print a users[] entry for the broker config with a password hash (scrypt by default); reads the password from stdin',
    )
    .argument('<username>', 'the user the entry is for')
    .option('--pbkdf2', 'hash with PBKDF2-HMAC-SHA256 instead of scrypt (for a NIST-approved KDF)')
    .option('--scram', 'also add SCRAM-SHA-256 credentials (RFC 7677) for MQTT 5 enhanced authentication')
    .option('--iterations <n>', 'PBKDF2 / SCRAM iteration count', intOption)
    .addHelpText(
      'after',
      `
Examples:
  $ echo 's3cret-pass' | watershed broker passwd plant-a
  $ watershed broker passwd --scram --iterations 8192 console`,
    )
    .action(async (username: string, o: { pbkdf2?: boolean; scram?: boolean; iterations?: number }) => {
      const broker = await import('@watershed/mqtt-broker');
      if (process.stdin.isTTY) process.stderr.write(`Password for ${username} (then Enter): `);
      const password = await readLine(process.stdin);
      if (password.length === 0) throw new Error('empty password: type it, or pipe it in on stdin');
      const hash = o.pbkdf2
        ? await broker.hashPasswordPbkdf2(password, o.iterations)
        : await broker.hashPassword(password);
      const fields = [`username: ${JSON.stringify(username)}`, `passwordHash: "${hash}"`];
      if (o.scram) fields.push(`scram: "${await broker.scramCredentials(password, o.iterations)}"`);
      process.stdout.write(`  - { ${fields.join(', ')} }\n`);
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
