import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Who listens on a port, as far as this process may know. */
export interface PortHolder {
  pid?: number;
  command?: string;
  /** The listening socket is there but not its process: another user's, which only root may see. */
  hidden?: boolean;
}

const listenState = '0A';

/** Inodes of the sockets listening on `port` in /proc/net/tcp or /proc/net/tcp6 text. */
export function listeningInodes(
  tables: readonly string[],
  port: number,
): Set<string> {
  const inodes = new Set<string>();
  for (const table of tables) {
    for (const line of table.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      const localPort = Number.parseInt(fields[1].split(':').at(-1) ?? '', 16);
      if (localPort === port && fields[3] === listenState && fields[9] !== '0')
        inodes.add(fields[9]);
    }
  }
  return inodes;
}

/** The parts of /proc the search reads, so tests can give their own. */
export interface ProcFs {
  table(name: 'tcp' | 'tcp6'): string | undefined;
  pids(): string[];
  fds(pid: string): string[];
  link(pid: string, fd: string): string | undefined;
  commandLine(pid: string): string | undefined;
}

function tryRead<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

export const linuxProc: ProcFs = {
  table: (name) => tryRead(() => readFileSync(`/proc/net/${name}`, 'utf8')),
  pids: () =>
    (tryRead(() => readdirSync('/proc')) ?? []).filter((entry) =>
      /^\d+$/.test(entry),
    ),
  fds: (pid) => tryRead(() => readdirSync(`/proc/${pid}/fd`)) ?? [],
  link: (pid, fd) => tryRead(() => readlinkSync(`/proc/${pid}/fd/${fd}`)),
  commandLine: (pid) =>
    tryRead(() =>
      readFileSync(`/proc/${pid}/cmdline`, 'utf8')
        .split('\0')
        .filter(Boolean)
        .join(' '),
    ),
};

function shorten(command: string | undefined): string | undefined {
  if (command === undefined || command === '') return undefined;
  return command.length > 100 ? `${command.slice(0, 97)}...` : command;
}

/** Linux: the socket's inode from /proc/net, then the process holding it among /proc/<pid>/fd. */
export function holderFromProc(
  port: number,
  proc: ProcFs = linuxProc,
): PortHolder | undefined {
  const tables = [proc.table('tcp'), proc.table('tcp6')].filter(
    (table): table is string => table !== undefined,
  );
  if (tables.length === 0) return undefined;
  const inodes = listeningInodes(tables, port);
  if (inodes.size === 0) return undefined;
  for (const pid of proc.pids()) {
    for (const fd of proc.fds(pid)) {
      const inode = /^socket:\[(\d+)\]$/.exec(proc.link(pid, fd) ?? '')?.[1];
      if (inode !== undefined && inodes.has(inode)) {
        return { pid: Number(pid), command: shorten(proc.commandLine(pid)) };
      }
    }
  }
  return { hidden: true };
}

/** `lsof -F pc` output: `p<pid>` and `c<command>` lines. */
export function parseLsof(output: string): PortHolder | undefined {
  const pid = /^p(\d+)$/m.exec(output)?.[1];
  if (pid === undefined) return undefined;
  return { pid: Number(pid), command: shorten(/^c(.*)$/m.exec(output)?.[1]) };
}

/** macOS (and Linux without /proc): lsof, when it is installed. */
export function holderFromLsof(port: number): PortHolder | undefined {
  const output = tryRead(() =>
    execFileSync('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5_000,
    }),
  );
  return output === undefined ? undefined : parseLsof(output);
}

/** Who listens on `port`, when it can be known here. */
export function findPortHolder(port: number): PortHolder | undefined {
  return holderFromProc(port) ?? holderFromLsof(port);
}
