// One mechanism's side of a SASL exchange (javax.security.sasl.SaslServer as Kafka uses it): each
// client token in, a challenge out, until complete. Two failures, as in Kafka: a SaslException's
// message stays in the broker's log and the client gets the generic "invalid credentials" answer;
// a SaslAuthenticationException's message is meant for the client and is sent as it is.

export class SaslException extends Error {}

export class SaslAuthenticationException extends Error {}

export interface SaslServer {
  readonly mechanism: string;
  /** The next challenge (empty when there is none); throws SaslException or SaslAuthenticationException. */
  evaluate(token: Buffer): Buffer;
  readonly complete: boolean;
  /** Once complete: the principal's name ("alice"), or for a delegation token its owner's principal. */
  readonly authorizationId: string;
  /** Once complete: authenticated with a delegation token (SCRAM tokenauth). */
  readonly tokenAuthenticated: boolean;
  /** Once complete: when the credential expires (a delegation token's expiry), in ms since the epoch. */
  readonly credentialExpiryMs: number | null;
}
