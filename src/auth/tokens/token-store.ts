// Where delegation tokens live: ZooKeeper in ZooKeeper mode (every broker writes, every broker
// follows the change notifications), a log-dir file standalone.

import type { TokenInformation } from './token-information';

export interface TokenStore {
  /** Every stored token; from then on `changed` hears of tokens other brokers wrote or removed. */
  load(changed: (tokenId: string, token: TokenInformation | undefined) => void): Promise<TokenInformation[]>;
  /** Creates or replaces the token, and tells the other brokers. */
  write(token: TokenInformation): Promise<void>;
  /** Removes the token, and tells the other brokers. */
  remove(tokenId: string): Promise<void>;
  close(): void;
}
