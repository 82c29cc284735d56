#!/usr/bin/env node
import { Command } from 'commander';
import { isWatershedError } from '@watershed/common';
import { brokerCommand } from './commands/broker.js';
import { configCommand } from './commands/config-check.js';
import { edgeCommand } from './commands/edge.js';
import { serverCommand } from './commands/server.js';
import { simCommand } from './commands/sim.js';
import { upCommand } from './commands/up.js';
import { VERSION } from './paths.js';

const program = new Command('watershed')
  .description('Watershed: see and run every plant, pump station and meter of a water utility from one place')
  .version(VERSION)
  .showHelpAfterError('(add --help for usage)')
  .addCommand(upCommand())
  .addCommand(serverCommand())
  .addCommand(edgeCommand())
  .addCommand(simCommand())
  .addCommand(brokerCommand())
  .addCommand(configCommand());

program.parseAsync(process.argv).catch((err: unknown) => {
  // A bad config or a busy port is the user's to fix: say what and where, without a stack trace.
  if (isWatershedError(err)) {
    process.stderr.write(`watershed: ${err.code}: ${err.message}\n`);
  } else if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    process.stderr.write(
      `watershed: ${(err as Error).message} — another program uses that port; pick another with --api-port/--mqtt-port\n`,
    );
  } else {
    process.stderr.write(`watershed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});
