import { dataCodecFor } from '../../protocol/codec/api-codec';
import { Reader } from '../../protocol/codec/reader';
import { Writer } from '../../protocol/codec/writer';
import { GroupMetadataKey, GroupMetadataValue, OffsetCommitKey, OffsetCommitValue } from '../../protocol/internal/consumer-offsets';
import { DataSpec } from '../../protocol/spec';
import {
  OFFSETS_TOPIC,
  decodeOffsetsTopicRecord,
  groupMetadataRecord,
  offsetCommitRecord,
} from '../../src/groups/offsets-topic';
import { CommittedOffset, GroupSnapshot } from '../../src/groups/types';

const T = 1_700_000_000_000; // 00 00 01 8b cf e5 68 00

function hex(s: string): Buffer {
  return Buffer.from(s.replace(/\s+/g, ''), 'hex');
}

/** [version int16][struct], as the codec writes one version of a schema. */
function versioned(spec: DataSpec, version: number, body: object): Buffer {
  const w = new Writer();
  w.int16(version);
  dataCodecFor(spec, version).encode(w, body);
  return w.toBuffer();
}

function versions(spec: DataSpec): number[] {
  const out: number[] = [];
  for (let v = spec.validVersions.min; v <= spec.validVersions.max; v++) out.push(v);
  return out;
}

const committed: CommittedOffset = { offset: 100, leaderEpoch: 5, metadata: 'm', commitTimestamp: T, expireTimestamp: -1 };

const snapshot: GroupSnapshot = {
  groupId: 'g',
  protocolType: 'consumer',
  generationId: 1,
  protocolName: 'range',
  leaderId: 'm1',
  currentStateTimestamp: T,
  members: [
    {
      memberId: 'm1',
      groupInstanceId: null,
      clientId: 'c',
      clientHost: '/h',
      rebalanceTimeoutMs: 300000,
      sessionTimeoutMs: 45000,
      subscription: Buffer.from([1, 2]),
      assignment: Buffer.from([3]),
    },
  ],
};

describe('offsets topic', () => {
  it('is the topic name Kafka uses', () => {
    expect(OFFSETS_TOPIC).toBe('__consumer_offsets');
  });
});

describe('golden bytes', () => {
  it('OffsetCommitKey v1', () => {
    const { key } = offsetCommitRecord('g', 't', 1, committed);
    expect(key).toEqual(hex('0001  0001 67  0001 74  00000001'));
  });

  it('OffsetCommitValue v3 (no expire timestamp)', () => {
    const { value } = offsetCommitRecord('g', 't', 1, committed);
    expect(value).toEqual(hex('0003  0000000000000064  00000005  0001 6d  0000018bcfe56800'));
  });

  it('OffsetCommitValue v1 when an expire timestamp is set', () => {
    const { value } = offsetCommitRecord('g', 't', 1, { ...committed, expireTimestamp: T + 1 });
    expect(value).toEqual(hex('0001  0000000000000064  0001 6d  0000018bcfe56800  0000018bcfe56801'));
  });

  it('GroupMetadataKey v2', () => {
    expect(groupMetadataRecord('g', snapshot).key).toEqual(hex('0002  0001 67'));
  });

  it('GroupMetadataValue v3', () => {
    const expected = hex(
      '0003' +
        '0008 636f6e73756d6572' + // protocolType "consumer"
        '00000001' + // generation
        '0005 72616e6765' + // protocol "range"
        '0002 6d31' + // leader "m1"
        '0000018bcfe56800' + // currentStateTimestamp
        '00000001' + // one member
        '0002 6d31' + // memberId
        'ffff' + // groupInstanceId null
        '0001 63' + // clientId "c"
        '0002 2f68' + // clientHost "/h"
        '000493e0' + // rebalanceTimeout 300000
        '0000afc8' + // sessionTimeout 45000
        '00000002 0102' + // subscription
        '00000001 03', // assignment
    );
    expect(groupMetadataRecord('g', snapshot).value).toEqual(expected);
  });

  it('GroupMetadataValue v3 of an Empty group: null protocol and leader, no members', () => {
    const empty: GroupSnapshot = { ...snapshot, protocolName: null, leaderId: null, generationId: 2, members: [] };
    expect(groupMetadataRecord('g', empty).value).toEqual(
      hex('0003  0008 636f6e73756d6572  00000002  ffff  ffff  0000018bcfe56800  00000000'),
    );
  });
});

