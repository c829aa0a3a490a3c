// Runs a real Apache ZooKeeper for tests: Debian's `zookeeper` package started directly as a
// standalone server (no systemd), with a temp data dir and a free port on 127.0.0.1, and helpers
// to stop it, kill -9 it, restart it on the same port and data, and expire every session.

import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/logger';
import { ZkClient } from '../../src/zookeeper';
import { waitFor } from './wait';

// Debian's zookeeper.jar lists its dependencies in its manifest Class-Path; slf4j-simple (a
// dependency of libzookeeper-java) makes the server write its log instead of discarding it.
const SERVER_JAR = '/usr/share/java/zookeeper.jar';
const LOG_BINDING_JAR = '/usr/share/java/slf4j-simple.jar';
const MAIN_CLASS = 'org.apache.zookeeper.server.ZooKeeperServerMain';
// Session timeouts are bounded by 2 and 20 ticks: 1 s to 10 s.
const TICK_MS = 500;
const PORT_ATTEMPTS = 5;
const LOWEST_PORT = 10000;
const EPHEMERAL_RANGE_FILE = '/proc/sys/net/ipv4/ip_local_port_range';

export interface ZooKeeperServer {
  port: number;
  /** "127.0.0.1:port", a ZooKeeper connect string. */
  connect: string;
  /** Stops the server for good and removes its data dir. */
  stop(): Promise<void>;
  /** Starts the server again (stopping it first if it runs) on the same port and data dir. */
  restart(): Promise<void>;
  /** SIGKILLs the server; its data dir is kept, so restart() brings back znodes and sessions. */
  kill(): Promise<void>;
  /**
   * Expires every session, as a network partition longer than the session timeout does. Stopping
   * the server is not enough: on start it restarts the timers of the sessions it loads, and the
   * clients reconnect in time. So this restarts it on a port no client knows, waits until it has
   * expired every session (deleting their ephemeral nodes), and brings it back on its own port,
   * where clients reconnecting learn that their session is gone.
   */
  expireSessions(): Promise<void>;
}

