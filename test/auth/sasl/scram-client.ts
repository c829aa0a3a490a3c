// A SCRAM client written from RFC 5802's formulas, for the server's tests: the client's messages,
// its proof, and the check of the server's signature.

import { createHash, createHmac, randomBytes } from 'node:crypto';
import { ScramMechanism, hashName, saltedPassword } from '../../../src/auth/scram-credential';

export class ScramClient {
  private clientFirstBare = '';
  private serverSignature: Buffer | null = null;

  constructor(
    private readonly mechanism: ScramMechanism,
    private readonly username: string,
    private readonly password: string,
    private readonly nonce = randomBytes(18).toString('base64').replace(/[=,]/g, ''),
    /** Extensions after the nonce, e.g. "tokenauth=true". */
    private readonly extensions = '',
    private readonly gs2 = 'n,,',
    /** As librdkafka before 2.6.1: the final message's nonce is the client nonce again, then the server's whole nonce. */
    private readonly repeatClientNonce = false,
  ) {}

  first(): Buffer {
    const name = this.username.replace(/=/g, '=3D').replace(/,/g, '=2C');
    this.clientFirstBare = `n=${name},r=${this.nonce}${this.extensions ? `,${this.extensions}` : ''}`;
    return Buffer.from(this.gs2 + this.clientFirstBare);
  }

  final(serverFirst: Buffer): Buffer {
    const text = serverFirst.toString();
    const fields = Object.fromEntries(text.split(',').map((f) => [f[0], f.slice(2)]));
    if (!fields.r.startsWith(this.nonce)) throw new Error(`server nonce ${fields.r} does not extend ${this.nonce}`);
    const hash = hashName(this.mechanism);
    const salted = saltedPassword(this.mechanism, this.password, Buffer.from(fields.s, 'base64'), Number(fields.i));
    const clientKey = createHmac(hash, salted).update('Client Key').digest();
    const storedKey = createHash(hash).update(clientKey).digest();
    const withoutProof = `c=${Buffer.from(this.gs2).toString('base64')},r=${this.repeatClientNonce ? this.nonce : ''}${fields.r}`;
    const authMessage = `${this.clientFirstBare},${text},${withoutProof}`;
    const clientSignature = createHmac(hash, storedKey).update(authMessage).digest();
    const proof = Buffer.from(clientKey.map((b, i) => b ^ clientSignature[i]));
    const serverKey = createHmac(hash, salted).update('Server Key').digest();
    this.serverSignature = createHmac(hash, serverKey).update(authMessage).digest();
    return Buffer.from(`${withoutProof},p=${proof.toString('base64')}`);
  }

  /** Whether the server's final message proves it knows the credential. */
  verify(serverFinal: Buffer): boolean {
    return serverFinal.toString() === `v=${this.serverSignature!.toString('base64')}`;
  }
}
