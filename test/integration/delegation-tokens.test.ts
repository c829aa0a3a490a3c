// Delegation tokens on a real broker: a user authenticated with SASL PLAIN creates a token, a new
// connection authenticates with it through SCRAM's `tokenauth` extension (token id as the user
// name, the HMAC as the password) and acts as the token's owner, but may not create tokens itself;
// once the token is expired, logging in with it fails as any bad credential does.

import { Apis, ErrorCode } from '../../protocol';
import { KafkaConnection } from '../../src/client/kafka-connection';
import { SaslAuthenticationError, SaslClientOptions, authenticateSasl } from '../../src/client/sasl-client';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { waitFor } from '../helpers/wait';

let broker: BrokerProcess;
const opened: KafkaConnection[] = [];

beforeAll(async () => {
  broker = await startBroker({
    waitForStarted: true,
    props: {
      listeners: 'SASL_PLAINTEXT://127.0.0.1:0',
      'listener.security.protocol.map': 'SASL_PLAINTEXT:SASL_PLAINTEXT',
      'inter.broker.listener.name': 'SASL_PLAINTEXT',
      'sasl.mechanism.inter.broker.protocol': 'PLAIN',
      'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
      'listener.name.sasl_plaintext.plain.sasl.jaas.config':
        'org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" user_admin="admin-secret" user_alice="alice-secret";',
      'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required;',
      'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required;',
      'delegation.token.secret.key': 'token-secret-key',
    },
  });
});

afterAll(async () => {
  for (const c of opened) c.close();
  await cleanup(broker);
});

async function login(options: SaslClientOptions): Promise<KafkaConnection> {
  const conn = await KafkaConnection.connect('127.0.0.1', broker.port, { clientId: 'token-test', timeoutMs: 10_000 });
  opened.push(conn);
  await authenticateSasl(conn, options, 10_000);
  return conn;
}

test('a token logs in as its owner through SCRAM tokenauth, cannot create tokens, and stops working once expired', async () => {
  const alice = await login({ mechanism: 'PLAIN', username: 'alice', password: 'alice-secret' });
  const created = await alice.request(Apis.CreateDelegationToken, 3, { ownerPrincipalType: null, ownerPrincipalName: null, renewers: [], maxLifetimeMs: -1n });
  expect(created.errorCode).toBe(ErrorCode.NONE);
  expect([created.principalType, created.principalName]).toEqual(['User', 'alice']);
  const token = { mechanism: 'SCRAM-SHA-512' as const, username: created.tokenId, password: created.hmac.toString('base64'), tokenAuth: true };

  const viaToken = await login(token);
  const metadata = await viaToken.request(Apis.Metadata, 12, { topics: null, allowAutoTopicCreation: false });
  expect(metadata.brokers.length).toBe(1);
  const nested = await viaToken.request(Apis.CreateDelegationToken, 3, { ownerPrincipalType: null, ownerPrincipalName: null, renewers: [], maxLifetimeMs: -1n });
  expect(nested.errorCode).toBe(ErrorCode.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED);

  const described = await alice.request(Apis.DescribeDelegationToken, 3, { owners: null });
  expect(described.tokens.map((t) => t.tokenId)).toEqual([created.tokenId]);

  const expired = await alice.request(Apis.ExpireDelegationToken, 2, { hmac: created.hmac, expiryTimePeriodMs: -1n });
  expect(expired.errorCode).toBe(ErrorCode.NONE);
  const refused = login(token);
  await expect(refused).rejects.toBeInstanceOf(SaslAuthenticationError);
  await expect(refused).rejects.toMatchObject({ errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED });
  await waitFor(() => /Failed authentication/.test(broker.output()), 'the refused token login to be logged');
});

test('a token sent with tokenauth under a user name that is no token is refused like a wrong password', async () => {
  const refused = login({ mechanism: 'SCRAM-SHA-256', username: 'no-such-token', password: 'AAAA', tokenAuth: true });
  await expect(refused).rejects.toMatchObject({ errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED });
});
