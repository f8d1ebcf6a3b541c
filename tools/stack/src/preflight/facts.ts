import type { JavaSelection } from '../java';
import type { PortHolder } from './port-holder';

/** What the preflight found on this machine; checks.ts judges it. */
export interface PreflightFacts {
  node: { version: string; required: string };
  /** From npm_config_user_agent, when run through npm. */
  npm?: { version: string; required: string };
  java: JavaFact;
  maven: MavenFact;
  ports: PortFact[];
  disks: DiskFact[];
  postgres: PostgresFact;
  /** A variable the stack cannot read (its message names it); the other facts use the defaults. */
  configError?: string;
}

export interface JavaFact extends JavaSelection {
  minMajor: number;
  /** "JAVA_HOME (unset), PATH, /usr/lib/jvm, …" */
  searched: string;
}

export interface MavenFact {
  /** False once Kafka and the registry are in .stack/cache: Maven only downloads them. */
  needed: boolean;
  path?: string;
}

export interface PortFact {
  host: string;
  port: number;
  /** e.g. "Kafka", "the api". */
  what: string;
  /** The variable that moves it, e.g. KAFKA_BROKERS. */
  envName: string;
  state: 'free' | 'ours' | 'taken';
  holder?: PortHolder;
}

export interface DiskFact {
  /** The folder whose file system was measured. */
  dir: string;
  freeBytes: number;
  neededBytes: number;
  /** What needs the room, e.g. "downloads and data in .stack/". */
  what: string;
}

export type EmbeddedProblem =
  | { kind: 'package'; packageName: string }
  | { kind: 'user' }
  | { kind: 'folder'; folder: string };

export type PostgresFact =
  | { kind: 'DATABASE_URL'; address: string; answering: boolean }
  | { kind: 'existing'; address: string }
  | {
      kind: 'embedded';
      address: string;
      dataDir: string;
      pid?: number;
      problem?: EmbeddedProblem;
    };
