import { GateInputError } from './errors';
import { Git } from './git';
import { GitFixture } from './testing/git-fixture';
import { registeredVersions } from './versions';

const ID = { name: 'id', type: 'string' };
const NOTE = { name: 'note', type: ['null', 'string'], default: null };

describe('registeredVersions', () => {
  let repo: GitFixture;
  let git: Git;

  beforeEach(() => {
    repo = GitFixture.create('registered-versions-');
    git = new Git(repo.dir, repo.env);
  });
  afterEach(() => repo.dispose());

  it('gives one version per form the registry stores, oldest first, with the commit that brought it', () => {
    const first = repo.writeRecord('a.avsc', 'A', [ID]).commit('add A');
    repo
      .writeRecord('a.avsc', 'A', [{ ...ID, doc: 'the id' }])
      .commit('document A');
    const third = repo.writeRecord('a.avsc', 'A', [ID, NOTE]).commit('note');

    const versions = registeredVersions(git, 'HEAD', 'schemas/a.avsc');

    expect(versions.map(({ label }) => label)).toEqual([
      `${first.slice(0, 12)}:schemas/a.avsc`,
      `${third.slice(0, 12)}:schemas/a.avsc`,
    ]);
    expect(JSON.parse(versions[1]?.text ?? '')).toMatchObject({
      fields: [ID, NOTE],
    });
  });

  it("keeps to the branch's first parents: a merged branch's intermediate commits were never registered", () => {
    repo.writeRecord('a.avsc', 'A', [ID]).commit('add A');
    repo.branch('feature');
    repo
      .writeRecord('a.avsc', 'A', [ID, { ...NOTE, name: 'draft' }])
      .commit('draft');
    repo.writeRecord('a.avsc', 'A', [ID, NOTE]).commit('final');
    repo.checkout('main');
    repo.git('merge', '--quiet', '--no-ff', '-m', 'merge feature', 'feature');

    const versions = registeredVersions(git, 'HEAD', 'schemas/a.avsc');

    expect(versions).toHaveLength(2);
    expect(versions.some(({ text }) => text.includes('draft'))).toBe(false);
  });

  it('names the file when it is not committed', () => {
    repo.writeRecord('a.avsc', 'A', [ID]).commit('add A');
    expect(() => registeredVersions(git, 'HEAD', 'schemas/b.avsc')).toThrow(
      new GateInputError(['schemas/b.avsc is not committed at HEAD']),
    );
  });
});