describe('tombstones', () => {
  it('have the key and a null value', () => {
    const offset = offsetCommitRecord('g', 't', 1, null);
    expect(offset.value).toBeNull();
    expect(decodeOffsetsTopicRecord(offset.key, null)).toEqual({ type: 'offset', groupId: 'g', topic: 't', partition: 1, committed: null });
    const group = groupMetadataRecord('g', null);
    expect(group.value).toBeNull();
    expect(decodeOffsetsTopicRecord(group.key, null)).toEqual({ type: 'group', groupId: 'g', snapshot: null });
  });
});

describe('round trips through our encoders', () => {
  it('offset commits, with and without an expire timestamp', () => {
    for (const c of [committed, { ...committed, metadata: '', leaderEpoch: -1 }, { ...committed, expireTimestamp: T + 5 }]) {
      const { key, value } = offsetCommitRecord('group-é', 'topic.x', 7, c);
      const back = decodeOffsetsTopicRecord(key, value);
      // v1 has no leader epoch: it reads back as -1.
      const leaderEpoch = c.expireTimestamp === -1 ? c.leaderEpoch : -1;
      expect(back).toEqual({ type: 'offset', groupId: 'group-é', topic: 'topic.x', partition: 7, committed: { ...c, leaderEpoch } });
    }
  });

  it('group metadata, with static members', () => {
    const s: GroupSnapshot = {
      ...snapshot,
      members: [...snapshot.members, { ...snapshot.members[0], memberId: 'm2', groupInstanceId: 'instance-2' }],
    };
    expect(decodeOffsetsTopicRecord(groupMetadataRecord('g', s).key, groupMetadataRecord('g', s).value)).toEqual({
      type: 'group',
      groupId: 'g',
      snapshot: s,
    });
  });

  it('refuses a group with members but no protocol, as Kafka does', () => {
    expect(() => groupMetadataRecord('g', { ...snapshot, protocolName: null })).toThrow(/no protocol/);
  });
});

