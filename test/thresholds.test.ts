import { parse, stringify } from 'yaml';
import { advise } from '../src/advise';
import { LOW_TRAFFIC_PER_MINUTE, MANY_SMALL_ENDPOINTS } from '../src/advise/rules/serving';
import { analyzeSpec } from '../src/compiler';
import { averageInstances, pricingContext } from '../src/cost/estimate';
import { PRICES } from '../src/cost/prices';
import { resolveUsage } from '../src/cost/usage';
import { buildGraph } from '../src/graph/model';
import { MINIMAL } from './harness/spec';

/**
 * Every threshold in advice, cost and the graph at its bound: at it, just below and just
 * above. A comparison turned from `<` into `<=` (or a bound moved by one) fails here.
 */
const analyze = (data: object) => analyzeSpec('pipeline.yaml', Buffer.from(stringify(data)));
const hits = (data: object, id: string) => advise(analyze(data)).filter((f) => f.id === id);

const NET = { network: { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] } } };
const emr = (cluster: object) => ({
  ...MINIMAL,
  ...NET,
  data: { emr: { cluster: { inTransitEncryption: false, interactive: true, ...cluster } } },
});

describe('advice thresholds', () => {
  test.each([
    [59, 0],
    [60, 0], // the default: an hour idle is what pipeform allows
    [61, 1],
  ])('emr/idle-timeout: an interactive cluster idling %i minutes gets %i finding(s)', (minutes, count) => {
    expect(hits(emr({ idleTimeoutMinutes: minutes }), 'emr/idle-timeout')).toHaveLength(count);
  });

  test.each([
    [3, 4, 0],
    [4, 4, 1], // min = max: managed scaling that cannot scale
  ])('emr/fixed-capacity: minUnits %i, maxUnits %i -> %i finding(s)', (minUnits, maxUnits, count) => {
    expect(
      hits(emr({ core: { units: 2 }, scaling: { minUnits, maxUnits } }), 'emr/fixed-capacity'),
    ).toHaveLength(count);
  });

  const unscaled = (instanceCount: number, minInstances?: number) => ({
    ...MINIMAL,
    ...NET,
    serving: {
      endpoints: [
        {
          name: 'scorer',
          autoscaling: { enabled: false },
          variants: [
            {
              name: 'main',
              model: { registry: { version: 1 } },
              instanceType: 'ml.m5.large',
              instanceCount,
              ...(minInstances !== undefined ? { minInstances } : {}),
            },
          ],
        },
      ],
    },
  });

  test('serving/no-autoscaling shrinks only variants above the minimum, and its fix turns scaling on', () => {
    const fixOf = (instanceCount: number) =>
      parse(hits(unscaled(instanceCount), 'serving/no-autoscaling')[0].fix);
    const endpoint = (instanceCount: number) =>
      (fixOf(instanceCount) as { serving: { endpoints: object[] } }).serving.endpoints[0];
    expect(endpoint(1)).toEqual({ name: 'scorer', autoscaling: { enabled: true } }); // nothing to shrink
    expect(endpoint(2)).toEqual({
      name: 'scorer',
      autoscaling: { enabled: true },
      variants: [{ name: 'main', minInstances: 1 }],
    });
  });
});

describe('serving/many-small-endpoints: how many endpoints, how little traffic', () => {
  /** `n` single-variant ml.m5.large endpoints serving archives with one built-in image. */
  const many = (n: number, requestsPerMonth: number) => ({
    ...MINIMAL,
    ...NET,
    serving: {
      endpoints: Array.from({ length: n }, (_, i) => ({
        name: `m${i}`,
        model: {
          artifact: { key: `m${i}/model.tar.gz` },
          builtinImage: { framework: 'sklearn', version: '1.2-1' },
        },
        variants: [{ name: 'main', instanceType: 'ml.m5.large' }],
      })),
    },
    usage: { endpointRequestsPerMonth: requestsPerMonth },
  });

  test.each([
    [2, 0], // two endpoints on one instance each: the shared endpoint's two instances save nothing
    [MANY_SMALL_ENDPOINTS, 1],
    [4, 1],
  ])('%i small endpoints -> %i finding(s)', (n, count) => {
    expect(hits(many(n, 10000), 'serving/many-small-endpoints')).toHaveLength(count);
  });

  // LOW_TRAFFIC_PER_MINUTE requests a minute on the one instance, over the month's hours.
  const low = LOW_TRAFFIC_PER_MINUTE * 60 * PRICES.hoursPerMonth;
  test.each([
    [low - 1, 1],
    [low, 0], // at the bound an instance is busy enough
    [low + 1, 0],
  ])('%i requests a month per endpoint -> %i finding(s)', (requests, count) => {
    expect(hits(many(3, requests), 'serving/many-small-endpoints')).toHaveLength(count);
  });
});

describe('cost: autoscaled instances stay within the variant bounds', () => {
  /** Average instances of an autoscaled variant for a month of `requests`. */
  const average = (requests: number, minInstances: number, maxInstances: number) => {
    const analyzed = analyze({
      ...MINIMAL,
      ...NET,
      serving: {
        endpoints: [
          {
            name: 'scorer',
            autoscaling: { targetInvocationsPerInstance: 100 },
            variants: [
              {
                name: 'main',
                model: { registry: { version: 1 } },
                instanceType: 'ml.m5.large',
                minInstances,
                maxInstances,
              },
            ],
          },
        ],
      },
      usage: { endpoints: { scorer: { requestsPerMonth: requests } } },
    });
    const spec = analyzed.resolved;
    const ctx = pricingContext(spec, resolveUsage(analyzed.spec), PRICES);
    const e = spec.serving!.endpoints[0];
    return averageInstances(ctx, e, e.variants[0]);
  };
  // 100 invocations a minute per instance over the month's hours: one instance's worth.
  const perInstance = 100 * 60 * PRICES.hoursPerMonth;

  test.each([
    [0, 1],
    [perInstance, 1],
    [perInstance + 1, 2],
    [3 * perInstance, 3], // at the maximum
    [3 * perInstance + 1, 3], // clamped to it
    [100 * perInstance, 3],
  ])('%i requests a month -> %i instance(s) between 1 and 3', (requests, instances) => {
    expect(average(requests, 1, 3)).toBe(instances);
  });

  test('the minimum holds with no traffic', () => {
    expect(average(0, 2, 3)).toBe(2);
  });
});

describe('graph labels', () => {
  const label = (autoscaling: object) => {
    const spec = analyze({
      ...MINIMAL,
      ...NET,
      serving: {
        endpoints: [
          {
            name: 'scorer',
            autoscaling,
            variants: [{ name: 'main', model: { registry: { version: 1 } }, instanceType: 'ml.m5.large' }],
          },
        ],
      },
    }).resolved;
    const nodes = buildGraph(spec).stages.flatMap((s) => s.nodes);
    return nodes.find((n) => n.label.includes('scorer'))?.detail ?? '';
  };

  test('an endpoint says "autoscaled" exactly when it scales', () => {
    expect(label({})).toContain('autoscaled');
    expect(label({ enabled: false })).not.toContain('autoscaled');
  });
});
