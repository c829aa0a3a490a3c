// A standalone broker's delegation tokens: one file in its first log dir holding each token in the
// JSON ZooKeeper-mode Kafka stores per token. Nobody else writes it, so nothing is watched.

import { join } from 'node:path';
import { readLogDirJson, writeLogDirJson } from '../../cluster/log-dir-json';
import { TokenInformation, tokenInfoFromJson, tokenInfoJson } from './token-information';
import type { TokenStore } from './token-store';

export const STANDALONE_TOKENS_FILE = 'kafka-ts-delegation-tokens.json';

interface StoredTokens {
  tokens: Record<string, unknown>;
}

export class FileTokenStore implements TokenStore {
  private readonly file: string;
  private readonly tokens = new Map<string, TokenInformation>();

  constructor(logDir: string) {
    this.file = join(logDir, STANDALONE_TOKENS_FILE);
  }

  async load(): Promise<TokenInformation[]> {
    const stored = readLogDirJson<StoredTokens>(this.file);
    for (const js of Object.values(stored?.tokens ?? {})) {
      const token = tokenInfoFromJson(js);
      this.tokens.set(token.tokenId, token);
    }
    return [...this.tokens.values()];
  }

  async write(token: TokenInformation): Promise<void> {
    this.tokens.set(token.tokenId, { ...token, renewers: [...token.renewers] });
    this.save();
  }

  async remove(tokenId: string): Promise<void> {
    if (this.tokens.delete(tokenId)) this.save();
  }

  close(): void {}

  private save(): void {
    const tokens: StoredTokens['tokens'] = {};
    for (const [id, token] of this.tokens) tokens[id] = tokenInfoJson(token);
    writeLogDirJson(this.file, { tokens } satisfies StoredTokens);
  }
}
