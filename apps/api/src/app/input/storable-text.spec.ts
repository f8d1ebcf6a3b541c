import { validate } from 'class-validator';
import { IsStorableText, unstorableTextReason } from './storable-text';

class Titled {
  @IsStorableText()
  title: unknown;
}

async function messagesFor(title: unknown): Promise<string[]> {
  const titled = new Titled();
  titled.title = title;
  const errors = await validate(titled);
  return errors.flatMap((e) => Object.values(e.constraints ?? {}));
}

describe('unstorableTextReason', () => {
  it.each([
    ['plain text', 'Label 10 street images'],
    ['accents, CJK and an emoji (a surrogate pair)', 'café 中 \ud83d\ude00'],
    ['the empty string', ''],
    ['U+FFFD, what invalid UTF-8 decodes to', '\ufffd'],
  ])('accepts %s', (_, value) => {
    expect(unstorableTextReason(value)).toBeUndefined();
  });

  it.each([
    ['a NUL', 'a\u0000b', /NUL/],
    ['a lone high surrogate', 'a\ud800b', /unpaired UTF-16 surrogate/],
    ['a lone high surrogate at the end', 'ab\udbff', /unpaired/],
    ['a lone low surrogate', '\udc00ab', /unpaired/],
    ['a pair in the wrong order', '\ude00\ud83d', /unpaired/],
  ])('refuses %s', (_, value, reason) => {
    expect(unstorableTextReason(value)).toMatch(reason);
  });
});

describe('@IsStorableText', () => {
  it('names the property and the problem', async () => {
    expect(await messagesFor('a\u0000b')).toEqual([
      'title must not contain NUL (U+0000) characters',
    ]);
    expect(await messagesFor('\ud800')).toEqual([
      'title must be valid Unicode text (it contains an unpaired UTF-16 surrogate)',
    ]);
  });

  it('leaves values that are no strings to @IsString', async () => {
    expect(await messagesFor(42)).toEqual([]);
    expect(await messagesFor('fine')).toEqual([]);
  });
});
