// ApiVersions in-process: the handler table is advertised as it is, at every version, with the
// v3+ fields of a ZooKeeper-mode broker (no features, epoch -1).

import { Apis, ErrorCode } from '../../protocol';
import { HANDLERS } from '../../src/handlers';
import apiVersions from '../../src/handlers/18-api-versions';
import { TestBroker, call, testBroker } from './fake-context';

let b: TestBroker;
beforeEach(async () => {
  b = await testBroker();
});
afterEach(() => b.close());

const send = (version: number) => call<typeof Apis.ApiVersions>(apiVersions, b.ctx(version), { clientSoftwareName: 'test', clientSoftwareVersion: '1' });

test('every API the broker serves, with the versions its handler accepts, in key order', async () => {
  const res = await send(3);
  expect(res!.errorCode).toBe(ErrorCode.NONE);
  const expected = HANDLERS.map((h) => ({ apiKey: h.spec.apiKey, minVersion: h.minVersion, maxVersion: h.maxVersion })).sort((x, y) => x.apiKey - y.apiKey);
  expect(res!.apiKeys).toEqual(expected);
  expect(res!.apiKeys.find((a) => a.apiKey === Apis.ApiVersions.apiKey)).toEqual({ apiKey: 18, minVersion: 0, maxVersion: 4 });
  expect(res!.apiKeys.find((a) => a.apiKey === Apis.Fetch.apiKey)).toEqual({ apiKey: 1, minVersion: 0, maxVersion: 17 });
});

test('only what the table holds is advertised', async () => {
  const ctx = { ...b.ctx(0), apis: [{ apiKey: 18, minVersion: 0, maxVersion: 4 }] };
  expect((await call<typeof Apis.ApiVersions>(apiVersions, ctx, {}))!.apiKeys).toEqual([{ apiKey: 18, minVersion: 0, maxVersion: 4 }]);
});

test('the same list at v0, v1 (throttle time) and v3+ (no features, finalized epoch -1, not migrating)', async () => {
  const v0 = await send(0);
  const v1 = await send(1);
  const v4 = await send(4);
  expect(v1!.apiKeys).toEqual(v0!.apiKeys);
  expect(v4!.apiKeys).toEqual(v0!.apiKeys);
  expect(v1!.throttleTimeMs).toBe(0);
  expect(v4).toMatchObject({ supportedFeatures: [], finalizedFeaturesEpoch: -1n, finalizedFeatures: [], zkMigrationReady: false });
});
