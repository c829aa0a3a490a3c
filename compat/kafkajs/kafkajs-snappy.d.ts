// kafkajs-snappy ships no types: it is a codec factory for kafkajs's CompressionCodecs registry.
declare module 'kafkajs-snappy' {
  const SnappyCodec: () => { compress(encoder: { buffer: Buffer }): Promise<Buffer>; decompress(buffer: Buffer): Promise<Buffer> };
  export = SnappyCodec;
}