export async function startZooKeeper(): Promise<ZooKeeperServer> {
  const classpath = resolveClasspath();
  const dir = mkdtempSync(join(tmpdir(), 'kafka-ts-zookeeper-'));
  let proc: ChildProcess | undefined;

  const stopProcess = async (signal: NodeJS.Signals): Promise<void> => {
    if (proc) await terminate(proc, signal);
    proc = undefined;
  };

  let port = 0;
  for (let attempt = 1; !proc; attempt++) {
    port = await freePort();
    try {
      proc = await launch(classpath, dir, port);
    } catch (err) {
      // Another process may have taken the port between our probe and the server's bind.
      if (!(err instanceof PortInUseError) || attempt === PORT_ATTEMPTS) {
        rmSync(dir, { recursive: true, force: true });
        throw err;
      }
    }
  }

  return {
    port,
    connect: `127.0.0.1:${port}`,
    stop: async () => {
      await stopProcess('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
    restart: async () => {
      await stopProcess('SIGTERM');
      proc = await launch(classpath, dir, port);
    },
    kill: () => stopProcess('SIGKILL'),
    expireSessions: async () => {
      await stopProcess('SIGTERM');
      const hiddenPort = await freePort();
      proc = await launch(classpath, dir, hiddenPort);
      await waitFor(
        async () => /^zk_global_sessions\s+0$/m.test(await fourLetterWord(hiddenPort, 'mntr')),
        'every session to expire',
      );
      await stopProcess('SIGTERM');
      proc = await launch(classpath, dir, port);
    },
  };
}

function resolveClasspath(): string {
  if (!existsSync(SERVER_JAR)) {
    throw new Error(`ZooKeeper not found at ${SERVER_JAR}: install the Debian package zookeeper (make system-deps)`);
  }
  return existsSync(LOG_BINDING_JAR) ? `${SERVER_JAR}:${LOG_BINDING_JAR}` : SERVER_JAR;
}

class PortInUseError extends Error {}

/** Starts the server on `port` over the data in `dir`; resolves once it serves requests. */
async function launch(classpath: string, dir: string, port: number): Promise<ChildProcess> {
  const config = join(dir, 'zoo.cfg');
  writeFileSync(
    config,
    [
      `tickTime=${TICK_MS}`,
      `dataDir=${join(dir, 'data')}`,
      `clientPort=${port}`,
      'clientPortAddress=127.0.0.1',
      'admin.enableServer=false',
      '4lw.commands.whitelist=*',
      'maxClientCnxns=0',
      // Tests need no durability against a machine crash, and fsync is slow on CI disks.
      'forceSync=no',
      '',
    ].join('\n'),
  );
  const logFile = join(dir, 'server.log');
  const log = openSync(logFile, 'a');
  const child = spawn(
    'java',
    ['-Xms32m', '-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-cp', classpath, MAIN_CLASS, config],
    { stdio: ['ignore', log, log] },
  );
  closeSync(log);
  running.add(child);
  child.once('exit', () => running.delete(child));

  try {
    await waitFor(async () => {
      if (child.exitCode !== null || child.signalCode !== null) {
        const output = readFileSync(logFile, 'utf8');
        if (output.includes('Address already in use')) throw new PortInUseError(`port ${port} is in use`);
        throw new Error(`ZooKeeper exited with ${child.exitCode ?? child.signalCode} before serving:\n${output.slice(-4000)}`);
      }
      return (await fourLetterWord(port, 'srvr').catch(() => '')).includes('Mode:');
    }, `ZooKeeper to serve on port ${port}`);
  } catch (err) {
    await terminate(child, 'SIGKILL');
    throw err;
  }
  return child;
}

async function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

// A test process that dies without stopping its servers must not leave JVMs behind.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * A free port below the kernel's ephemeral range. While the server is down (between kill() and
 * restart()) a port from that range may be handed to another process's bind(0) probe, and a client
 * reconnecting would then reach that process and wait on it.
 */
async function freePort(): Promise<number> {
  const ephemeralStart = Number(readFileSync(EPHEMERAL_RANGE_FILE, 'utf8').trim().split(/\s+/)[0]);
  const top = ephemeralStart > LOWEST_PORT + 1000 ? ephemeralStart : 65536;
  for (;;) {
    const port = LOWEST_PORT + Math.floor(Math.random() * (top - LOWEST_PORT));
    if (await canListen(port)) return port;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Sends a four-letter-word command (srvr, mntr, dump, ...) and returns the whole reply. */
function fourLetterWord(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(2000, () => socket.destroy(new Error(`no reply to ${command} on port ${port}`)));
    socket.once('connect', () => socket.write(command));
    socket.on('data', (d) => (reply += d.toString()));
    socket.once('error', reject);
    socket.once('close', () => resolve(reply));
  });
}


export interface ZooKeeperChroots {
  /** This test's chroot on the file's server, a ZooKeeper connect string. */
  readonly connect: string;
  /** A new session on this test's chroot, closed after the test. */
  session(sessionTimeoutMs?: number): Promise<ZkClient>;
}

/**
 * One real ZooKeeper for a test file and a fresh chroot per test (`<prefix>-<n>`), with sessions
 * closed after each test. Registers its own jest hooks: call it at the top of the file, before
 * hooks that close what uses those sessions.
 */
export function useZooKeeperChroots(prefix: string): ZooKeeperChroots {
  let server: ZooKeeperServer | undefined;
  let chroots = 0;
  let connect = '';
  const sessions: ZkClient[] = [];
  beforeAll(async () => {
    server = await startZooKeeper();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });
  beforeEach(() => {
    connect = `${server!.connect}/${prefix}-${++chroots}`;
  });
  afterEach(async () => {
    for (const s of sessions.splice(0)) await s.close();
  });
  return {
    get connect() {
      return connect;
    },
    async session(sessionTimeoutMs = 4000) {
      const s = await ZkClient.connect(connect, { sessionTimeoutMs, connectionTimeoutMs: 10_000, log: createLogger('test', () => undefined) });
      sessions.push(s);
      return s;
    },
  };
}
