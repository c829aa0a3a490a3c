// The quota config keys of users, client ids and ips (Kafka's QuotaConfigs and DynamicConfig.User,
// Client and Ip), with their types, and Java's Double.toString, in which Kafka stores DOUBLE values.

export const PRODUCER_BYTE_RATE = 'producer_byte_rate';
export const CONSUMER_BYTE_RATE = 'consumer_byte_rate';
export const REQUEST_PERCENTAGE = 'request_percentage';
export const CONTROLLER_MUTATION_RATE = 'controller_mutation_rate';
export const CONNECTION_CREATION_RATE = 'connection_creation_rate';

export type QuotaKeyType = 'LONG' | 'INT' | 'DOUBLE' | 'STRING';

const USER_AND_CLIENT_KEYS: Readonly<Record<string, QuotaKeyType>> = {
  [PRODUCER_BYTE_RATE]: 'LONG',
  [CONSUMER_BYTE_RATE]: 'LONG',
  [REQUEST_PERCENTAGE]: 'DOUBLE',
  [CONTROLLER_MUTATION_RATE]: 'DOUBLE',
};

/** DynamicConfig.User: SCRAM credentials live on users too (AlterClientQuotas cannot set them). */
export const USER_KEYS: Readonly<Record<string, QuotaKeyType>> = { 'SCRAM-SHA-256': 'STRING', 'SCRAM-SHA-512': 'STRING', ...USER_AND_CLIENT_KEYS };
export const CLIENT_KEYS = USER_AND_CLIENT_KEYS;
export const IP_KEYS: Readonly<Record<string, QuotaKeyType>> = { [CONNECTION_CREATION_RATE]: 'INT' };

export const isClientOrUserQuotaKey = (key: string): boolean => key in USER_AND_CLIENT_KEYS;

/** Java's Double.toString: plain between 1e-3 and 1e7, else d.dddE±n; always a fraction digit. */
export function javaDouble(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e7) {
    const plain = String(value);
    return plain.includes('.') ? plain : `${plain}.0`;
  }
  const [mantissa, exponent] = value.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}
