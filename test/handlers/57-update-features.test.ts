// UpdateFeatures in-process on fake features: Kafka's ZooKeeper-mode rules one by one with their
// errors and messages, the one write of the valid updates, validate_only, v0's allow_downgrade, a
// failed write, NOT_CONTROLLER elsewhere, and what a 3.9 broker (supporting nothing) answers.

import { Apis, ErrorCode } from '../../protocol';
import { SAFE_DOWNGRADE, SUPPORTED_FEATURES, UNSAFE_DOWNGRADE, UPGRADE } from '../../src/cluster/features';
import apiVersions from '../../src/handlers/18-api-versions';
import updateFeatures from '../../src/handlers/57-update-features';
import { FakeFeatures, TestBroker, call, testBroker } from './fake-context';

let b: TestBroker;
let features: FakeFeatures;
beforeEach(async () => {
  features = new FakeFeatures();
  b = await testBroker({ features });
});
afterEach(() => b.close());

type Update = { feature: string; maxVersionLevel: number; upgradeType?: number; allowDowngrade?: boolean };
const send = (updates: Update[], version = 1, validateOnly = false) =>
  call<typeof Apis.UpdateFeatures>(updateFeatures, b.ctx(version), {
    timeoutMs: 60_000,
    featureUpdates: updates.map((u) => ({ allowDowngrade: false, upgradeType: UPGRADE, ...u })),
    validateOnly,
  });
const outcome = async (u: Update, version = 1) => {
  const res = await send([u], version);
  expect(res!.errorCode).toBe(ErrorCode.NONE);
  const [r] = res!.results;
  return [r.feature, r.errorCode, r.errorMessage];
};
const invalid = (feature: string, message: string) => [feature, ErrorCode.INVALID_REQUEST, message];
const levels = () => [...features.current.levels];

function finalize(entries: [string, number][]): void {
  features.current = { epoch: 4n, levels: new Map(entries) };
}

