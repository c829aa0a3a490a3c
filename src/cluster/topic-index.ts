// Topics by name and by id: the read side every topic store offers the broker.

import { TopicView } from './cluster';
import { TopicInfo } from './topic';

export class TopicIndex implements TopicView {
  private readonly byName = new Map<string, TopicInfo>();
  private readonly byId = new Map<string, TopicInfo>();

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
    this.delete(topic.name);
    this.byName.set(topic.name, topic);
    this.byId.set(topic.id, topic);
  }

  delete(name: string): void {
    const old = this.byName.get(name);
    if (!old) return;
    this.byName.delete(name);
    if (this.byId.get(old.id) === old) this.byId.delete(old.id);
  }
}
