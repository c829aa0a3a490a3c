// SCRAM credentials as ZooKeeper-mode Kafka keeps them: configs of the user entity
// (`users/<sanitized name>`, keys SCRAM-SHA-256 / SCRAM-SHA-512, values in Kafka's stored form),
// written through the cluster's entity configs (ZooKeeper with a change notification, or the
// standalone file) and read from the cluster's live copy, so every broker follows changes at once.
// The DescribeUserScramCredentials and AlterUserScramCredentials logic is Kafka's ZkAdminManager.

import { ErrorCode } from '../../../protocol';
import type { EntityConfigView } from '../../cluster/entity-configs';
import { desanitize, sanitize } from '../../quotas/sanitizer';
import {
  MAX_ITERATIONS,
  MIN_ITERATIONS,
  SCRAM_MECHANISMS,
  SCRAM_MECHANISM_CODES,
  ScramCredential,
  ScramCredentialSource,
  ScramMechanism,
  credentialFromSaltedPassword,
  formatCredential,
  parseCredential,
} from '../scram-credential';

export interface UserScramResult {
  user: string;
  errorCode: number;
  errorMessage: string | null;
}

export interface DescribedUser extends UserScramResult {
  credentialInfos: { mechanism: number; iterations: number }[];
}

export interface ScramDeletion {
  name: string;
  mechanism: number;
}

export interface ScramUpsertion extends ScramDeletion {
  iterations: number;
  salt: Buffer;
  saltedPassword: Buffer;
}

/** What the handlers see. */
export interface ScramCredentials {
  /** Every user with a credential when `users` is null or empty; else each named user once. */
  describe(users: readonly string[] | null): DescribedUser[];
  alter(deletions: readonly ScramDeletion[], upsertions: readonly ScramUpsertion[]): Promise<UserScramResult[]>;
}

const USERNAME_MUST_NOT_BE_EMPTY = 'Username must not be empty';
const UNKNOWN_MECHANISM = 'Unknown SCRAM mechanism';

function mechanismOf(code: number): ScramMechanism | undefined {
  return SCRAM_MECHANISMS.find((m) => SCRAM_MECHANISM_CODES[m] === code);
}

const userPath = (user: string) => `users/${sanitize(user)}`;

export class ScramCredentialStore implements ScramCredentialSource, ScramCredentials {
  constructor(
    private readonly entities: EntityConfigView,
    private readonly store: (entityPath: string, configs: Record<string, string>) => Promise<void>,
    private readonly log: (line: string) => void,
  ) {}

  credential(username: string, mechanism: ScramMechanism): ScramCredential | undefined {
    const stored = this.entities.get(userPath(username))[mechanism];
    return stored === undefined ? undefined : parseCredential(stored);
  }

  describe(users: readonly string[] | null): DescribedUser[] {
    if (users === null || users.length === 0) {
      return this.entities
        .list('users/')
        .filter((path) => path.split('/').length === 2)
        .map((path) => desanitize(path.slice('users/'.length)))
        .sort()
        .map((user) => this.described(user, false))
        .filter((r): r is DescribedUser => r !== null);
    }
    const counts = new Map<string, number>();
    for (const u of users) counts.set(u, (counts.get(u) ?? 0) + 1);
    return [...counts].map(([user, count]) => {
      if (user === '') return failed(user, ErrorCode.RESOURCE_NOT_FOUND, USERNAME_MUST_NOT_BE_EMPTY);
      if (count > 1) return failed(user, ErrorCode.DUPLICATE_RESOURCE, `Cannot describe SCRAM credentials for the same user twice in a single request: ${user}`);
      return this.described(user, true)!;
    });
  }

