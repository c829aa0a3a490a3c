// Kafka's filter semantics (ResourcePatternFilter, AccessControlEntryFilter: ANY, MATCH, null
// fields), CreateAcls' checks with Kafka's codes and messages, the prefix index against a brute
// force search, and the stored names.

import {
  AclBinding,
  PatternType,
  PermissionType,
  entryMatches,
  hasUnknownElement,
  illegalBinding,
  operationName,
  parseOperation,
  parseResourceType,
  patternMatches,
  patternsOfFilter,
  resourceTypeEnumName,
  resourceTypeName,
  validateBinding,
} from '../../../src/auth/acl/acl-binding';
import { prefixesOf } from '../../../src/auth/acl/acl-cache';
import { AclOperation, ResourceType } from '../../../src/auth/authorizer';
import { ErrorCode, KafkaError } from '../../../protocol';

const { LITERAL, PREFIXED, ANY, MATCH } = PatternType;
const { TOPIC, GROUP } = ResourceType;

describe('ResourcePatternFilter matching', () => {
  const lit = (name: string) => ({ resourceType: TOPIC, name, patternType: LITERAL });
  const pre = (name: string) => ({ resourceType: TOPIC, name, patternType: PREFIXED });

  it('ANY matches either pattern type with the exact name', () => {
    const filter = { resourceType: TOPIC, name: 'foo', patternType: ANY };
    expect(patternMatches(filter, lit('foo'))).toBe(true);
    expect(patternMatches(filter, pre('foo'))).toBe(true);
    expect(patternMatches(filter, pre('fo'))).toBe(false);
    expect(patternMatches(filter, lit('*'))).toBe(false);
  });

  it('MATCH matches the patterns that apply to the name: itself, the wildcard, its prefixes', () => {
    const filter = { resourceType: TOPIC, name: 'foo', patternType: MATCH };
    expect(patternMatches(filter, lit('foo'))).toBe(true);
    expect(patternMatches(filter, lit('*'))).toBe(true);
    expect(patternMatches(filter, pre('fo'))).toBe(true);
    expect(patternMatches(filter, pre('foo'))).toBe(true);
    expect(patternMatches(filter, pre('foob'))).toBe(false);
    expect(patternMatches(filter, lit('fo'))).toBe(false);
  });

  it('a specific pattern type and a null name, ANY resource type', () => {
    expect(patternMatches({ resourceType: TOPIC, name: null, patternType: PREFIXED }, pre('x'))).toBe(true);
    expect(patternMatches({ resourceType: TOPIC, name: null, patternType: PREFIXED }, lit('x'))).toBe(false);
    expect(patternMatches({ resourceType: ResourceType.ANY, name: 'x', patternType: LITERAL }, { ...lit('x'), resourceType: GROUP })).toBe(true);
    expect(patternMatches({ resourceType: GROUP, name: 'x', patternType: LITERAL }, lit('x'))).toBe(false);
    expect(patternMatches({ resourceType: TOPIC, name: '*', patternType: LITERAL }, lit('foo'))).toBe(false);
  });

  it('entry filters: null principal and host, ANY operation and permission', () => {
    const entry = { principal: 'User:alice', host: '*', operation: AclOperation.READ, permissionType: PermissionType.ALLOW };
    const any = { principal: null, host: null, operation: AclOperation.ANY, permissionType: PermissionType.ANY };
    expect(entryMatches(any, entry)).toBe(true);
    expect(entryMatches({ ...any, principal: 'User:bob' }, entry)).toBe(false);
    expect(entryMatches({ ...any, host: '10.0.0.1' }, entry)).toBe(false);
    expect(entryMatches({ ...any, operation: AclOperation.WRITE }, entry)).toBe(false);
    expect(entryMatches({ ...any, permissionType: PermissionType.DENY }, entry)).toBe(false);
    // A filter's User:* is the literal principal "User:*", not a wildcard.
    expect(entryMatches({ ...any, principal: 'User:*' }, entry)).toBe(false);
  });

  it('names the patterns a definite filter can only mean', () => {
    expect(patternsOfFilter({ resourceType: TOPIC, name: 'a', patternType: ANY })).toEqual([lit('a'), pre('a')]);
    expect(patternsOfFilter({ resourceType: TOPIC, name: 'a', patternType: PREFIXED })).toEqual([pre('a')]);
    expect(patternsOfFilter({ resourceType: TOPIC, name: 'a', patternType: MATCH })).toEqual([]);
    expect(patternsOfFilter({ resourceType: TOPIC, name: null, patternType: LITERAL })).toEqual([]);
    expect(patternsOfFilter({ resourceType: ResourceType.ANY, name: 'a', patternType: LITERAL })).toEqual([]);
  });
});

