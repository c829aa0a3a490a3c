// authorizer.class.name as a ZooKeeper-mode Kafka 3.9 broker takes it: unset or empty, no
// authorizer (everything allowed, the ACL APIs disabled); kafka.security.authorizer.AclAuthorizer,
// ACLs with its super.users and allow.everyone.if.no.acl.found. Any other class (KRaft's
// StandardAuthorizer, or SimpleAclAuthorizer, gone since Kafka 3.0) is refused at startup.

import { ConfigError } from '../../config';
import { AclAuthorizerOptions } from './acl-authorizer';

export const ACL_AUTHORIZER_CLASS = 'kafka.security.authorizer.AclAuthorizer';

/** The authorizer's options, or null when no authorizer is configured. */
export function aclAuthorizerOptions(props: ReadonlyMap<string, string>): AclAuthorizerOptions | null {
  const className = (props.get('authorizer.class.name') ?? '').trim();
  if (className === '') return null;
  if (className !== ACL_AUTHORIZER_CLASS) {
    throw new ConfigError(`Invalid value ${className} for configuration authorizer.class.name: Class ${className} cannot be used: kafka-ts supports only ${ACL_AUTHORIZER_CLASS}`);
  }
  // AclAuthorizer.configure: principals split on ';', each trimmed; an empty value names none.
  const superUsers = (props.get('super.users') ?? '').trim();
  const principals = superUsers === '' ? [] : superUsers.split(';').map((p) => p.trim());
  const invalid = principals.find((p) => !p.includes(':'));
  if (invalid !== undefined) throw new ConfigError(`expected a string in format principalType:principalName but got ${invalid}`);
  return {
    superUsers: new Set(principals),
    allowEveryoneIfNoAclFound: (props.get('allow.everyone.if.no.acl.found') ?? '').trim().toLowerCase() === 'true',
  };
}
