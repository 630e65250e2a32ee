import { didYouMean, editDistance } from '../src/compiler/suggest';

describe('did you mean', () => {
  test.each([
    ['versoning', ['versioning', 'purpose'], 'versioning'],
    ['bukets', ['buckets', 'bucketPrefix', 'lifecycle'], 'buckets'],
    ['us-east1', ['us-east-1', 'us-west-1', 'eu-west-1'], 'us-east-1'],
    ['Region', ['region', 'name'], 'region'],
    ['zzz', ['versioning', 'purpose'], undefined],
    ['a', ['b'], 'b'],
  ])('%s -> %s', (input, candidates, expected) => {
    expect(didYouMean(input, candidates)).toBe(expected);
  });

  test('edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
    expect(editDistance('abc', 'abcdefgh', 2)).toBe(3);
  });
});
