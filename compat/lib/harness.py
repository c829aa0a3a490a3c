"""Drives one Python client run, as compat/lib/harness.ts does for TypeScript clients.

Parses the runner's arguments (compat/lib/protocol.ts), runs each asked scenario in a thread with
a time limit, and prints one JSON result line per scenario. The test data mirrors compat/lib/data.ts.
"""
import json
import os
import re
import sys
import threading
import time

MESSAGE_MAX_BYTES = 1048588
NEAR_MAX_VALUE_BYTES = MESSAGE_MAX_BYTES - 200
OVER_MAX_VALUE_BYTES = MESSAGE_MAX_BYTES
CLIENT_SIZE_LIMIT = 4 * 1024 * 1024
BATCH_SIZE = 200
MID_BATCH_COUNT = 10
MID_BATCH_OFFSET = 5
CLUSTER_PARTITIONS = 6
CLUSTER_REPLICATION = 3
ROUTING_PER_PARTITION = 10
SENT_BEFORE_KILL = 50
ACKED_AFTER_KILL = 100
RETRY_RECORDS = 12
TXN_RECORDS = 5
EOS_INPUT = 20
EOS_FIRST = 10
EOS_ABORTED = 5
KILL_REQUEST = '{"request":"kill-broker"}'
GROWN_PARTITIONS = 3
DELETE_RECORDS_COUNT = 10
DELETE_BEFORE_OFFSET = 4
INTER_BROKER_PROTOCOL_VERSION = '3.9-IV0'
BROKER_DEFAULT_NAME = 'background.threads'
BROKER_DEFAULT_VALUE = '12'
CLUSTER_RETENTION_MS = '7654321'
CLUSTER_GROWN_PARTITIONS = CLUSTER_PARTITIONS + 1
COMPACT_KEYS = 20
COMPACT_ROUNDS = 3
TOMBSTONE_KEY = 'key-0'
ROLL_KEY = 'roll'
COMPACT_TOPIC_CONFIGS = {'cleanup.policy': 'compact', 'segment.ms': '100', 'min.cleanable.dirty.ratio': '0.01',
                         'delete.retention.ms': '100', 'segment.bytes': '1024'}
COMPACTION_WAIT = 40.0


def txn_values(t):
    """The values transactional-producer writes in transaction t (0, 1, 2); transaction 1 is aborted."""
    return ['%s-%d-%d' % ('aborted' if t == 1 else 'committed', t, i) for i in range(TXN_RECORDS)]


def eos_input(i):
    return 'in-%d' % i


def eos_transform(value):
    """The transformation: what consume-transform-produce writes for an input value."""
    return 'out-' + value[len('in-'):]


def compaction_records():
    """compaction's (key, value) pairs in send order: the rounds, then the tombstone (value None)."""
    rounds = [('key-%d' % i, '%d-key-%d' % (r, i)) for r in range(COMPACT_ROUNDS) for i in range(COMPACT_KEYS)]
    return rounds + [(TOMBSTONE_KEY, None)]


def compaction_problem(records):
    """Why (key, value) pairs read from the earliest offset are not the compacted log yet (None once
    they are); compactionProblem in compat/lib/compaction.ts is the twin. ROLL_KEY records are ignored."""
    by_key = {}
    for key, value in records:
        if key != ROLL_KEY:
            by_key.setdefault(key, []).append(value)
    problems = []
    duplicated = [(k, len(v)) for k, v in by_key.items() if len(v) > 1]
    if duplicated:
        problems.append('duplicates still present: %d keys with more than one record (%s)' % (
            len(duplicated), ', '.join('%s x%d' % d for d in duplicated[:3])))
    if TOMBSTONE_KEY in by_key:
        problems.append('tombstoned %s still present (%d records)' % (TOMBSTONE_KEY, len(by_key[TOMBSTONE_KEY])))
    wrong = []
    for i in range(COMPACT_KEYS):
        key = 'key-%d' % i
        if key == TOMBSTONE_KEY:
            continue
        if key not in by_key:
            wrong.append('%s missing' % key)
        elif by_key[key][-1] != '%d-%s' % (COMPACT_ROUNDS - 1, key):
            wrong.append('%s=%s' % (key, by_key[key][-1]))
    if wrong:
        problems.append('wrong latest values: %s' % ', '.join(wrong[:3]))
    known = {'key-%d' % i for i in range(COMPACT_KEYS)}
    unknown = [k for k in by_key if k not in known]
    if unknown:
        problems.append('unexpected keys %s' % ', '.join(map(str, unknown[:3])))
    return '%d records read: %s' % (len(records), '; '.join(problems)) if problems else None