describe('with Kafka\'s test features supported (feature_1: 1-3, feature_2: 2-5)', () => {
  beforeEach(() => {
    features.supported = new Map([
      ['feature_1', { min: 1, max: 3 }],
      ['feature_2', { min: 2, max: 5 }],
    ]);
    finalize([['feature_1', 2]]);
  });

  test('an upgrade is written once, every valid update answered with NONE', async () => {
    const res = await send([
      { feature: 'feature_1', maxVersionLevel: 3 },
      { feature: 'feature_2', maxVersionLevel: 3 },
    ]);
    expect(res).toEqual({
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      results: [
        { feature: 'feature_1', errorCode: ErrorCode.NONE, errorMessage: 'NONE' },
        { feature: 'feature_2', errorCode: ErrorCode.NONE, errorMessage: 'NONE' },
      ],
    });
    expect(features.current.epoch).toBe(5n);
    expect(levels()).toEqual([
      ['feature_1', 3],
      ['feature_2', 3],
    ]);
  });

  test('each rule refuses with Kafka\'s INVALID_REQUEST message and writes nothing', async () => {
    expect(await outcome({ feature: '', maxVersionLevel: 1 })).toEqual(invalid('', 'Feature name can not be empty.'));
    expect(await outcome({ feature: 'feature_1', maxVersionLevel: 3, upgradeType: 9 })).toEqual(invalid('feature_1', 'Received unknown upgrade type.'));
    expect(await outcome({ feature: 'feature_2', maxVersionLevel: 0, upgradeType: SAFE_DOWNGRADE })).toEqual(invalid('feature_2', 'Can not delete non-existing finalized feature.'));
    expect(await outcome({ feature: 'feature_1', maxVersionLevel: 0 })).toEqual(
      invalid('feature_1', 'Can not provide versionLevel: 0 less than 1 without setting the SAFE downgradeType in the request.'),
    );
    expect(await outcome({ feature: 'feature_1', maxVersionLevel: 2 })).toEqual(invalid('feature_1', 'Can not upgrade a finalized feature from existing versionLevel:2 to the same value.'));
    expect(await outcome({ feature: 'feature_1', maxVersionLevel: 2, upgradeType: SAFE_DOWNGRADE })).toEqual(
      invalid('feature_1', 'Can not downgrade a finalized feature from existing versionLevel:2 to the same value.'),
    );
    expect(await outcome({ feature: 'feature_1', maxVersionLevel: 1 })).toEqual(
      invalid('feature_1', 'Can not downgrade finalized feature from existing versionLevel:2 to provided versionLevel:1 without setting the downgradeType to SAFE in the request.'),
    );
    expect(await outcome({ feature: 'feature_1', maxVersionLevel: 3, upgradeType: SAFE_DOWNGRADE })).toEqual(
      invalid('feature_1', 'When the downgradeType is set to SAFE in the request, the provided versionLevel:3 can not be greater than existing versionLevel:2.'),
    );
    expect(await outcome({ feature: 'feature_non_existing', maxVersionLevel: 3, upgradeType: SAFE_DOWNGRADE })).toEqual(
      invalid('feature_non_existing', 'Could not apply finalized feature update because the provided feature is not supported.'),
    );
    expect(await outcome({ feature: 'feature_2', maxVersionLevel: 6 })).toEqual(
      invalid('feature_2', 'Could not apply finalized feature update because the provided versionLevel:6 is lower than the supported minVersion:2.'),
    );
    expect(features.current.epoch).toBe(4n);
    expect(levels()).toEqual([['feature_1', 2]]);
  });

  test('a valid update and an invalid one: the valid one is written alone', async () => {
    finalize([
      ['feature_1', 2],
      ['feature_2', 4],
    ]);
    const res = await send([
      { feature: 'feature_1', maxVersionLevel: 3 },
      { feature: 'feature_2', maxVersionLevel: 3 },
    ]);
    expect(res!.results.map((r) => [r.feature, r.errorCode])).toEqual([
      ['feature_1', ErrorCode.NONE],
      ['feature_2', ErrorCode.INVALID_REQUEST],
    ]);
    expect(levels()).toEqual([
      ['feature_1', 3],
      ['feature_2', 4],
    ]);
  });

  test('safe and unsafe downgrades, and deletion, are written', async () => {
    finalize([
      ['feature_1', 3],
      ['feature_2', 5],
    ]);
    await send([
      { feature: 'feature_1', maxVersionLevel: 2, upgradeType: SAFE_DOWNGRADE },
      { feature: 'feature_2', maxVersionLevel: 4, upgradeType: UNSAFE_DOWNGRADE },
    ]);
    expect(levels()).toEqual([
      ['feature_1', 2],
      ['feature_2', 4],
    ]);
    expect(await outcome({ feature: 'feature_2', maxVersionLevel: 0, upgradeType: UNSAFE_DOWNGRADE })).toEqual(['feature_2', ErrorCode.NONE, 'NONE']);
    expect(levels()).toEqual([['feature_1', 2]]);
    expect(features.current.epoch).toBe(6n);
  });

  test("v0's allow_downgrade is a safe downgrade, and without it a lower level is refused", async () => {
    expect(await outcome({ feature: 'feature_1', maxVersionLevel: 1 }, 0)).toEqual(
      invalid('feature_1', 'Can not downgrade finalized feature from existing versionLevel:2 to provided versionLevel:1 without setting the downgradeType to SAFE in the request.'),
    );
    expect(await outcome({ feature: 'feature_1', maxVersionLevel: 1, allowDowngrade: true }, 0)).toEqual(['feature_1', ErrorCode.NONE, 'NONE']);
    expect(levels()).toEqual([['feature_1', 1]]);
  });

  test('validate_only answers as if written and writes nothing; nothing to change writes nothing', async () => {
    const res = await send([{ feature: 'feature_1', maxVersionLevel: 3 }], 1, true);
    expect(res!.results).toEqual([{ feature: 'feature_1', errorCode: ErrorCode.NONE, errorMessage: 'NONE' }]);
    expect(features.current.epoch).toBe(4n);
    expect((await send([]))!).toEqual({ throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, results: [] });
    expect(features.current.epoch).toBe(4n);
  });

  test('a failed write turns every valid update into FEATURE_UPDATE_FAILED', async () => {
    features.failWrites = true;
    const res = await send([
      { feature: 'feature_1', maxVersionLevel: 3 },
      { feature: 'nope', maxVersionLevel: 1 },
    ]);
    expect(res!.results.map((r) => [r.feature, r.errorCode, r.errorMessage])).toEqual([
      ['feature_1', ErrorCode.FEATURE_UPDATE_FAILED, 'Unable to update finalized features due to an unexpected server error.'],
      invalid('nope', 'Could not apply finalized feature update because the provided feature is not supported.'),
    ]);
  });

  test('ApiVersions v3+ reports the supported features and the finalized levels with their epoch', async () => {
    await send([{ feature: 'feature_2', maxVersionLevel: 3 }]);
    const res = await call<typeof Apis.ApiVersions>(apiVersions, b.ctx(3), { clientSoftwareName: 'test', clientSoftwareVersion: '1' });
    expect(res).toMatchObject({
      supportedFeatures: [
        { name: 'feature_1', minVersion: 1, maxVersion: 3 },
        { name: 'feature_2', minVersion: 2, maxVersion: 5 },
      ],
      finalizedFeaturesEpoch: 5n,
      finalizedFeatures: [
        { name: 'feature_1', minVersionLevel: 2, maxVersionLevel: 2 },
        { name: 'feature_2', minVersionLevel: 3, maxVersionLevel: 3 },
      ],
    });
  });
});

test('a ZooKeeper-mode 3.9 broker supports nothing: metadata.version and any feature are refused', async () => {
  features.supported = new Map(SUPPORTED_FEATURES);
  expect(SUPPORTED_FEATURES.size).toBe(0);
  expect(await outcome({ feature: 'metadata.version', maxVersionLevel: 21 })).toEqual(
    invalid('metadata.version', 'Could not apply finalized feature update because the provided feature is not supported.'),
  );
  expect(await outcome({ feature: 'metadata.version', maxVersionLevel: 4, upgradeType: UNSAFE_DOWNGRADE })).toEqual(
    invalid('metadata.version', 'Could not apply finalized feature update because the provided feature is not supported.'),
  );
  expect(await outcome({ feature: 'metadata.version', maxVersionLevel: 0, upgradeType: SAFE_DOWNGRADE })).toEqual(
    invalid('metadata.version', 'Can not delete non-existing finalized feature.'),
  );
  expect(features.current.epoch).toBe(-1n);
});

test('a broker that is not the controller answers NOT_CONTROLLER with no results', async () => {
  b.metadata.controller = 2;
  expect(await send([{ feature: 'feature_1', maxVersionLevel: 3 }])).toEqual({
    throttleTimeMs: 0,
    errorCode: ErrorCode.NOT_CONTROLLER,
    errorMessage: 'This is not the correct controller for this cluster.',
    results: [],
  });
});