describe('CreateAcls checks', () => {
  const binding = (over: { pattern?: object; entry?: object } = {}): AclBinding => ({
    pattern: { resourceType: TOPIC, name: 'foo', patternType: LITERAL, ...over.pattern },
    entry: { principal: 'User:alice', host: '*', operation: AclOperation.READ, permissionType: PermissionType.ALLOW, ...over.entry },
  });
  const errorOf = (b: AclBinding) => {
    try {
      validateBinding(b);
      return null;
    } catch (err) {
      return { code: (err as KafkaError).code, message: (err as KafkaError).message };
    }
  };

  it('accepts specific bindings, prefixed and wildcard ones included', () => {
    for (const b of [
      binding(),
      binding({ pattern: { patternType: PREFIXED } }),
      binding({ pattern: { name: '*' }, entry: { principal: 'User:*' } }),
      binding({ pattern: { resourceType: ResourceType.CLUSTER, name: 'kafka-cluster' } }),
    ]) {
      expect(errorOf(b)).toBeNull();
      expect(illegalBinding(b)).toBeNull();
      expect(hasUnknownElement(b.pattern, b.entry)).toBe(false);
    }
  });

  it('refuses as Kafka does, with its codes and messages', () => {
    expect(errorOf(binding({ pattern: { resourceType: ResourceType.CLUSTER, name: 'c' } }))).toEqual({ code: ErrorCode.INVALID_REQUEST, message: 'The only valid name for the CLUSTER resource is kafka-cluster' });
    expect(errorOf(binding({ pattern: { name: '' } }))).toEqual({ code: ErrorCode.INVALID_REQUEST, message: 'Invalid empty resource name' });
    expect(errorOf(binding({ pattern: { name: 'a/b' } }))).toEqual({ code: ErrorCode.INVALID_REQUEST, message: 'Failed to create ACL' });
    expect(errorOf(binding({ entry: { principal: 'alice' } }))).toEqual({ code: ErrorCode.UNKNOWN_SERVER_ERROR, message: 'expected a string in format principalType:principalName but got alice' });
  });

  it("names what Kafka's constructors refuse, and UNKNOWN elements", () => {
    expect(illegalBinding(binding({ pattern: { patternType: MATCH } }))).toBe('patternType must not be MATCH');
    expect(illegalBinding(binding({ pattern: { patternType: ANY } }))).toBe('patternType must not be ANY');
    expect(illegalBinding(binding({ pattern: { resourceType: ResourceType.ANY } }))).toBe('resourceType must not be ANY');
    expect(illegalBinding(binding({ entry: { operation: AclOperation.ANY } }))).toBe('operation must not be ANY');
    expect(illegalBinding(binding({ entry: { permissionType: PermissionType.ANY } }))).toBe('permissionType must not be ANY');
    for (const bad of [{ pattern: { patternType: PatternType.UNKNOWN } }, { pattern: { resourceType: 99 } }, { entry: { operation: AclOperation.UNKNOWN } }, { entry: { permissionType: 7 } }]) {
      const b = binding(bad);
      expect(hasUnknownElement(b.pattern, b.entry)).toBe(true);
    }
  });
});

describe('names', () => {
  it("are Kafka's", () => {
    expect(resourceTypeName(ResourceType.TRANSACTIONAL_ID)).toBe('TransactionalId');
    expect(resourceTypeEnumName(ResourceType.TRANSACTIONAL_ID)).toBe('TRANSACTIONAL_ID');
    expect(resourceTypeEnumName(ResourceType.DELEGATION_TOKEN)).toBe('DELEGATION_TOKEN');
    expect(operationName(AclOperation.DESCRIBE_CONFIGS)).toBe('DescribeConfigs');
    expect(parseOperation('IdempotentWrite')).toBe(AclOperation.IDEMPOTENT_WRITE);
    expect(parseResourceType('TRANSACTIONAL_ID')).toBe(ResourceType.TRANSACTIONAL_ID);
    expect(parseResourceType('Topic')).toBe(TOPIC);
    expect(parseResourceType('Nope')).toBeUndefined();
  });
});

describe('prefixesOf', () => {
  it('finds exactly the prefixes of a name, as a scan would', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const word = (max: number) => Array.from({ length: 1 + Math.floor(random() * max) }, () => 'abc'[Math.floor(random() * 3)]).join('');
    for (let round = 0; round < 200; round++) {
      const sorted = [...new Set(Array.from({ length: Math.floor(random() * 30) }, () => word(5)))].sort();
      const name = word(7);
      expect(prefixesOf(sorted, name).sort()).toEqual(sorted.filter((p) => name.startsWith(p)));
    }
  });
});
