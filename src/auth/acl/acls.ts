// ACLs switched on: the cache filled from the store, the authorizer requests are checked by, and the
// administration the ACL APIs use, over one cache and one store.

import type { Logger } from '../../logger';
import { AclAdmin } from './acl-admin';
import { AclAuthorizer, AclAuthorizerOptions } from './acl-authorizer';
import { AclCache } from './acl-cache';
import { AclStore } from './acl-store';

export interface Acls {
  authorizer: AclAuthorizer;
  admin: AclAdmin;
  close(): Promise<void>;
}

/** Loads every stored ACL before the broker serves a request. `log` is Kafka's kafka.authorizer.logger. */
export async function startAcls(options: AclAuthorizerOptions, store: AclStore, log: Logger): Promise<Acls> {
  const cache = new AclCache();
  await store.load(cache);
  return { authorizer: new AclAuthorizer(cache, options, log), admin: new AclAdmin(cache, store), close: () => store.close() };
}
