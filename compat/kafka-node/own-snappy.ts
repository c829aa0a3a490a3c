// kafka-node loads snappy through the `optional` package, which sits at the top of node_modules and
// so resolves the broker's own snappy 7 (promise API): kafka-node's callbacks never fire. This points
// that resolution at kafka-node's own snappy 6 (callback API), as kafka-node alone would get it.

export function useOwnSnappy(kafkaNodeDir: string): void {
  const hoisted = require.resolve('snappy');
  const own = require.resolve('snappy', { paths: [kafkaNodeDir] });
  if (own === hoisted) return;
  require(own);
  require.cache[hoisted] = require.cache[own];
}
