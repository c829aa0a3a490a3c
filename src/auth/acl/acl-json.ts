// The JSON Kafka stores a resource's ACLs in (AclEntry.toJsonCompatibleMap / fromBytes):
// {"version":1,"acls":[{"principal":"User:alice","permissionType":"Allow","operation":"Read","host":"*"}]}.
// Entries Kafka could not read (unknown operation or permission) are refused with the whole node.

import { AccessControlEntry, operationName, parseOperation, parsePermission, permissionName } from './acl-binding';

const CURRENT_VERSION = 1;

interface StoredEntry {
  principal: string;
  permissionType: string;
  operation: string;
  host: string;
}

export interface StoredAcls {
  version: number;
  acls: StoredEntry[];
}

export function aclsToJson(entries: readonly AccessControlEntry[]): StoredAcls {
  return {
    version: CURRENT_VERSION,
    acls: entries.map((e) => ({ principal: e.principal, permissionType: permissionName(e.permissionType), operation: operationName(e.operation), host: e.host })),
  };
}

export function encodeAcls(entries: readonly AccessControlEntry[]): Buffer {
  return Buffer.from(JSON.stringify(aclsToJson(entries)));
}

/** A node's entries; empty for an empty node, as Kafka reads one. Throws on what Kafka could not parse. */
export function decodeAcls(data: Buffer | null): AccessControlEntry[] {
  if (!data || data.length === 0) return [];
  return aclsFromJson(JSON.parse(data.toString('utf8')) as StoredAcls);
}

export function aclsFromJson(json: StoredAcls): AccessControlEntry[] {
  if (typeof json !== 'object' || json === null || !Array.isArray(json.acls)) throw new Error('expected {"version":1,"acls":[...]}');
  return json.acls.map((acl) => {
    const operation = parseOperation(String(acl.operation));
    const permissionType = parsePermission(String(acl.permissionType));
    if (operation === undefined) throw new Error(`unknown operation ${acl.operation}`);
    if (permissionType === undefined) throw new Error(`unknown permission type ${acl.permissionType}`);
    if (typeof acl.principal !== 'string' || !acl.principal.includes(':')) throw new Error(`invalid principal ${acl.principal}`);
    if (typeof acl.host !== 'string') throw new Error(`invalid host ${acl.host}`);
    return { principal: acl.principal, host: acl.host, operation, permissionType };
  });
}
