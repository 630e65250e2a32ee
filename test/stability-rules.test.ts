import { changedPaths, compareConfigs, covers, markReferences, resolveLiterals } from './harness/config-diff';
import { judge, replaceableWithoutOutage } from './harness/stability-rules';

/** The stability test's own machinery: a diff that misses a change would pass anything. */

describe('changedPaths', () => {
  test('objects key by key, equal-length lists element by element, anything else whole', () => {
    expect(changedPaths({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 3] } })).toEqual([
      { path: 'b.c[1]', before: 2, after: 3 },
    ]);
    expect(changedPaths({ l: [1] }, { l: [1, 2] })).toEqual([{ path: 'l', before: [1], after: [1, 2] }]);
    expect(changedPaths({ a: 1 }, { a: 1, b: 2 })).toEqual([{ path: 'b', before: undefined, after: 2 }]);
    expect(changedPaths({ a: [1, { x: 1 }] }, { a: [1, { x: 1 }] })).toEqual([]);
  });

  test('covers names a path or its ancestors, list indices aside', () => {
    expect(covers('vpc_config', 'vpc_config[0].subnets[1]')).toBe(true);
    expect(covers('vpc_config.subnets', 'vpc_config.subnets')).toBe(true);
    expect(covers('vpc_config', 'vpc_config_extra')).toBe(false);
  });
});

describe('compareConfigs', () => {
  test('a resource, data source, input or output that disappears is reported; dependencies and lifecycle are not changes', () => {
    const before = {
      resource: { aws_subnet: { a: { cidr_block: '10.0.0.0/20', depends_on: ['x'] }, b: {} } },
      data: { aws_partition: { p: {} } },
      variable: { v: {} },
      output: { o: {} },
    };
    const after = { resource: { aws_subnet: { a: { cidr_block: '10.0.0.0/20', depends_on: ['y'] } } } };
    expect(compareConfigs(before, after)).toEqual({
      missing: ['aws_subnet.b', 'data.aws_partition.p', 'output.o', 'var.v'],
      changes: [],
    });
  });
});

describe('references', () => {
  const config = {
    resource: {
      aws_sagemaker_model: { m: { name: 'model-v1' } },
      aws_sagemaker_endpoint_configuration: {
        c: { production_variants: [{ model_name: '${aws_sagemaker_model.m.name}' }] },
      },
      aws_sagemaker_endpoint: {
        e: { endpoint_config_name: '${aws_sagemaker_endpoint_configuration.c.name}' },
      },
    },
  };

  test('a literal attribute is read through its reference', () => {
    const resolved = resolveLiterals(config);
    expect(resolved.resource?.aws_sagemaker_endpoint_configuration.c).toEqual({
      production_variants: [{ model_name: 'model-v1' }],
    });
  });

  test('references to a replaced resource change, and only those', () => {
    const marked = markReferences(config, new Set(['aws_sagemaker_endpoint_configuration.c']));
    const { changes } = compareConfigs(config, marked);
    expect(changes.map((c) => `${c.address} ${c.path}`)).toEqual([
      'aws_sagemaker_endpoint.e endpoint_config_name',
    ]);
  });
});

describe('judge', () => {
  const cbd = { lifecycle: { create_before_destroy: true } };

  test('an unknown type or attribute fails closed', () => {
    const { verdicts } = judge('bucket', 'aws_made_up', ['anything'], {}, {});
    expect(verdicts[0].ok).toBe(false);
    expect(judge('bucket', 'aws_subnet', ['cidr_block'], {}, {}).verdicts[0].ok).toBe(false);
  });

  test('an in-place attribute passes, for any kind of addition', () => {
    expect(judge('bucket', 'aws_iam_role_policy', ['policy'], {}, {}).verdicts[0]).toMatchObject({
      ok: true,
      as: 'in-place',
    });
  });

  test("a path under the resource's own ignore_changes passes", () => {
    const after = { lifecycle: { ignore_changes: ['subnet_ids'] } };
    expect(
      judge('availability-zone', 'aws_eks_node_group', ['subnet_ids[0]'], {}, after).verdicts[0],
    ).toMatchObject({
      ok: true,
      as: 'ignored',
    });
  });

  test('a declared replacement passes only for its kind, and only created first under a new name', () => {
    const paths = ['name', 'vpc_config.subnets'];
    const before = { name: 'm-1' };
    const ok = judge('availability-zone', 'aws_sagemaker_model', paths, before, { name: 'm-2', ...cbd });
    expect(ok.replaced).toBe(true);
    expect(ok.verdicts.every((v) => v.ok)).toBe(true);
    // Another kind of addition declares no model replacement.
    expect(
      judge('bucket', 'aws_sagemaker_model', paths, before, { name: 'm-2', ...cbd }).verdicts[0].ok,
    ).toBe(false);
    // Without create_before_destroy the endpoint would lose its model during the replacement.
    expect(
      judge('availability-zone', 'aws_sagemaker_model', paths, before, { name: 'm-2' }).verdicts[0].ok,
    ).toBe(false);
    // What a replacement only carries does not justify one on its own.
    const carried = judge('availability-zone', 'aws_sagemaker_model', ['vpc_config.subnets'], before, {
      ...before,
      ...cbd,
    });
    expect(carried.replaced).toBe(false);
    expect(carried.verdicts[0].ok).toBe(false);
  });

  test('replaceableWithoutOutage: create_before_destroy and a new or generated name', () => {
    expect(replaceableWithoutOutage({ name: 'a' }, { name: 'a', ...cbd })).toBe(false);
    expect(replaceableWithoutOutage({ name: 'a' }, { name: 'b', ...cbd })).toBe(true);
    expect(replaceableWithoutOutage({}, { name_prefix: 'p-', ...cbd })).toBe(true);
    expect(replaceableWithoutOutage({}, { ...cbd })).toBe(true);
    expect(replaceableWithoutOutage({}, {})).toBe(false);
  });
});
