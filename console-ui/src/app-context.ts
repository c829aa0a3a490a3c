// What every page may need to know about the console: the cluster's features and the session.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Features, Session } from './api';

export interface ConsoleState {
  /** undefined while loading or when the API could not say. */
  features: Features | undefined;
  /** Why the features could not be loaded, if they could not. */
  featuresError: unknown;
  session: Session | undefined;
}

export const ConsoleContext = createContext<ConsoleState>({ features: undefined, featuresError: undefined, session: undefined });

export function useConsole(): ConsoleState {
  return useContext(ConsoleContext);
}
