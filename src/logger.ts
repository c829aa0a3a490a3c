// Kafka-style log lines on stdout: "[2026-11-24 10:00:00,123] INFO message (component)".

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  /** A cause, when given, is printed after the line with its stack, as log4j does. */
  error(message: string, cause?: unknown): void;
  /** Printed only when KAFKA_TS_DEBUG is set. */
  debug(message: string): void;
  /** A logger for a sub-component: createLogger('kafka').child('log') logs as (kafka.log). */
  child(component: string): Logger;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** log4j's default "yyyy-MM-dd HH:mm:ss,SSS" in local time. */
function timestamp(d: Date): string {
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
  return `${date} ${time}`;
}

function describe(cause: unknown): string {
  return cause instanceof Error ? (cause.stack ?? `${cause.name}: ${cause.message}`) : String(cause);
}

/**
 * Once stdout is gone (a closed pipe: EPIPE), log lines are dropped, as log4j drops them. Without the
 * 'error' listener the failure would be an uncaught exception, whose own log line fails again: a
 * busy loop.
 */
let stdoutGone = false;
let watchingStdout = false;

function toStdout(text: string): void {
  if (!watchingStdout) {
    watchingStdout = true;
    process.stdout.on('error', () => {
      stdoutGone = true;
    });
  }
  if (!stdoutGone) process.stdout.write(text);
}

export function createLogger(component: string, write: (text: string) => void = toStdout): Logger {
  const debugEnabled = Boolean(process.env.KAFKA_TS_DEBUG);
  const log = (level: string, message: string, cause?: unknown): void => {
    const line = `[${timestamp(new Date())}] ${level} ${message} (${component})\n`;
    write(cause === undefined ? line : `${line}${describe(cause)}\n`);
  };
  return {
    info: (message) => log('INFO', message),
    warn: (message) => log('WARN', message),
    error: (message, cause) => log('ERROR', message, cause),
    debug: (message) => {
      if (debugEnabled) log('DEBUG', message);
    },
    child: (sub) => createLogger(`${component}.${sub}`, write),
  };
}

/** The part of a logger that lower layers (e.g. the log) use. */
export type LogLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

export const silentLogger: LogLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
