// The few logging calls the log layer makes; any console-like object fits.
export interface LogLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const SILENT_LOGGER: LogLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