def await_compaction(roll, read_all):
    """Produces a ROLL_KEY record (roll()) and reads the partition (read_all() -> (key, value) pairs)
    again and again until compaction_problem finds nothing or COMPACTION_WAIT passes."""
    started = time.time()
    rolls = 0
    while True:
        roll()
        rolls += 1
        records = read_all()
        problem = compaction_problem(records)
        if problem is None:
            return 'compacted after %d ms and %d roll records: %d records read' % (
                (time.time() - started) * 1000, rolls, len(records))
        if time.time() - started > COMPACTION_WAIT:
            raise AssertionError('not compacted after %d s: %s' % (COMPACTION_WAIT, problem))
        time.sleep(0.1)


def sample_records(n=BATCH_SIZE):
    """(key, value) pairs, compressible but not uniform."""
    return [('k%d' % i, 'value-%d-%s' % (i, 'abcdefgh'[i % 8] * (i % 97))) for i in range(n)]


# The security rows (compat/lib/security.ts is the twin): the secured broker arrives as JSON in COMPAT_SECURITY.
SECURE_RECORDS = 5
REFUSAL_WAIT = 15.0
AUTHENTICATION_FAILED = re.compile(r'authenticat|Invalid username or password|SASL_AUTHENTICATION_FAILED', re.I)
TOPIC_DENIED = re.compile(r'TOPIC_AUTHORIZATION_FAILED|Topic authorization failed|TopicAuthorizationFailed|'
                          r'Not authorized to access topics', re.I)


def security():
    raw = os.environ.get('COMPAT_SECURITY')
    if not raw:
        raise AssertionError('the runner gave no secured broker (COMPAT_SECURITY)')
    return json.loads(raw)


def secure_values(tag):
    return ['%s-%d' % (tag, i) for i in range(SECURE_RECORDS)]


def wrong_password(account):
    return account['password'] + '-wrong'


def rdkafka_tls(s, client_certificate=False):
    """librdkafka's properties for TLS to the secured broker: the CA, host name verification, the
    client certificate when asked."""
    conf = {'security.protocol': 'ssl', 'ssl.ca.location': s['caFile'], 'ssl.endpoint.identification.algorithm': 'https'}
    if client_certificate:
        conf.update({'ssl.certificate.location': s['clientCertFile'], 'ssl.key.location': s['clientKeyFile']})
    return conf


def rdkafka_sasl_plaintext(mechanism, account, password=None):
    """librdkafka's properties for SASL_PLAINTEXT as account with mechanism."""
    return {'security.protocol': 'sasl_plaintext', 'sasl.mechanisms': mechanism, 'sasl.username': account['user'],
            'sasl.password': password if password is not None else account['password']}


def rdkafka_sasl(s, mechanism, account, password=None):
    """The same over SASL_SSL."""
    return dict(rdkafka_tls(s), **dict(rdkafka_sasl_plaintext(mechanism, account, password),
                                       **{'security.protocol': 'sasl_ssl'}))


