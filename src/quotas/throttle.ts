// KIP-219: a quota violation throttles the connection its request came on. Whoever finds one (the
// dispatcher, a handler) marks the session; the connection mutes itself once the response is out.

/** Of several violations, the longest throttle wins. */
export function throttle(session: { throttleMs: number }, ms: number): void {
  if (ms > session.throttleMs) session.throttleMs = ms;
}
