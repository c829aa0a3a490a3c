// Reads the topics out of a consumer's JoinGroup metadata (ConsumerProtocolSubscription). Only the
// version-0 prefix is read, which every later version starts with, as Kafka's coordinator does.

/** The subscribed topics, or null when the metadata does not follow the consumer protocol. */
export function subscribedTopics(metadata: Buffer): string[] | null {
  let pos = 0;
  const has = (n: number): boolean => n >= 0 && pos + n <= metadata.length;
  if (!has(2) || metadata.readInt16BE(pos) < 0) return null;
  pos += 2;
  if (!has(4)) return null;
  const count = metadata.readInt32BE(pos);
  pos += 4;
  if (count < 0) return null;
  const topics: string[] = [];
  for (let i = 0; i < count; i++) {
    if (!has(2)) return null;
    const length = metadata.readInt16BE(pos);
    pos += 2;
    if (!has(length)) return null;
    topics.push(metadata.toString('utf8', pos, pos + length));
    pos += length;
  }
  // User data (nullable bytes) closes the version-0 layout; a truncated one is malformed.
  if (!has(4)) return null;
  const userDataLength = metadata.readInt32BE(pos);
  pos += 4;
  if (userDataLength >= 0 && !has(userDataLength)) return null;
  return topics;
}
