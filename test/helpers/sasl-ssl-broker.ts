// The broker properties of a PLAINTEXT listener beside a SASL_SSL one (PLAIN user admin/admin-secret,
// SCRAM-SHA-512 users created later), with the test CA's broker keystore: what the tools' and the
// console's secured tests start.
import { STORE_PASSWORD, TestCerts } from './certs';

export function saslSslBrokerProps(certs: TestCerts): Record<string, string> {
  return {
    listeners: 'PLAINTEXT://127.0.0.1:0,SASL_SSL://127.0.0.1:0',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL',
    'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-512',
    'listener.name.sasl_ssl.plain.sasl.jaas.config':
      'org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" user_admin="admin-secret";',
    'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required;',
    'ssl.keystore.type': 'PKCS12',
    'ssl.keystore.location': certs.broker.p12,
    'ssl.keystore.password': STORE_PASSWORD,
  };
}
