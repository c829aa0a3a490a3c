// kafka-acls.sh against a real broker with the AclAuthorizer: adding, listing and removing ACLs
// print Kafka 3.9's blocks; without an authorizer the broker's SECURITY_DISABLED is reported;
// usage errors exit 1.

import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { runTool } from '../helpers/run-tool';

const ACL_PROPS = { 'authorizer.class.name': 'kafka.security.authorizer.AclAuthorizer', 'super.users': 'User:ANONYMOUS' };
const acls = (b: BrokerProcess, ...args: string[]) => runTool('kafka-acls', ['--bootstrap-server', b.bootstrap, ...args]);

describe('kafka-acls', () => {
  let broker: BrokerProcess | undefined;
  afterEach(async () => {
    await cleanup(broker);
    broker = undefined;
  });

  it('adds, lists and removes ACLs in Kafka 3.9 format', async () => {
    broker = await startBroker({ props: ACL_PROPS });
    const pattern = 'ResourcePattern(resourceType=TOPIC, name=orders, patternType=LITERAL)';
    const read = '(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)';
    const added = await acls(broker, '--add', '--allow-principal', 'User:alice', '--operation', 'Read', '--topic', 'orders');
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toBe(`Adding ACLs for resource \`${pattern}\`: \n \t${read} \n\nCurrent ACLs for resource \`${pattern}\`: \n \t${read} \n\n`);

    const producer = await acls(broker, '--add', '--producer', '--allow-principal', 'User:bob', '--topic', 'team-', '--resource-pattern-type', 'prefixed');
    const prefixed = 'ResourcePattern(resourceType=TOPIC, name=team-, patternType=PREFIXED)';
    const bob = (op: string) => `(principal=User:bob, host=*, operation=${op}, permissionType=ALLOW)`;
    expect(producer.stdout.split('Current ACLs')[0]).toBe(`Adding ACLs for resource \`${prefixed}\`: \n \t${bob('WRITE')}\n\t${bob('DESCRIBE')}\n\t${bob('CREATE')} \n\n`);

    const listed = await acls(broker, '--list', '--topic', 'orders');
    expect(listed.stdout).toBe(`Current ACLs for resource \`${pattern}\`: \n \t${read} \n\n`);

    const removed = await acls(broker, '--remove', '--force', '--allow-principal', 'User:alice', '--operation', 'Read', '--topic', 'orders');
    expect(removed.code).toBe(0);
    expect(removed.stdout).toBe('');
    expect((await acls(broker, '--list', '--topic', 'orders')).stdout).toBe('');
  });

  it('adds the --consumer set, lists by principal and removes after a confirmation', async () => {
    broker = await startBroker({ props: ACL_PROPS });
    const added = await acls(broker, '--add', '--consumer', '--allow-principal', 'User:carol', '--topic', 'events', '--group', 'readers');
    const topic = 'ResourcePattern(resourceType=TOPIC, name=events, patternType=LITERAL)';
    const group = 'ResourcePattern(resourceType=GROUP, name=readers, patternType=LITERAL)';
    const carol = (op: string) => `(principal=User:carol, host=*, operation=${op}, permissionType=ALLOW)`;
    expect(added.stdout.split('Current ACLs')[0]).toBe(`Adding ACLs for resource \`${topic}\`: \n \t${carol('READ')}\n\t${carol('DESCRIBE')} \n\nAdding ACLs for resource \`${group}\`: \n \t${carol('READ')} \n\n`);
    await acls(broker, '--add', '--allow-principal', 'User:dave', '--operation', 'Describe', '--group', 'readers');

    const byPrincipal = await acls(broker, '--list', '--group', 'readers', '--principal', 'User:dave');
    expect(byPrincipal.stdout).toBe(`ACLs for principal \`User:dave\`\nCurrent ACLs for resource \`${group}\`: \n \t(principal=User:dave, host=*, operation=DESCRIBE, permissionType=ALLOW) \n\n`);

    const declined = await runTool('kafka-acls', ['--bootstrap-server', broker.bootstrap, '--remove', '--group', 'readers'], { input: 'n\n' });
    expect(declined.stdout.split('\n')[0]).toBe(`Are you sure you want to delete all ACLs for resource filter \`${group}\`? (y/n)`);
    expect(declined.stdout).toContain('Current ACLs for resource');
    const confirmed = await runTool('kafka-acls', ['--bootstrap-server', broker.bootstrap, '--remove', '--group', 'readers'], { input: 'y\n' });
    expect(confirmed.stdout).toBe(`Are you sure you want to delete all ACLs for resource filter \`${group}\`? (y/n)\n`);
    expect((await acls(broker, '--list', '--topic', 'events')).stdout).toBe(`Current ACLs for resource \`${topic}\`: \n \t${carol('READ')}\n\t${carol('DESCRIBE')} \n\n`);
  });

  it('reports SECURITY_DISABLED without an authorizer, and usage errors', async () => {
    broker = await startBroker();
    const listed = await acls(broker, '--list');
    expect(listed.code).toBe(1);
    const cause = 'org.apache.kafka.common.errors.SecurityDisabledException: No Authorizer is configured on the broker';
    expect(listed.stdout).toBe(`Error while executing ACL command: ${cause}\njava.util.concurrent.ExecutionException: ${cause}\n`);

    const noAction = await acls(broker, '--topic', 't');
    expect(noAction.code).toBe(1);
    expect(noAction.stderr.split('\n')[0]).toBe('Command must include exactly one action: --list, --add, --remove. ');
    const noPrincipal = await acls(broker, '--add', '--topic', 't');
    expect(noPrincipal.stderr.split('\n')[0]).toBe('You must specify one of: --allow-principal, --deny-principal when trying to add ACLs.');
    const badOp = await acls(broker, '--add', '--allow-principal', 'User:a', '--operation', 'Write', '--group', 'g');
    expect(badOp.stderr.split('\n')[0]).toBe('ResourceType GROUP only supports operations Read, Describe, Delete, All');
  });
});
