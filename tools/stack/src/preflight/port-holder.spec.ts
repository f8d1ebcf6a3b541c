import {
  holderFromProc,
  listeningInodes,
  parseLsof,
  type ProcFs,
} from './port-holder';

// Real lines: 127.0.0.1:5432 listening (inode 24117), an established connection on 5432, and Java's
// IPv4-mapped ::ffff:127.0.0.1:9092 in tcp6 (inode 99301).
const tcp = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   101        0 24117 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1538 0100007F:D2F4 01 00000000:00000000 00:00000000 00000000   101        0 38818 1 0000000000000000 20 4 30 10 -1
`;
const tcp6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0000000000000000FFFF00000100007F:2384 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 99301 1 0000000000000000 100 0 0 10 0
`;

function fakeProc(sockets: Record<string, Record<string, string>>): ProcFs {
  return {
    table: (name) => (name === 'tcp' ? tcp : tcp6),
    pids: () => Object.keys(sockets),
    fds: (pid) => Object.keys(sockets[pid] ?? {}),
    link: (pid, fd) => sockets[pid]?.[fd],
    commandLine: (pid) => `/usr/bin/java -cp kafka.jar (pid ${pid})`,
  };
}

describe('listeningInodes', () => {
  it('finds listening sockets by port in tcp and tcp6, not connections', () => {
    expect([...listeningInodes([tcp, tcp6], 5432)]).toEqual(['24117']);
    expect([...listeningInodes([tcp, tcp6], 9092)]).toEqual(['99301']);
    expect(listeningInodes([tcp, tcp6], 8081).size).toBe(0);
  });
});

describe('holderFromProc', () => {
  it('names the process whose descriptor is the socket', () => {
    const proc = fakeProc({
      '17': { '0': '/dev/null', '5': 'socket:[12]' },
      '4242': { '3': 'pipe:[7]', '162': 'socket:[99301]' },
    });
    expect(holderFromProc(9092, proc)).toEqual({
      pid: 4242,
      command: '/usr/bin/java -cp kafka.jar (pid 4242)',
    });
  });

  it("says the socket is another user's when no readable descriptor holds it", () => {
    expect(holderFromProc(5432, fakeProc({ '17': {} }))).toEqual({
      hidden: true,
    });
  });

  it('knows nothing without /proc, or when no socket listens there', () => {
    expect(
      holderFromProc(5432, { ...fakeProc({}), table: () => undefined }),
    ).toBeUndefined();
    expect(holderFromProc(8081, fakeProc({}))).toBeUndefined();
  });
});

describe('parseLsof', () => {
  it('reads the pid and command of `lsof -F pc`', () => {
    expect(parseLsof('p812\ncjava\nf162\n')).toEqual({
      pid: 812,
      command: 'java',
    });
    expect(parseLsof('')).toBeUndefined();
  });
});
