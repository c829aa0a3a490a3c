// Delegation tokens in ZooKeeper, as Kafka 3.9's DelegationTokenManagerZk keeps them: each token's
// JSON at /delegation_token/tokens/<id>, written by whichever broker served the request, followed by
// a sequential /delegation_token/token_changes/token_change_<seq> holding the token id. Every
// broker watches the notifications (ZkNodeChangeNotificationListener: all of them once at start,
// then each newer one; those older than 15 minutes are deleted) and re-reads the token named:
// present, it is created or renewed; absent, it is gone.

import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { TokenInformation, decodeTokenInfo, encodeTokenInfo } from '../auth/tokens/token-information';
import type { TokenStore } from '../auth/tokens/token-store';
import { ZooKeeperSession, isZkError } from '../zookeeper';
import { ensurePath } from './cluster-identity';
import { DELEGATION_TOKENS, DELEGATION_TOKEN_CHANGES, DELEGATION_TOKEN_CHANGE_PREFIX, delegationTokenPath } from './zk-paths';

/** ZkNodeChangeNotificationListener's changeExpirationMs. */
const NOTIFICATION_EXPIRATION_MS = 15 * 60_000;

type Changed = (tokenId: string, token: TokenInformation | undefined) => void;

export class ZkDelegationTokens implements TokenStore {
  private lastChange = -1;
  private changed: Changed | null = null;
  private closed = false;
  /** Notification reads run one at a time, in sequence order. */
  private reading: Promise<void> = Promise.resolve();
  private readonly watch = (): void => this.readChangesSoon();
  private readonly reconnected = (): void => this.readChangesSoon();

  constructor(
    private readonly zk: ZooKeeperSession,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async load(changed: Changed): Promise<TokenInformation[]> {
    await ensurePath(this.zk, DELEGATION_TOKEN_CHANGES);
    await ensurePath(this.zk, DELEGATION_TOKENS);
    const tokens: TokenInformation[] = [];
    for (const tokenId of (await this.zk.getChildren(DELEGATION_TOKENS)) ?? []) {
      try {
        const token = await this.read(tokenId);
        if (token) tokens.push(token);
      } catch (err) {
        this.log.error(`Error while getting Token for tokenId: ${tokenId}: ${(err as Error).message}`);
      }
    }
    this.changed = changed;
    // Watches may not survive a disconnection: read the notifications again on reconnection.
    this.zk.on('connected', this.reconnected);
    this.readChangesSoon();
    await this.reading;
    return tokens;
  }

  async write(token: TokenInformation): Promise<void> {
    const path = delegationTokenPath(token.tokenId);
    const data = encodeTokenInfo(token);
    try {
      await this.zk.setData(path, data, -1);
    } catch (err) {
      if (!isZkError(err, 'NO_NODE')) throw err;
      await this.zk.createRecursive(path, data);
    }
    await this.notify(token.tokenId);
  }

  async remove(tokenId: string): Promise<void> {
    try {
      await this.zk.delete(delegationTokenPath(tokenId), -1);
    } catch (err) {
      if (!isZkError(err, 'NO_NODE')) throw err;
    }
    await this.notify(tokenId);
  }

  close(): void {
    this.closed = true;
    this.zk.off('connected', this.reconnected);
  }

  private async notify(tokenId: string): Promise<void> {
    await ensurePath(this.zk, DELEGATION_TOKEN_CHANGES);
    await this.zk.create(`${DELEGATION_TOKEN_CHANGES}/${DELEGATION_TOKEN_CHANGE_PREFIX}`, Buffer.from(tokenId, 'utf8'), 'persistent_sequential');
  }

  private async read(tokenId: string): Promise<TokenInformation | undefined> {
    const node = await this.zk.getData(delegationTokenPath(tokenId));
    return node?.data ? decodeTokenInfo(node.data) : undefined;
  }

  private readChangesSoon(): void {
    this.reading = this.reading
      .then(() => this.readChanges())
      .catch((err) => this.log.warn(`Reading ${DELEGATION_TOKEN_CHANGES} failed: ${(err as Error).message}`));
  }

  private async readChanges(): Promise<void> {
    if (this.closed || !this.changed) return;
    const children = (await this.zk.getChildren(DELEGATION_TOKEN_CHANGES, this.watch)) ?? [];
    const sequenced = children
      .filter((c) => c.startsWith(DELEGATION_TOKEN_CHANGE_PREFIX))
      .map((c) => ({ child: c, seq: Number(c.slice(DELEGATION_TOKEN_CHANGE_PREFIX.length)) }))
      .sort((x, y) => x.seq - y.seq);
    for (const { child, seq } of sequenced) {
      const path = `${DELEGATION_TOKEN_CHANGES}/${child}`;
      const node = await this.zk.getData(path);
      if (!node) continue;
      if (seq > this.lastChange) {
        this.lastChange = seq;
        const tokenId = node.data?.toString('utf8') ?? '';
        try {
          if (tokenId === '' || tokenId.includes('/')) throw new Error(`not a token id: ${JSON.stringify(tokenId)}`);
          this.changed(tokenId, await this.read(tokenId));
        } catch (err) {
          this.log.error(`Error processing token notification ${path}: ${(err as Error).message}`);
        }
      }
      if (node.stat.ctime < this.clock.now() - NOTIFICATION_EXPIRATION_MS) await this.zk.delete(path, -1).catch(() => undefined);
    }
  }
}
