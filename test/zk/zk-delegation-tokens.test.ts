// Delegation tokens in a real ZooKeeper: each token's znode in Kafka 3.9's JSON, a change
// notification per write, and a second broker's manager following creations, renewals and
// expiries through the notifications; a manager started later loads what is there.

import { createHmac } from 'node:crypto';
import { DelegationTokenManager, TokenSettings } from '../../src/auth/tokens/delegation-token-manager';
import { realClock } from '../../src/clock';
import { createLogger } from '../../src/logger';
import { ZkClient } from '../../src/zookeeper';
import { ZkDelegationTokens } from '../../src/zk/zk-delegation-tokens';
import { useZooKeeperChroots } from '../helpers/zookeeper-server';
import { waitFor } from '../helpers/wait';

const SETTINGS: TokenSettings = { secretKey: 'shared-secret', maxLifetimeMs: 604_800_000, expiryTimeMs: 86_400_000, expiryCheckIntervalMs: 3_600_000 };

const zk = useZooKeeperChroots('kafka-ts-tokens');
let admin: ZkClient;
const managers: DelegationTokenManager[] = [];
const quiet = () => createLogger('test', () => undefined);

beforeEach(async () => {
  admin = await zk.session();
});

afterEach(() => {
  for (const m of managers.splice(0)) m.close();
});

async function manager(): Promise<DelegationTokenManager> {
  const m = new DelegationTokenManager(SETTINGS, new ZkDelegationTokens(await zk.session(), realClock, quiet()), realClock, quiet(), () => false);
  await m.start();
  managers.push(m);
  return m;
}

const text = async (path: string) => (await admin.getData(path))?.data?.toString('utf8');
const expiryOf = (m: DelegationTokenManager, tokenId: string) => m.tokens((t) => t.tokenId === tokenId)[0]?.info.expiryTimestamp;

describe('ZkDelegationTokens', () => {
  it("writes Kafka's token JSON and a change notification naming the token", async () => {
    const a = await manager();
    const created = await a.createToken('User:alice', 'User:admin', ['User:bob', 'User:carol smith'], -1);
    expect(await text(`/delegation_token/tokens/${created.tokenId}`)).toBe(
      `{"version":3,"owner":"User%3Aalice","tokenRequester":"User%3Aadmin","renewers":["User%3Abob","User%3Acarol%20smith"],` +
        `"issueTimestamp":${created.issueTimestamp},"maxTimestamp":${created.maxTimestamp},"expiryTimestamp":${created.expiryTimestamp},"tokenId":"${created.tokenId}"}`,
    );
    expect(await admin.getChildren('/delegation_token/token_changes')).toEqual(['token_change_0000000000']);
    expect(await text('/delegation_token/token_changes/token_change_0000000000')).toBe(created.tokenId);
  });

  it("follows another broker's creations, renewals and expiries", async () => {
    const a = await manager();
    const b = await manager();
    const created = await a.createToken('User:alice', 'User:alice', ['User:bob'], -1);
    await waitFor(() => expiryOf(b, created.tokenId) === created.expiryTimestamp, 'the token on the second broker');
    expect(b.tokenCredential(created.tokenId, 'SCRAM-SHA-256')?.owner).toBe('User:alice');
    expect(b.tokens(() => true)[0].hmac).toEqual(createHmac('sha512', SETTINGS.secretKey!).update(created.tokenId).digest());

    // The second broker renews by HMAC; the first follows.
    const renewed = await b.renewToken('User:bob', created.hmac, 60_000);
    await waitFor(() => expiryOf(a, created.tokenId) === renewed.expiryTimestamp, 'the renewal on the first broker');

    await a.expireToken('User:alice', created.hmac, -1);
    expect(await admin.exists(`/delegation_token/tokens/${created.tokenId}`)).toBeNull();
    await waitFor(() => b.tokens(() => true).length === 0, 'the expiry on the second broker');
    expect(b.tokenCredential(created.tokenId, 'SCRAM-SHA-256')).toBeUndefined();
    expect(await admin.getChildren('/delegation_token/token_changes')).toHaveLength(3);
  });

  it('loads stored tokens at start, Kafka-written versions before 3 included', async () => {
    const a = await manager();
    const created = await a.createToken('User:alice', 'User:admin', [], -1);
    await admin.create(
      '/delegation_token/tokens/oldToken',
      Buffer.from('{"version":1,"owner":"User%3Adave","renewers":[],"issueTimestamp":1,"maxTimestamp":9999999999999,"expiryTimestamp":9999999999999,"tokenId":"oldToken"}'),
    );
    await admin.create('/delegation_token/tokens/broken', Buffer.from('{"version":9}'));
    const c = await manager();
    const infos = c.tokens(() => true).map((t) => t.info);
    expect(infos).toHaveLength(2);
    expect(infos).toContainEqual(expect.objectContaining({ tokenId: created.tokenId, owner: 'User:alice', tokenRequester: 'User:admin' }));
    expect(infos).toContainEqual({ tokenId: 'oldToken', owner: 'User:dave', tokenRequester: 'User:dave', renewers: [], issueTimestamp: 1, maxTimestamp: 9999999999999, expiryTimestamp: 9999999999999 });
  });
});
