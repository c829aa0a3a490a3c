// Splits a TCP byte stream into Kafka frames ([int32 size][payload]). Chunks are kept in a list and
// copied once per frame, so a multi-megabyte fetch response arriving in 64 KiB pieces costs one copy,
// not one re-concatenation per piece.

export class FrameReader {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly onFrame: (payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= 4) {
      const size = this.peekSize();
      if (size < 0) throw new Error(`negative frame size ${size}`);
      if (this.buffered < 4 + size) return;
      this.onFrame(this.take(4 + size).subarray(4));
    }
  }

  private peekSize(): number {
    if (this.chunks[0].length < 4) {
      const head = this.take(4);
      this.chunks.unshift(head);
      this.buffered += head.length;
    }
    return this.chunks[0].readInt32BE(0);
  }

  private take(n: number): Buffer {
    this.buffered -= n;
    const first = this.chunks[0];
    if (first.length >= n) {
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    for (let filled = 0; filled < n; ) {
      const chunk = this.chunks[0];
      const k = Math.min(chunk.length, n - filled);
      chunk.copy(out, filled, 0, k);
      filled += k;
      if (k === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(k);
    }
    return out;
  }
}
