import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

export interface LoggerSettings {
  level?: string;
  name?: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to read what was logged. */
  destination?: NodeJS.WritableStream;
}

/** Structured JSON logs (pino); one root logger per process, children per component. */
export function createLogger(settings: LoggerSettings = {}): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? process.env['WATERSHED_LOG_LEVEL'] ?? 'info',
    base: settings.name ? { name: settings.name } : {},
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return settings.destination ? pino(options, settings.destination) : pino(options);
}

/** A logger that drops everything; for tests and library defaults. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
