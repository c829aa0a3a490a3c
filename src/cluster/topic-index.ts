// Topics by name and by id: the read side every topic store offers the broker. Each replacement
// is recorded, so the cluster view can tell what changed.

import type { TopicView } from './cluster';
import { DeltaRecorder } from './cluster-delta';
import { TopicInfo } from './topic';

export class TopicIndex implements TopicView {
  private readonly byName = new Map<string, TopicInfo>();
  private readonly byId = new Map<string, TopicInfo>();
  readonly changes = new DeltaRecorder();

  list(): TopicInfo[] {
    return [...this.byName.values()];
  }

  get(name: string): TopicInfo | undefined {
    return this.byName.get(name);
  }

  getById(id: string): TopicInfo | undefined {
    return this.byId.get(id);
  }

  /** Adds or replaces the topic of that name. */
  set(topic: TopicInfo): void {
    const old = this.byName.get(topic.name);
    this.unindex(topic.name);
    this.changes.topicChanged(topic.name, old, topic);
    this.byName.set(topic.name, topic);
    this.byId.set(topic.id, topic);
  }

  delete(name: string): void {
    const old = this.byName.get(name);
    if (!old) return;
    this.changes.topicChanged(name, old, undefined);
    this.unindex(name);
  }

  private unindex(name: string): void {
    const old = this.byName.get(name);
    if (!old) return;
    this.byName.delete(name);
    if (this.byId.get(old.id) === old) this.byId.delete(old.id);
  }
}
