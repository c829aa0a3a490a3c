// The metrics table the perf tools print with --print-metrics, in Kafka's ToolsUtils.printMetrics
// layout: a "Metric Name   Value" header, then "group:name:{tags} : value" rows sorted by name,
// the names padded to the longest, doubles with three decimals.

import { javaFixed } from './java-format';

export interface Metric {
  group: string;
  name: string;
  tags: Record<string, string>;
  /** A double prints as %.3f, an integer as it is. */
  value: number;
  isDouble: boolean;
}

export function formatMetrics(metrics: readonly Metric[]): string {
  if (metrics.length === 0) return '';
  const rows = metrics
    .map((m) => {
      const tags = `{${Object.entries(m.tags)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}}`;
      return [`${m.group}:${m.name}:${tags}`, m.isDouble ? javaFixed(m.value, 3) : String(m.value)] as const;
    })
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const width = Math.max(...rows.map((r) => r[0].length));
  const lines = [`\n${'Metric Name'.padEnd(width)}   Value`, ...rows.map(([name, value]) => `${name.padEnd(width)} : ${value}`)];
  return `${lines.join('\n')}\n`;
}
