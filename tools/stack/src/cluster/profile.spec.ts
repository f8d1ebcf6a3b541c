import { profilePostgres } from './cluster-command';
import {
  brokerList,
  ClusterProfileError,
  clusterProfile,
  isDefaultSelection,
  kafkaNode,
  kafkaNodes,
  registryDatabaseName,
  registryManagementPort,
  registryUrl,
} from './profile';

describe('clusterProfile', () => {
  it('gives the secured three-broker cluster ports clear of the default stack and the apps', () => {
    const profile = clusterProfile({ brokers: 3, secure: true });

    expect(profile).toEqual({
      brokers: 3,
      secure: true,
      id: 'secure-3',
      ports: { kafka: 19092, registry: 18443 },
    });
    const taken = [9092, 9093, 8081, 9081, 3000, 3001, 5432];
    const used = [
      ...kafkaNodes(profile).flatMap((node) => [
        node.port,
        node.controllerPort,
      ]),
      profile.ports.registry,
      registryManagementPort(profile.ports),
    ];
    expect(used.filter((port) => taken.includes(port))).toEqual([]);
  });

  it('lays the nodes out from the first port: clients from P, controllers from P + 100', () => {
    const profile = clusterProfile({ brokers: 3, secure: true });

    expect(kafkaNodes(profile)).toEqual([
      { nodeId: 1, host: '127.0.0.1', port: 19092, controllerPort: 19192 },
      { nodeId: 2, host: '127.0.0.1', port: 19093, controllerPort: 19193 },
      { nodeId: 3, host: '127.0.0.1', port: 19094, controllerPort: 19194 },
    ]);
    expect(brokerList(profile)).toEqual([
      '127.0.0.1:19092',
      '127.0.0.1:19093',
      '127.0.0.1:19094',
    ]);
    expect(registryManagementPort(profile.ports)).toBe(19443);
    expect(registryUrl(profile, '/apis/ccompat/v7')).toBe(
      'https://127.0.0.1:18443/apis/ccompat/v7',
    );
  });

  it('gives plain clusters other defaults, so a plain and a secure one can run side by side', () => {
    const profile = clusterProfile({ brokers: 3, secure: false });

    expect(profile.id).toBe('plain-3');
    expect(profile.ports).toEqual({ kafka: 29092, registry: 28081 });
    expect(registryUrl(profile, '/x')).toBe('http://127.0.0.1:28081/x');
  });

  it('takes other ports', () => {
    const profile = clusterProfile(
      { brokers: 2, secure: true },
      { kafka: 20000, registry: 21000 },
    );

    expect(brokerList(profile)).toEqual(['127.0.0.1:20000', '127.0.0.1:20001']);
    expect(kafkaNode(profile, 2).controllerPort).toBe(20101);
  });

  it.each([
    [{ brokers: 0, secure: true }, {}, /--brokers/],
    [{ brokers: 10, secure: true }, {}, /--brokers/],
    [{ brokers: 1.5, secure: true }, {}, /--brokers/],
    [{ brokers: 1, secure: false }, {}, /default stack/],
    [{ brokers: 3, secure: true }, { kafka: 65500 }, /--kafka-port/],
    [{ brokers: 3, secure: true }, { kafka: 0 }, /--kafka-port/],
    [{ brokers: 3, secure: true }, { registry: 65000 }, /--registry-port/],
    [{ brokers: 3, secure: true }, { registry: 19093 }, /overlap/],
    [{ brokers: 3, secure: true }, { registry: 18192 }, /overlap/],
  ])('rejects %j with ports %j', (selection, ports, message) => {
    expect(() => clusterProfile(selection, ports)).toThrow(ClusterProfileError);
    expect(() => clusterProfile(selection, ports)).toThrow(message);
  });

  it('names a node that does not exist', () => {
    const profile = clusterProfile({ brokers: 3, secure: true });

    expect(() => kafkaNode(profile, 4)).toThrow('nodes 1 to 3');
  });

  it('tells the default stack from the profiles', () => {
    expect(isDefaultSelection({ brokers: 1, secure: false })).toBe(true);
    expect(isDefaultSelection({ brokers: 1, secure: true })).toBe(false);
    expect(isDefaultSelection({ brokers: 3, secure: false })).toBe(false);
  });

  it('gives each profile its own registry database', () => {
    expect(registryDatabaseName({ id: 'secure-3' }, 'subtasks_registry')).toBe(
      'subtasks_registry_secure_3',
    );
  });

  it("derives it from the app database's name, like the default stack's", () => {
    const secure = clusterProfile({ brokers: 3, secure: true });
    const plain = clusterProfile({ brokers: 3, secure: false });

    expect(profilePostgres(secure, {}).registryDatabase).toBe(
      'subtasks_registry_secure_3',
    );
    expect(
      profilePostgres(plain, {
        DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/checkout_b',
      }).registryDatabase,
    ).toBe('checkout_b_registry_plain_3');
  });
});
