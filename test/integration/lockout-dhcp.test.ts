import { AssociateDhcpOptionsCommand, CreateDhcpOptionsCommand } from '@aws-sdk/client-ec2';
import { createCluster, createVpc, type SandboxVpc } from '../../functions/cli/sandbox';
import { processEvent } from '../../functions/guard/process-event';
import { auditRecords, createWorld, endpointOf, sampleEvent, type World } from './support';

/** The lockout guard's DHCP options check against the emulator's EC2. */
const POLICY = { version: 1, mode: 'enforce', publicAccess: 'disabled', privateAccess: 'required' };

let world: World;
let vpc: SandboxVpc;

async function useDnsServers(servers: string[]): Promise<string> {
  const { DhcpOptions } = await world.clients.ec2.send(
    new CreateDhcpOptionsCommand({ DhcpConfigurations: [{ Key: 'domain-name-servers', Values: servers }] }),
  );
  const id = DhcpOptions?.DhcpOptionsId ?? '';
  await world.clients.ec2.send(new AssociateDhcpOptionsCommand({ DhcpOptionsId: id, VpcId: vpc.vpcId }));
  return id;
}

beforeAll(async () => {
  world = await createWorld('dhcp', POLICY);
  vpc = await createVpc(world.clients.ec2, '10.7', true);
});

beforeEach(async () => {
  await world.inbox.drain();
});

describe('lockout guard: DHCP options, against the emulator', () => {
  test('custom DNS servers without AmazonProvidedDNS block turning public off, with the fix', async () => {
    // Prepare
    const dopt = await useDnsServers(['10.7.0.53', '10.7.1.53']);
    const cluster = world.name('corp-dns');
    await createCluster(world.clients.eks, { name: cluster, vpc });
    const { ports, options } = world.guard();

    // Act
    const { results } = await processEvent(
      sampleEvent('update-config-open-world.json', cluster),
      ports,
      options,
    );

    // Assess
    expect(results.map((r) => r.outcome)).toEqual(['blocked']);
    expect(results[0]?.fix).toContain(
      `the DHCP options ${dopt} of ${vpc.vpcId} hand out only 10.7.0.53, 10.7.1.53`,
    );
    expect(await endpointOf(world, cluster)).toMatchObject({ publicAccess: true });
    const alerts = await world.inbox.drain();
    expect(alerts[0]?.text).toContain('aws ec2 create-dhcp-options');
    expect((await auditRecords(world, cluster)).map((r) => r.outcome)).toEqual(['blocked']);
  });

  test('DHCP options that include AmazonProvidedDNS let the change through', async () => {
    // Prepare
    await useDnsServers(['AmazonProvidedDNS', '10.7.0.53']);
    const cluster = world.name('amazon-dns');
    await createCluster(world.clients.eks, { name: cluster, vpc });
    const { ports, options } = world.guard();

    // Act
    const { results } = await processEvent(
      sampleEvent('update-config-open-world.json', cluster),
      ports,
      options,
    );

    // Assess
    expect(results.map((r) => r.outcome)).toEqual(['remediated']);
    expect(await endpointOf(world, cluster)).toMatchObject({ publicAccess: false, privateAccess: true });
  });
});
