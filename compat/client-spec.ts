// How the runner knows a client: how to install it, how to run it, and for every scenario either
// RUN or the reason the client cannot express it (the Record type makes the list complete).

import { ScenarioId } from './scenarios';

export const RUN = 'run';

/** RUN, or why the scenario is N/A for this client. */
export type Coverage = Record<ScenarioId, string>;

export interface ClientSpec {
  /** Matrix column; also part of every topic and group name the client makes. */
  name: string;
  /** Idempotent install step run from the repository root; clients sharing one run it once. */
  install?: string[];
  /** The run script, given the arguments of lib/protocol.ts. */
  command: string[];
  scenarios: Coverage;
}
