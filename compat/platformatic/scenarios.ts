// @platformatic/kafka 1.x (npm devDependency): a pure-TypeScript client with every codec built in.

import { ClientSpec, Coverage, RUN } from '../client-spec';
import { SCENARIO_IDS } from '../scenarios';

export const PLATFORMATIC: ClientSpec = {
  name: 'platformatic',
  command: ['node', 'dist/compat/platformatic/run.js'],
  scenarios: Object.fromEntries(SCENARIO_IDS.map((s) => [s, RUN])) as Coverage,
};