  /** A user's credential infos; for a user named explicitly, RESOURCE_NOT_FOUND when there are none. */
  private described(user: string, explicit: boolean): DescribedUser | null {
    const configs = this.entities.get(userPath(user));
    const present = SCRAM_MECHANISMS.filter((m) => configs[m] !== undefined);
    if (present.length === 0) {
      return explicit ? failed(user, ErrorCode.RESOURCE_NOT_FOUND, `Attempt to describe a user credential that does not exist: ${user}`) : null;
    }
    const credentialInfos = [];
    for (const m of present) {
      const credential = parseCredential(configs[m]);
      if (!credential) {
        this.log(`Error processing describe user SCRAM credential configs request: the ${m} credential of user ${user} is malformed`);
        return failed(user, ErrorCode.UNKNOWN_SERVER_ERROR, null);
      }
      credentialInfos.push({ mechanism: SCRAM_MECHANISM_CODES[m], iterations: credential.iterations });
    }
    return { user, errorCode: ErrorCode.NONE, errorMessage: null, credentialInfos };
  }

  async alter(deletions: readonly ScramDeletion[], upsertions: readonly ScramUpsertion[]): Promise<UserScramResult[]> {
    const results: UserScramResult[] = [];
    // Users refused outright: an empty name, an unknown mechanism, iterations out of range.
    const illegal = new Map<string, string>();
    for (const d of deletions) {
      if (d.name === '') illegal.set(d.name, USERNAME_MUST_NOT_BE_EMPTY);
      else if (!mechanismOf(d.mechanism)) illegal.set(d.name, UNKNOWN_MECHANISM);
    }
    for (const u of upsertions) {
      if (u.name === '') illegal.set(u.name, USERNAME_MUST_NOT_BE_EMPTY);
      else if (!mechanismOf(u.mechanism)) illegal.set(u.name, UNKNOWN_MECHANISM);
      else if (u.iterations < MIN_ITERATIONS) illegal.set(u.name, 'Too few iterations');
      else if (u.iterations > MAX_ITERATIONS) illegal.set(u.name, 'Too many iterations');
    }
    for (const [user, message] of illegal) {
      results.push(failed(user, message === UNKNOWN_MECHANISM ? ErrorCode.UNSUPPORTED_SASL_MECHANISM : ErrorCode.UNACCEPTABLE_CREDENTIAL, message));
    }
    // A user whose credential for one mechanism is altered twice is refused as a whole.
    const pairs = [...upsertions, ...deletions].filter((a) => !illegal.has(a.name)).map((a) => `${a.mechanism}\u0000${a.name}`);
    const duplicated = new Set(pairs.filter((p, i) => pairs.indexOf(p) !== i).map((p) => p.slice(p.indexOf('\u0000') + 1)));
    for (const user of duplicated) results.push(failed(user, ErrorCode.DUPLICATE_RESOURCE, 'A user credential cannot be altered twice in the same request'));
    const candidates = new Set(pairs.map((p) => p.slice(p.indexOf('\u0000') + 1)).filter((u) => !duplicated.has(u)));
    const configs = new Map([...candidates].map((u) => [u, { ...this.entities.get(userPath(u)) }]));
    const missing = new Set(deletions.filter((d) => candidates.has(d.name) && configs.get(d.name)![mechanismOf(d.mechanism)!] === undefined).map((d) => d.name));
    for (const user of missing) results.push(failed(user, ErrorCode.RESOURCE_NOT_FOUND, 'Attempt to delete a user credential that does not exist'));
    const altered = [...candidates].filter((u) => !missing.has(u));
    for (const user of altered) {
      const updated = configs.get(user)!;
      for (const d of deletions) if (d.name === user) delete updated[mechanismOf(d.mechanism)!];
      for (const u of upsertions) {
        if (u.name !== user) continue;
        const mechanism = mechanismOf(u.mechanism)!;
        updated[mechanism] = formatCredential(credentialFromSaltedPassword(mechanism, u.saltedPassword, u.salt, u.iterations));
      }
      try {
        await this.store(userPath(user), updated);
        results.push({ user, errorCode: ErrorCode.NONE, errorMessage: null });
      } catch (err) {
        this.log(`Error encountered while altering user SCRAM credentials: ${err instanceof Error ? err.message : String(err)}`);
        results.push(failed(user, ErrorCode.UNKNOWN_SERVER_ERROR, null));
      }
    }
    return results;
  }
}

function failed(user: string, errorCode: number, errorMessage: string | null): DescribedUser {
  return { user, errorCode, errorMessage, credentialInfos: [] };
}
