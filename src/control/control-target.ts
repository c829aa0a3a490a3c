// What the control plane acts on: one broker as seen by whatever owns its life (the process that
// runs it, or a slot of an embedded cluster), so that the same control listener can take the broker
// down and bring it up again, and its controls outlive each start of the broker.

import type { ControllableClock } from '../clock';
import type { BrokerControls } from './broker-controls';

export type DownMode = 'kill' | 'stop';

/** A control this broker cannot apply now (it is down, not the controller...): an HTTP 409. */
export class ControlConflict extends Error {}

export interface ControlTarget {
  readonly brokerId: number;
  readonly controls: BrokerControls;
  /** The clock time can be advanced on, when the broker was started on one. */
  readonly clock: ControllableClock | null;
  readonly running: boolean;
  /** Takes the broker down: 'kill' as kill -9 would, 'stop' as a clean shutdown. */
  down(mode: DownMode): Promise<void>;
  /** Starts it again on the same ports and log dirs. */
  up(): Promise<void>;
  /** One retention pass now; the number of segments deleted. */
  enforceRetention(): number;
  /** Compacts every compacted log now, whatever its dirty ratio; the number of logs cleaned. */
  compact(): Promise<number>;
  /** Moves a partition's leader to a live ISR member, leader epoch + 1 (the controller does it). */
  moveLeader(topic: string, partition: number, brokerId: number): Promise<void>;
  /** Shrinks a partition's ISR to a subset holding the leader, leader epoch + 1 (the controller does it). */
  shrinkIsr(topic: string, partition: number, isr: readonly number[]): Promise<void>;
  /** Holds this broker, as a follower of the partition, `records` behind the leader's log end; 0 clears. */
  lagFollower(topic: string, partition: number, records: number): Promise<void>;
}
