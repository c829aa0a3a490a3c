// The partition of an internal topic that holds a key, as Kafka computes it.
import { javaStringHashCode, partitionForKey } from '../../src/coordinator/key-partition';

describe('partition of a key', () => {
  it("hashes like Java's String.hashCode", () => {
    expect(javaStringHashCode('')).toBe(0);
    expect(javaStringHashCode('a')).toBe(97);
    expect(javaStringHashCode('hello')).toBe(99162322);
    expect(javaStringHashCode('Aa')).toBe(javaStringHashCode('BB'));
    expect(javaStringHashCode('polygenelubricants')).toBe(-2147483648);
    // Over UTF-16 code units: a surrogate pair is two of them, 0xD83D * 31 + 0xDE00.
    expect(javaStringHashCode('\u{1F600}')).toBe(0xd83d * 31 + 0xde00);
  });

  it('is abs(hashCode) % partitions, with abs(Integer.MIN_VALUE) = 0', () => {
    expect(partitionForKey('', 50)).toBe(0);
    expect(partitionForKey('hello', 50)).toBe(99162322 % 50);
    expect(partitionForKey('polygenelubricants', 50)).toBe(0);
    expect(partitionForKey('polygenelubricants', 7)).toBe(0);
    const negative = 'my-group';
    expect(javaStringHashCode(negative)).toBeLessThan(0);
    expect(partitionForKey(negative, 50)).toBe(Math.abs(javaStringHashCode(negative)) % 50);
  });
});
