import {
  describeMissingJava,
  javaCandidates,
  jdkFolders,
  parseJavaMajorVersion,
  selectJava,
} from './java';

describe('parseJavaMajorVersion', () => {
  it.each([
    [
      'openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)',
      17,
    ],
    ['openjdk version "25" 2025-09-16 LTS', 25],
    ['openjdk version "21.0.5" 2024-10-15 LTS', 21],
    ['openjdk version "21-ea" 2023-09-19', 21],
    ['java version "1.8.0_392"\nJava(TM) SE Runtime Environment', 8],
    [
      'Picked up JAVA_TOOL_OPTIONS: -Dfoo=bar\nopenjdk version "22.0.1" 2024-04-16',
      22,
    ],
  ])('reads %j as %i', (output, major) => {
    expect(parseJavaMajorVersion(output)).toBe(major);
  });

  it.each(['', 'bash: java: command not found', 'version "abc"'])(
    'gives undefined for %j',
    (output) => {
      expect(parseJavaMajorVersion(output)).toBeUndefined();
    },
  );
});

describe('selectJava', () => {
  const versions: Record<string, number | undefined> = {
    '/home/jdk17/bin/java': 17,
    '/usr/bin/java': 17,
    '/usr/lib/jvm/broken/bin/java': undefined,
    '/usr/lib/jvm/temurin-25/bin/java': 25,
    '/usr/lib/jvm/jdk-21/bin/java': 21,
  };
  const probe = (path: string) => versions[path];

  it('takes the first candidate that is new enough, in order', () => {
    const selection = selectJava(Object.keys(versions), 21, probe);

    expect(selection.selected).toEqual({
      path: '/usr/lib/jvm/temurin-25/bin/java',
      major: 25,
    });
    expect(selection.examined.map((entry) => entry.path)).toEqual(
      Object.keys(versions).slice(0, 4),
    );
  });

  it('accepts an older minimum with the first candidate', () => {
    expect(selectJava(Object.keys(versions), 17, probe).selected?.path).toBe(
      '/home/jdk17/bin/java',
    );
  });

  it('selects nothing when every candidate is too old, and says what it saw', () => {
    const selection = selectJava(
      ['/usr/bin/java', '/usr/lib/jvm/broken/bin/java'],
      21,
      probe,
    );

    expect(selection.selected).toBeUndefined();
    const message = describeMissingJava(
      21,
      'Apicurio Registry 3.3.3',
      selection.examined,
    );
    expect(message).toContain('Apicurio Registry 3.3.3 needs Java 21 or newer');
    expect(message).toContain('/usr/bin/java (17)');
    expect(message).toContain('/usr/lib/jvm/broken/bin/java (unknown version)');
    expect(message).toContain('JAVA_HOME');
  });

  it('says so when there is no Java at all, and where it looked', () => {
    const message = describeMissingJava(21, 'Registry', [], {});
    expect(message).toContain(
      'no Java runtime found (looked in JAVA_HOME (unset), PATH, /usr/lib/jvm, /Library/Java/JavaVirtualMachines, /opt/homebrew/opt/openjdk*, /usr/local/opt/openjdk*)',
    );
    expect(message).toContain(
      'sudo apt-get install -y openjdk-21-jdk-headless',
    );
    expect(message).toContain('brew install openjdk@21');
  });
});

describe('javaCandidates', () => {
  const executables = new Set([
    '/opt/jdk/bin/java',
    '/usr/local/bin/java',
    '/usr/lib/jvm/a-jdk/bin/java',
    '/usr/lib/jvm/b-jdk/bin/java',
  ]);
  const places = {
    folders: [{ dir: '/usr/lib/jvm', java: 'bin/java' }],
    isExecutable: (path: string) => executables.has(path),
    listDir: () => ['b-jdk', 'a-jdk', 'no-java-here'],
  };

  it('orders JAVA_HOME, then PATH, then every JDK under /usr/lib/jvm', () => {
    const env = {
      JAVA_HOME: '/opt/jdk',
      PATH: '/nowhere:/usr/local/bin:/usr/bin',
    };

    expect(javaCandidates({ ...places, env })).toEqual([
      '/opt/jdk/bin/java',
      '/usr/local/bin/java',
      '/usr/lib/jvm/a-jdk/bin/java',
      '/usr/lib/jvm/b-jdk/bin/java',
    ]);
  });

  it("finds macOS and Homebrew JDKs, only Homebrew's openjdk formulae", () => {
    const mac = new Set([
      '/Library/Java/JavaVirtualMachines/temurin-21.jdk/Contents/Home/bin/java',
      '/opt/homebrew/opt/openjdk@21/bin/java',
      '/opt/homebrew/opt/other/bin/java',
    ]);
    const listings: Record<string, string[]> = {
      '/Library/Java/JavaVirtualMachines': ['temurin-21.jdk'],
      '/opt/homebrew/opt': ['other', 'openjdk@21'],
    };

    expect(
      javaCandidates({
        env: {},
        folders: jdkFolders,
        isExecutable: (path) => mac.has(path),
        listDir: (dir) => listings[dir] ?? [],
      }),
    ).toEqual([
      '/Library/Java/JavaVirtualMachines/temurin-21.jdk/Contents/Home/bin/java',
      '/opt/homebrew/opt/openjdk@21/bin/java',
    ]);
  });

  it('skips a JAVA_HOME without a java binary and an empty PATH', () => {
    expect(
      javaCandidates({ ...places, env: { JAVA_HOME: '/missing' } }),
    ).toEqual(['/usr/lib/jvm/a-jdk/bin/java', '/usr/lib/jvm/b-jdk/bin/java']);
  });
});