describe('every version of the four schemas', () => {
  const ocKey = { group: 'g1', topic: 't1', partition: 3 };
  const ocValue = { offset: 42n, leaderEpoch: 9, metadata: 'meta', commitTimestamp: BigInt(T), expireTimestamp: BigInt(T + 10) };
  const member = {
    memberId: 'm',
    groupInstanceId: 'i',
    clientId: 'c',
    clientHost: '/127.0.0.1',
    rebalanceTimeout: 60000,
    sessionTimeout: 10000,
    subscription: Buffer.from('sub'),
    assignment: Buffer.from('asg'),
  };
  const gmValue = { protocolType: 'consumer', generation: 4, protocol: 'range', leader: 'm', currentStateTimestamp: BigInt(T), members: [member] };

  it('codec round trips keep the fields of each version and default the rest', () => {
    for (const v of versions(OffsetCommitKey)) {
      expect(dataCodecFor(OffsetCommitKey, v).decode(new Reader(versioned(OffsetCommitKey, v, ocKey), 2))).toEqual(ocKey);
    }
    expect(dataCodecFor(GroupMetadataKey, 2).decode(new Reader(versioned(GroupMetadataKey, 2, { group: 'g1' }), 2))).toEqual({ group: 'g1' });
    for (const v of versions(OffsetCommitValue)) {
      const back = dataCodecFor(OffsetCommitValue, v).decode(new Reader(versioned(OffsetCommitValue, v, ocValue), 2));
      expect(back).toEqual({
        ...ocValue,
        leaderEpoch: v >= 3 ? 9 : -1,
        expireTimestamp: v === 1 ? BigInt(T + 10) : -1n,
      });
    }
    for (const v of versions(GroupMetadataValue)) {
      const back = dataCodecFor(GroupMetadataValue, v).decode(new Reader(versioned(GroupMetadataValue, v, gmValue), 2));
      expect(back).toEqual({
        ...gmValue,
        currentStateTimestamp: v >= 2 ? BigInt(T) : -1n,
        members: [{ ...member, groupInstanceId: v >= 3 ? 'i' : null, rebalanceTimeout: v >= 1 ? 60000 : -1 }],
      });
    }
  });

  it('the record decoder reads every key and value version', () => {
    for (const kv of versions(OffsetCommitKey)) {
      for (const vv of versions(OffsetCommitValue)) {
        const rec = decodeOffsetsTopicRecord(versioned(OffsetCommitKey, kv, ocKey), versioned(OffsetCommitValue, vv, ocValue));
        expect(rec).toEqual({
          type: 'offset',
          groupId: 'g1',
          topic: 't1',
          partition: 3,
          committed: {
            offset: 42,
            leaderEpoch: vv >= 3 ? 9 : -1,
            metadata: 'meta',
            commitTimestamp: T,
            expireTimestamp: vv === 1 ? T + 10 : -1,
          },
        });
      }
    }
    for (const vv of versions(GroupMetadataValue)) {
      const rec = decodeOffsetsTopicRecord(versioned(GroupMetadataKey, 2, { group: 'g1' }), versioned(GroupMetadataValue, vv, gmValue));
      expect(rec).toEqual({
        type: 'group',
        groupId: 'g1',
        snapshot: {
          groupId: 'g1',
          protocolType: 'consumer',
          generationId: 4,
          protocolName: 'range',
          leaderId: 'm',
          currentStateTimestamp: vv >= 2 ? T : -1,
          members: [
            {
              memberId: 'm',
              groupInstanceId: vv >= 3 ? 'i' : null,
              clientId: 'c',
              clientHost: '/127.0.0.1',
              // v0 has no rebalance timeout: it reads as the session timeout.
              rebalanceTimeoutMs: vv === 0 ? 10000 : 60000,
              sessionTimeoutMs: 10000,
              subscription: Buffer.from('sub'),
              assignment: Buffer.from('asg'),
            },
          ],
        },
      });
    }
  });

  it('flexible v4 values use compact strings and tagged fields', () => {
    expect(versioned(OffsetCommitValue, 4, { offset: 1n, metadata: '', commitTimestamp: 2n })).toEqual(
      hex('0004  0000000000000001  ffffffff  01  0000000000000002  00'),
    );
  });
});

describe('decoding defensively', () => {
  it('ignores keys of other record types', () => {
    // Key version 3 is the new group coordinator's ConsumerGroupMetadataKey.
    expect(decodeOffsetsTopicRecord(hex('0003 0001 67'), hex('0000'))).toBeNull();
    expect(decodeOffsetsTopicRecord(hex('ffff'), null)).toBeNull();
  });

  it('throws on malformed keys and values', () => {
    const { key, value } = offsetCommitRecord('g', 't', 1, committed);
    expect(() => decodeOffsetsTopicRecord(hex('00'), null)).toThrow();
    expect(() => decodeOffsetsTopicRecord(key.subarray(0, key.length - 1), null)).toThrow();
    expect(() => decodeOffsetsTopicRecord(key, value!.subarray(0, value!.length - 1))).toThrow();
    expect(() => decodeOffsetsTopicRecord(key, hex('0005 0000000000000001'))).toThrow(/unknown OffsetCommitValue version 5/);
    const group = groupMetadataRecord('g', snapshot);
    expect(() => decodeOffsetsTopicRecord(group.key, hex('0005'))).toThrow(/unknown GroupMetadataValue version 5/);
    expect(() => decodeOffsetsTopicRecord(group.key, group.value!.subarray(0, 20))).toThrow();
  });
});
