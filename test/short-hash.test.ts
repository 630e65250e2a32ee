import { createHash } from 'node:crypto';
import { fullHash, hashText, shortHash, stableJson, withPreimages } from '../src/compiler/short-hash';

/**
 * The hashes in names (a model's, an endpoint configuration's) and what they were computed
 * from: environment-roots.ts rebuilds a hash in Terraform from the recorded text, so the
 * text recorded must be exactly the text hashed, and a hash two texts gave must not be used.
 */

const sha256 = (t: string) => createHash('sha256').update(t).digest('hex');

describe('short hashes', () => {
  test('shortHash is the first 8 hex of the SHA-256 of the key-sorted JSON, undefined members left out', () => {
    const value = { b: [1, 'x'], a: { d: null, c: undefined } };
    expect(stableJson(value)).toBe('{"a":{"d":null},"b":[1,"x"]}');
    expect(shortHash(value)).toBe(sha256('{"a":{"d":null},"b":[1,"x"]}').slice(0, 8));
    expect(shortHash({ a: { d: null }, b: [1, 'x'] })).toBe(shortHash(value));
    expect(hashText('plain')).toBe(sha256('plain').slice(0, 8));
    expect(fullHash('plain')).toBe(sha256('plain'));
  });
});

describe('withPreimages', () => {
  test('records the text of every hash computed inside, and only inside', () => {
    hashText('before');
    const { result, preimages } = withPreimages(() => [
      hashText('one'),
      shortHash({ k: 'v' }),
      fullHash('two'),
    ]);
    hashText('after');
    expect(result).toEqual([sha256('one').slice(0, 8), sha256('{"k":"v"}').slice(0, 8), sha256('two')]);
    expect(Object.fromEntries(preimages)).toEqual({
      [sha256('one').slice(0, 8)]: 'one',
      [sha256('{"k":"v"}').slice(0, 8)]: '{"k":"v"}',
      [sha256('two')]: 'two',
    });
    // Sorted by hash, so what is built from the map does not depend on the order of work.
    expect([...preimages.keys()]).toEqual([...preimages.keys()].sort());
  });

  test('nested collections: the outer one sees the inner hashes too, the inner none of the outer', () => {
    let inner = new Map<string, string>();
    const outer = withPreimages(() => {
      hashText('outer');
      inner = withPreimages(() => hashText('inner')).preimages;
    }).preimages;
    expect([...inner.values()]).toEqual(['inner']);
    expect([...outer.values()].sort()).toEqual(['inner', 'outer']);
  });

  test('a hash two texts gave (8 hex collide) is left out: its text is unknown', () => {
    // t26821 and t49091 share the first 8 hex of their SHA-256 (found by search).
    expect(hashText('t26821')).toBe(hashText('t49091'));
    const { preimages } = withPreimages(() => {
      hashText('t26821');
      hashText('t26821'); // the same text twice is no collision
      hashText('kept');
      hashText('t49091');
    });
    expect([...preimages.values()]).toEqual(['kept']);
  });
});
