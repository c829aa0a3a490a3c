// The outcome of a produce or consume load. MB are MiB of record values (the payload a client asked
// to send), as Kafka's perf tools count them, so produce and consume figures compare directly.

import { MIB } from '../measure/memory';
import { Percentiles } from '../measure/latency';

export interface Throughput {
  seconds: number;
  records: number;
  mbPerSec: number;
  recordsPerSec: number;
  /** Request round trips, when measured. */
  latency?: Percentiles;
}

export function throughput(seconds: number, records: number, recordBytes: number, latency?: Percentiles): Throughput {
  return { seconds, records, mbPerSec: (records * recordBytes) / MIB / seconds, recordsPerSec: records / seconds, latency };
}
