// authorizer.class.name as Kafka 3.9 (ZooKeeper mode) takes it, with super.users and
// allow.everyone.if.no.acl.found.

import { aclAuthorizerOptions } from '../../../src/auth/acl/authorizer-config';
import { ConfigError } from '../../../src/config';

const options = (props: Record<string, string>) => aclAuthorizerOptions(new Map(Object.entries(props)));

describe('authorizer.class.name', () => {
  it('unset or empty: no authorizer', () => {
    expect(options({})).toBeNull();
    expect(options({ 'authorizer.class.name': ' ' })).toBeNull();
  });

  it("Kafka's AclAuthorizer: super users split on ';', allow-everyone off by default", () => {
    expect(options({ 'authorizer.class.name': 'kafka.security.authorizer.AclAuthorizer', 'super.users': 'User:admin; User:CN=broker,O=x' })).toEqual({
      superUsers: new Set(['User:admin', 'User:CN=broker,O=x']),
      allowEveryoneIfNoAclFound: false,
    });
    expect(options({ 'authorizer.class.name': 'kafka.security.authorizer.AclAuthorizer', 'allow.everyone.if.no.acl.found': 'true' })?.allowEveryoneIfNoAclFound).toBe(true);
  });

  it('refuses other classes, naming them, and malformed super users', () => {
    for (const cls of ['org.apache.kafka.metadata.authorizer.StandardAuthorizer', 'kafka.security.auth.SimpleAclAuthorizer']) {
      expect(() => options({ 'authorizer.class.name': cls })).toThrow(ConfigError);
      expect(() => options({ 'authorizer.class.name': cls })).toThrow(cls);
    }
    expect(() => options({ 'authorizer.class.name': 'kafka.security.authorizer.AclAuthorizer', 'super.users': 'admin' })).toThrow('principalType:principalName');
  });
});
