import { diagnosticsOf } from './harness/spec';
import { testRuleCases, type RuleCase } from './harness/rules';

const HEAD = 'apiVersion: pipeform/v1\nname: demo\nregion: us-east-1\naccount: "123456789012"\n';
/** One feature group (lines 5-13). */
const FS = `${HEAD}features:
  groups:
    - name: customers
      recordId: customer_id
      eventTime: event_time
      features:
        - {name: customer_id, type: string}
        - {name: event_time, type: fractional}
        - {name: tenure, type: integral}
`;

/** [rule, a spec that breaks it, line, col, message fragment, a spec that keeps it]. */
const cases: RuleCase[] = [
  [
    'features/unique-names',
    `${FS}        - {name: tenure, type: fractional}\n`,
    14,
    18,
    'feature name "tenure" is already used by features.groups[0].features[2]',
    `${FS}        - {name: tenure_days, type: fractional}\n`,
  ],
  [
    'features/record-and-event',
    FS.replace('eventTime: event_time', 'eventTime: ts'),
    9,
    18,
    "eventTime ts is not one of the group's features",
    FS,
  ],
  [
    'features/reserved-names',
    `${FS}        - {name: write_time, type: fractional}\n`,
    14,
    18,
    'write_time is reserved by Feature Store',
    FS,
  ],
  [
    'features/store',
    `${FS}      online: false\n      offline: false\n`,
    15,
    16,
    'feature group customers has neither an online nor an offline store',
    `${FS}      online: false\n`,
  ],
];

describe('check rules: features', () => {
  testRuleCases(cases);

  test('the record identifier and event time have the types Feature Store needs', () => {
    const ds = diagnosticsOf(
      FS.replace('{name: customer_id, type: string}', '{name: customer_id, type: fractional}').replace(
        '{name: event_time, type: fractional}',
        '{name: event_time, type: integral}',
      ),
    );
    expect(ds.map((d) => d.message)).toEqual([
      'recordId customer_id is fractional; it must be string or integral',
      'eventTime event_time is integral; it must be fractional or string',
    ]);
  });
});