def expect_refusal(what, attempt, expected=None, silence=False):
    """Runs attempt(), which must be refused, and returns how (its error). A success fails the scenario,
    and so does an error expected (a regex) does not match. With silence, an attempt that neither
    succeeds nor fails within REFUSAL_WAIT counts as refused, and the detail says so."""
    outcome = {}

    def body():
        try:
            attempt()
            outcome['r'] = 'succeeded'
        except Exception as e:  # the refusal itself
            outcome['r'] = error_text(e)

    worker = threading.Thread(target=body, daemon=True)
    worker.start()
    worker.join(REFUSAL_WAIT)
    r = outcome.get('r')
    if r == 'succeeded':
        raise AssertionError('%s: succeeded, but should have been refused' % what)
    if r is None:
        if not silence:
            raise AssertionError('%s: no answer within %d s, neither a success nor a refusal' % (what, REFUSAL_WAIT))
        return '%s: no success within %d s' % (what, REFUSAL_WAIT)
    if expected is not None and not expected.search(r):
        raise AssertionError('%s: refused, but not as expected (%s): %s' % (what, expected.pattern, r))
    return '%s: %s' % (what, r[:200])


class NotApplicable(Exception):
    """Raised by a scenario that finds at run time that this client cannot express it."""


class Context:
    def __init__(self, client, bootstrap, run_id, scenario):
        self.bootstrap = bootstrap
        self._prefix = 'compat.%s.%s.%s' % (client, run_id, scenario)
        self._tag = '[%s %s] ' % (client, scenario)

    def name(self, suffix=None):
        """A name unique to this client, run and scenario."""
        return self._prefix + ('.' + suffix if suffix else '')

    def log(self, message):
        sys.stderr.write(self._tag + message + '\n')

    def flaky_bootstrap(self):
        """idempotent-retry: a bootstrap behind a proxy that loses Produce responses."""
        bootstrap = os.environ.get('COMPAT_FLAKY_BOOTSTRAP')
        if not bootstrap:
            raise AssertionError('the runner gave no flaky-proxy bootstrap (COMPAT_FLAKY_BOOTSTRAP)')
        return bootstrap

    def kill_broker(self):
        """Cluster scenarios: has the runner kill -9 a broker leading partitions; says which."""
        sys.stdout.write(KILL_REQUEST + '\n')
        sys.stdout.flush()
        answer = json.loads(sys.stdin.readline())
        if 'error' in answer:
            raise AssertionError('the runner killed no broker: %s' % answer['error'])
        return answer['killed']


def check(cond, message):
    if not cond:
        raise AssertionError(message)


def check_equal(actual, expected, what):
    if actual != expected:
        raise AssertionError('%s: got %s, want %s' % (what, _show(actual), _show(expected)))


def _show(v):
    s = repr(v)
    return s if len(s) <= 300 else s[:300] + '...'


def wait_for(what, cond, timeout=30.0):
    """Polls a condition (offsets reached, group stable) until it holds or the limit passes."""
    deadline = time.time() + timeout
    while not cond():
        if time.time() > deadline:
            raise AssertionError('timed out waiting for %s' % what)
        time.sleep(0.05)


class ThroughKill:
    """What produce_through_kill saw: keys acknowledged in order, failed sends, the broker killed and
    how many records were acknowledged when the kill was answered."""

    def __init__(self, acked, failed, killed, acked_before, longest_stall_ms):
        self.acked, self.failed, self.killed, self.acked_before = acked, failed, killed, acked_before
        self.longest_stall_ms = longest_stall_ms

    def detail(self, reads):
        """The PASS detail of cluster-broker-killed, given how many records were read back."""
        return 'killed %s after %d acks; %d acked (%d sends failed), all read back (%d extra reads)' % (
            self.killed, self.acked_before, len(self.acked), self.failed, reads - len(self.acked))

    def exactly_once_detail(self, reads):
        """cluster-idempotent-leader-killed (exactlyOnceDetail in broker-killed.ts is the twin): reads
        are 'partition/key' in read order; every acked record read once, none twice, in send order."""
        counts, last = {}, {}
        for read in reads:
            partition, key = read.split('/')
            counts[key] = counts.get(key, 0) + 1
            index = int(key[1:])
            if last.get(partition, -1) >= index:
                raise AssertionError('partition %s holds %s after r%d: out of send order' % (partition, key, last[partition]))
            last[partition] = index
        twice = [k for k, n in counts.items() if n > 1]
        if twice:
            raise AssertionError('%d records stored more than once (%s)' % (len(twice), ', '.join(twice[:5])))
        missing = [k for k in self.acked if k not in counts]
        if missing:
            raise AssertionError('%d acknowledged records missing (%s)' % (len(missing), ', '.join(missing[:5])))
        return ('killed %s after %d acks; %d acked (%d sends failed, %d of them stored), %d read back, 0 duplicates, '
                '0 missing, in send order; longest stall %d ms') % (
            self.killed, self.acked_before, len(self.acked), self.failed, len(counts) - len(self.acked), len(reads),
            self.longest_stall_ms)


