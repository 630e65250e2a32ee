import {
  endpointsOf,
  INTERFACE_ENDPOINT_NAMES,
  INTERFACE_ENDPOINTS,
  WORKLOAD_ENDPOINTS,
  type WorkloadKind,
} from '../areas/network/catalog';

/** docs/endpoints.md, generated from the endpoint table so the docs and the derivation never drift. */
export function renderEndpointDocs(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const kinds = Object.keys(WORKLOAD_ENDPOINTS) as WorkloadKind[];
  const lines = [
    '<!-- DO NOT EDIT: generated from src/areas/network/catalog.ts by `npm run gen:docs` -->',
    '',
    '# Interface endpoints: what private workloads call',
    '',
    'Workloads in the private subnets reach S3 and DynamoDB through the (free) gateway',
    'endpoints. Every other AWS API they call needs NAT or an interface endpoint. pipeform',
    'derives the interface endpoints from the workloads a spec declares, using the table',
    'below, so a VPC without NAT works on its first run:',
    '',
    '- **Created VPC** (`network.vpc`): the endpoints the workloads need are created',
    '  (`network.endpoints.derive`, on by default); `network.endpoints.interface` adds more.',
    '  With `derive: false` and no NAT, `pipeform validate` names every missing endpoint',
    '  at the workload that needs it.',
    '- **Existing VPC** (`network.existing`): say how its subnets reach AWS. `egress: nat`',
    '  (the default) assumes a NAT gateway or proxy; `egress: endpoints` means only the',
    '  interface endpoints listed in `interfaceEndpoints`, and a workload whose endpoint is',
    '  missing fails `pipeform validate`.',
    '',
    'Each interface endpoint is billed per hour in every availability zone it serves (about',
    '7.3 USD a month per AZ in us-east-1) plus per GB; `pipeform cost` prices the derived ones',
    'and `pipeform advise` weighs them against NAT traffic. Endpoints are named after their',
    'service, so adding a workload adds endpoints and never moves an existing one.',
    '',
    '## Workloads',
    '',
    '| workload | endpoints | why it calls them | sources |',
    '| --- | --- | --- | --- |',
    ...kinds.map((k) => {
      const w = WORKLOAD_ENDPOINTS[k];
      const needs = endpointsOf(k);
      return `| ${cell(w.label)} (\`${k}\`) | ${needs.length > 0 ? needs.map((e) => `\`${e}\``).join(', ') : 'none'} | ${
        needs.length > 0
          ? needs.map((e) => `${e}: ${cell(w.needs[e] ?? '')}`).join('<br>')
          : 'nothing beyond S3 through the gateway endpoint'
      } | ${w.sources.map((s, i) => `[${i + 1}](${s})`).join(' ')} |`;
    }),
    '',
    '## Endpoint names',
    '',
    '| name | VPC endpoint service | API |',
    '| --- | --- | --- |',
    ...INTERFACE_ENDPOINT_NAMES.map(
      (n) =>
        `| \`${n}\` | \`com.amazonaws.<region>.${INTERFACE_ENDPOINTS[n].service}\` | ${INTERFACE_ENDPOINTS[n].api} |`,
    ),
    '',
    'Step Functions (`states`) and EventBridge (`events`) run outside the VPC, and pipeform',
    'calls them from no private workload; list them in `network.endpoints.interface` when your',
    'own code in the VPC does. The same holds for `elasticmapreduce`: the EMR service reaches',
    'cluster nodes through the service-access security group, not through that endpoint.',
    '',
  ];
  return lines.join('\n');
}
