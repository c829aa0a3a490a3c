// Splits a byte stream into Kafka frames (int32 size, then that many bytes), for the broker's
// connections and the client's alike. A frame's buffer is allocated only once all of its bytes have
// arrived, so a hostile size prefix costs nothing; sizes outside (0, maxFrameBytes] are refused as
// soon as the prefix is read.

export class FrameError extends Error {}

export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private expected = -1;

  /** `limitName` names the setting behind maxFrameBytes in the error, if one does. */
  constructor(
    private maxFrameBytes: number,
    private limitName?: string,
  ) {}

  /** A new limit for the frames whose size prefix is still to come (a SASL connection's, once authenticated). */
  setMaxFrameBytes(maxFrameBytes: number, limitName?: string): void {
    this.maxFrameBytes = maxFrameBytes;
    this.limitName = limitName;
  }

  /** Adds received bytes; returns the frames completed by them (without their size prefix). */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Buffer[] = [];
    for (;;) {
      if (this.expected < 0) {
        if (this.buffered < 4) break;
        const size = this.peekInt32();
        if (size <= 0 || size > this.maxFrameBytes) {
          const limit = this.limitName ? ` (${this.limitName})` : '';
          throw new FrameError(`frame size ${size} outside 1..${this.maxFrameBytes}${limit}`);
        }
        this.take(4);
        this.expected = size;
      }
      if (this.buffered < this.expected) break;
      frames.push(this.take(this.expected));
      this.expected = -1;
    }
    return frames;
  }

  private peekInt32(): number {
    const first = this.chunks[0];
    if (first.length >= 4) return first.readInt32BE(0);
    return Buffer.concat(this.chunks, 4).readInt32BE(0);
  }

  /** Removes n buffered bytes; a slice when they lie in one chunk, else one copy of exactly n. */
  private take(n: number): Buffer {
    this.buffered -= n;
    const first = this.chunks[0];
    if (first.length >= n) {
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const c = this.chunks[0];
      const part = Math.min(c.length, n - filled);
      c.copy(out, filled, 0, part);
      filled += part;
      if (part === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(part);
    }
    return out;
  }
}