def produce_through_kill(ctx, send):
    """cluster-broker-killed's produce loop (compat/lib/broker-killed.ts is the TypeScript twin).

    Sends records r0, r1, ... one at a time: send(key) returns once the record is acknowledged and
    raises when the send failed (counted and logged, then the loop goes on). After SENT_BEFORE_KILL
    sends it asks the runner to kill a broker, once, from a thread so the loop keeps producing while
    the answer comes, and stops once ACKED_AFTER_KILL more records were acknowledged after it.
    """
    acked, failed, killed = [], 0, {}
    last_ack, longest_stall = time.time(), 0.0

    def kill():
        try:
            which = ctx.kill_broker()
            killed.update(which=which, acked_before=len(acked))
        except Exception as e:
            killed['error'] = e

    i = 0
    while 'which' not in killed or len(acked) < killed['acked_before'] + ACKED_AFTER_KILL:
        if 'error' in killed:
            raise killed['error']
        if i == SENT_BEFORE_KILL:
            threading.Thread(target=kill, daemon=True).start()
        key = 'r%d' % i
        try:
            send(key)
            acked.append(key)
            longest_stall = max(longest_stall, time.time() - last_ack)
            last_ack = time.time()
        except Exception as e:
            failed += 1
            ctx.log('send %s failed: %s' % (key, error_text(e)))
        i += 1
    return ThroughKill(acked, failed, killed['which'], killed['acked_before'], int(longest_stall * 1000))


def _args(argv):
    def get(flag):
        return argv[argv.index(flag) + 1]
    return {'client': get('--client'), 'bootstrap': get('--bootstrap'), 'run_id': get('--run-id'),
            'phase': get('--phase'), 'scenarios': [s for s in get('--scenarios').split(',') if s]}


def error_text(err):
    return ('%s: %s' % (type(err).__name__, err))[:600]


def run_client(main, after_restart=None, timeout=60.0):
    """main/after_restart map scenario ids to functions of a Context returning an optional detail."""
    args = _args(sys.argv[1:])
    table = main if args['phase'] == 'main' else (after_restart or {})
    for scenario in args['scenarios']:
        fn = table.get(scenario)
        if fn is None:
            _emit(scenario, 'FAIL', 'no implementation for phase %s' % args['phase'])
            continue
        ctx = Context(args['client'], args['bootstrap'], args['run_id'], scenario)
        outcome = {}

        def body():
            started = time.time()
            try:
                detail = fn(ctx)
                outcome['r'] = ('PASS', detail or '%d ms' % ((time.time() - started) * 1000))
            except NotApplicable as e:
                outcome['r'] = ('N/A', str(e))
            except Exception as e:  # any failure of the client is the scenario's result
                outcome['r'] = ('FAIL', error_text(e))

        worker = threading.Thread(target=body, daemon=True)
        worker.start()
        worker.join(timeout)
        status, detail = outcome.get('r', ('FAIL', 'timed out after %ds' % timeout))
        _emit(scenario, status, detail)
    sys.stdout.flush()
    # A timed-out scenario's thread and the clients' own threads must not keep the run alive.
    os._exit(0)


def _emit(scenario, status, detail):
    sys.stdout.write(json.dumps({'scenario': scenario, 'status': status, 'detail': str(detail)}) + '\n')
    sys.stdout.flush()
