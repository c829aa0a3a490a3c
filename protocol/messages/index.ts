// The API schemas by name (Apis.Produce, …) and by key.

import * as Apis from './all';

export { Apis };
export * from './all';

export type ApiName = keyof typeof Apis;

export const API_BY_KEY: ReadonlyMap<number, (typeof Apis)[ApiName]> = new Map(
  Object.values(Apis).map((spec) => [spec.apiKey, spec]),
);
