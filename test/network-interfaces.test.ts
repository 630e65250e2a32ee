import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { synthesize } from '../src/synth/synth';
import { compileText, configDirs, examples, ROOT } from './harness/spec';

/**
 * Security by effect for network interfaces: a role that may create an interface from
 * *any* subnet or security group (`subnet/*`, `security-group/*`) could place a workload,
 * or an interface it controls, in any VPC of the account. Every such grant in every
 * example carries `ec2:Vpc` pinned to the pipeline VPC; grants naming subnets by id are
 * scoped by their ids.
 */
interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}
const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function wideInterfaceGrants(config: {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
}): { where: string; vpc: string | undefined }[] {
  const out: { where: string; vpc: string | undefined }[] = [];
  for (const [type, byName] of Object.entries(config.resource ?? {})) {
    for (const [name, r] of Object.entries(byName)) {
      const doc = type === 'aws_iam_role_policy' || type === 'aws_iam_policy' ? r.policy : undefined;
      if (typeof doc !== 'string') continue;
      for (const st of (JSON.parse(doc) as { Statement: Statement[] }).Statement) {
        if (st.Effect !== 'Allow' || !list(st.Action).includes('ec2:CreateNetworkInterface')) continue;
        if (!list(st.Resource).some((x) => /:(subnet|security-group)\/\*$/.test(x))) continue;
        out.push({
          where: `${type}.${name} ${st.Sid ?? ''}`,
          vpc: list(st.Condition?.ArnEquals?.['ec2:Vpc'])[0],
        });
      }
    }
  }
  return out;
}

describe('network interfaces are created only in the pipeline VPC', () => {
  const file = join(ROOT, 'examples', 'mlops-cicd', 'pipeline.yaml');
  const doc = parseDocument(readFileSync(file, 'utf8'));
  doc.setIn(['cicd', 'build', 'vpc'], true);
  const configs = [
    ...examples().flatMap(({ name }) =>
      configDirs(name).map((dir) => ({
        label: `${name}${dir ? `/${dir}` : ''}`,
        config: JSON.parse(readFileSync(join(ROOT, 'generated', name, dir, 'main.tf.json'), 'utf8')),
      })),
    ),
    // No example builds in the VPC: mlops-cicd with cicd.build.vpc on.
    {
      label: 'mlops-cicd with a VPC build',
      config: JSON.parse(synthesize(compileText(doc.toString(), file)).files.get('main.tf.json')!.toString()),
    },
  ];

  test.each(configs.map((c) => [c.label, c.config]))('%s', (_label, config) => {
    const vpcIds = new Set<string>([
      ...Object.keys(config.resource?.aws_vpc ?? {}).map((n) => `\${aws_vpc.${n}.id}`),
      ...[JSON.stringify(config).match(/vpc-[0-9a-f]{8,17}/g) ?? []].flat(),
    ]);
    for (const grant of wideInterfaceGrants(config)) {
      const vpc = grant.vpc?.replace(/^arn:[^:]+:ec2:[^:]+:[^:]+:vpc\//, '');
      expect({ grant: grant.where, vpc: vpc !== undefined && vpcIds.has(vpc) }).toEqual({
        grant: grant.where,
        vpc: true,
      });
    }
  });

  test('the scan sees the grants it judges: jobs, endpoints and, where a build runs in the VPC, CI/CD', () => {
    const sids = configs.flatMap((c) => wideInterfaceGrants(c.config).map((g) => g.where.split(' ')[1]));
    expect(sids).toEqual(
      expect.arrayContaining([
        'JobNetworkInterfacesInPipelineVpc',
        'EndpointInterfacesInPipelineVpc',
        'BuildNetworkInterfacesInPipelineVpc',
      ]),
    );
  });
});
