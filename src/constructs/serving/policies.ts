import type { ResolvedEdge, ResolvedEndpoint, ResolvedVariant } from '../../model/serving';
import type { CodeObject } from '../assets';
import type { PolicyStatement } from '../iam/policy';
import type { SecurityContext } from '../security-context';
import { secretReadStatements } from '../iam/secrets';
import { NETWORK_INTERFACE_SERVICES, networkInterfaceStatements } from '../iam/statements';

type Scope = Pick<SecurityContext, 'partition' | 'region' | 'account' | 'keyArn' | 'network'>;

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/** A bucket's ARN from its name (bucket names are global, so the ARN needs no lookup). */
export const s3Arn = (partition: string, bucketName: string): string => `arn:${partition}:s3:::${bucketName}`;

/** Everything the endpoint's execution role reads and writes, computed from the resolved endpoint. */
export interface ExecutionRoleInputs {
  readonly endpoint: ResolvedEndpoint;
  readonly modelsBucketName: string;
  /**
   * The objects behind the variants' `artifact.file` (uploads, or objects outside the lake), by
   * variant name: the role reads exactly these.
   */
  readonly archives: ReadonlyMap<string, Pick<CodeObject, 'arn' | 'bucketName'>>;
  /** ARN of the endpoint's log group (without `:*`). */
  readonly logGroupArn: string;
  /** SNS topics the endpoint publishes to (async notifications). */
  readonly topicArns: readonly string[];
  /** Set when registry models are promoted from another environment: their reads there, instead of the own models bucket. */
  readonly promotedReads?: readonly PolicyStatement[];
}

/** What SageMaker needs at runtime to serve the endpoint, each statement scoped to what it touches. */
export function executionRoleStatements(p: ExecutionRoleInputs, sec: Scope): PolicyStatement[] {
  const ep = p.endpoint;
  const variants: ResolvedVariant[] = [...ep.variants, ...(ep.shadow ? [ep.shadow] : [])];
  const reads: string[] = [];
  const prefixes: [string, string][] = [];
  const repositories: string[] = [];
  const touched = new Set<string>();
  for (const v of variants) {
    const s = v.model.source;
    if (s.kind === 'registry' && p.promotedReads) continue;
    if (s.kind === 'registry') {
      // Registered packages keep their artifacts in the models bucket, wherever training wrote them.
      reads.push(`${s3Arn(sec.partition, p.modelsBucketName)}/*`);
      touched.add(p.modelsBucketName);
      // Their images are the account's own repositories (AWS-owned images need no grant).
      repositories.push(`arn:${sec.partition}:ecr:${sec.region}:${sec.account}:repository/*`);
      continue;
    }
    if (s.image.kind === 'uri') repositories.push(s.image.repositoryArn);
    const l = s.location;
    if (l.kind !== 'lake') {
      const archive = p.archives.get(v.name);
      if (archive === undefined) throw new Error(`internal: variant ${v.name} has no located archive`);
      reads.push(archive.arn);
      touched.add(archive.bucketName);
      continue;
    }
    const arn = s3Arn(sec.partition, l.bucketName);
    touched.add(l.bucketName);
    if (ep.type === 'multi-model') {
      reads.push(`${arn}/${l.key}*`);
      prefixes.push([arn, l.key]);
    } else reads.push(`${arn}/${l.key}`);
  }
  const statements: PolicyStatement[] = [
    ...(reads.length > 0
      ? [
          {
            Sid: 'ReadModelArtifacts',
            Effect: 'Allow' as const,
            Action: 's3:GetObject',
            Resource: sorted(reads),
          },
        ]
      : []),
    ...(variants.some((v) => v.model.source.kind === 'registry') ? (p.promotedReads ?? []) : []),
  ];
  for (const [arn, prefix] of prefixes) {
    statements.push({
      Sid: 'ListMultiModelPrefix',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: arn,
      Condition: { StringLike: { 's3:prefix': [`${prefix}*`] } },
    });
  }
  if (ep.dataCapture) {
    const arn = s3Arn(sec.partition, ep.dataCapture.bucketName);
    touched.add(ep.dataCapture.bucketName);
    statements.push({
      Sid: 'WriteDataCapture',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: `${arn}/${ep.dataCapture.prefix}*`,
    });
  }
  if (ep.async) {
    const arn = s3Arn(sec.partition, ep.async.bucketName);
    touched.add(ep.async.bucketName);
    statements.push(
      {
        Sid: 'ReadAsyncInputs',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: `${arn}/${ep.async.prefix}input/*`,
      },
      {
        Sid: 'WriteAsyncResults',
        Effect: 'Allow',
        Action: ['s3:AbortMultipartUpload', 's3:PutObject'],
        Resource: [`${arn}/${ep.async.prefix}failures/*`, `${arn}/${ep.async.prefix}output/*`],
      },
    );
  }
  if (touched.size > 0) {
    statements.push({
      Sid: 'LocateBuckets',
      Effect: 'Allow',
      Action: 's3:GetBucketLocation',
      Resource: sorted([...touched].map((b) => s3Arn(sec.partition, b))),
    });
  }
  statements.push(
    {
      Sid: 'UsePipelineKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'],
      Resource: sec.keyArn,
    },
    {
      // Encrypted ML storage volumes are attached through grants for AWS resources only.
      Sid: 'GrantKeyToVolumes',
      Effect: 'Allow',
      Action: 'kms:CreateGrant',
      Resource: sec.keyArn,
      Condition: { Bool: { 'kms:GrantIsForAWSResource': true } },
    },
    {
      Sid: 'WriteContainerLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
      Resource: [p.logGroupArn, `${p.logGroupArn}:*`],
    },
  );
  if (repositories.length > 0) {
    statements.push(
      {
        // ECR issues registry tokens only on "*"; the pulls below are scoped to repositories.
        Sid: 'EcrToken',
        Effect: 'Allow',
        Action: 'ecr:GetAuthorizationToken',
        Resource: '*',
      },
      {
        Sid: 'PullModelImages',
        Effect: 'Allow',
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        Resource: sorted(repositories),
      },
    );
  }
  if (ep.inVpc) {
    if (sec.network === undefined)
      throw new Error(`internal: endpoint ${ep.name} runs in the VPC without the network`);
    statements.push(
      ...networkInterfaceStatements(sec, sec.network.vpcId, {
        service: NETWORK_INTERFACE_SERVICES.sagemaker,
        sids: {
          create: 'EndpointInterfacesInPipelineVpc',
          manage: 'ManageEndpointInterfaces',
          describe: 'DescribeNetwork',
        },
      }),
    );
  }
  if (p.topicArns.length > 0) {
    statements.push({
      Sid: 'NotifyAsyncResults',
      Effect: 'Allow',
      Action: 'sns:Publish',
      Resource: [...p.topicArns],
    });
  }
  statements.push(
    ...secretReadStatements(
      variants.flatMap((v) => v.model.secrets),
      sec,
    ),
  );
  return statements;
}

/** The front door may invoke this one endpoint and nothing else. */
export function frontDoorStatements(endpoint: ResolvedEndpoint, sec: Scope): PolicyStatement[] {
  return [
    {
      Sid: 'InvokeThisEndpoint',
      Effect: 'Allow',
      Action: 'sagemaker:InvokeEndpoint',
      Resource: `arn:${sec.partition}:sagemaker:${sec.region}:${sec.account}:endpoint/${endpoint.endpointName}`,
    },
  ];
}

/**
 * The device's own thing name as an IoT policy variable. Written `$${...}` so Terraform
 * renders it as the literal `${iot:Connection.Thing.ThingName}` IoT evaluates per
 * connection ("the value of clientId in the MQTT connect message ... must exactly match the
 * thing name", AWS IoT Core developer guide, Thing policy variables).
 */
export const THING_NAME = '$${iot:Connection.Thing.ThingName}';

const iotArn = (sec: Scope, resource: string) =>
  `arn:${sec.partition}:iot:${sec.region}:${sec.account}:${resource}`;

/**
 * Registry models: devices read their compiled archives, and, for a model deployed without
 * compile, the registered archive the package names (under the training artifacts).
 */
function edgeRegistryReads(edge: ResolvedEdge, modelsBucketArn: string): PolicyStatement[] {
  const r = edge.registry;
  if (r === undefined) return [];
  const compiled = r.models.filter((m) => m.compile !== undefined);
  const resources = [
    ...compiled.map((m) => `${modelsBucketArn}/${m.compiledPrefix}*`),
    ...(compiled.length < r.models.length ? [`${modelsBucketArn}/${r.artifactsPrefix}*`] : []),
  ];
  return [{ Sid: 'ReadRegistryModels', Effect: 'Allow', Action: 's3:GetObject', Resource: resources }];
}

/**
 * The token exchange role: what Greengrass core devices do with AWS credentials. They
 * download component artifacts (the edge models prefix only, read) and upload their logs
 * (Greengrass' log groups `/aws/greengrass/...`); telemetry goes through MQTT and the topic
 * rule, never through these credentials.
 */
export function edgeTokenExchangeStatements(
  edge: ResolvedEdge,
  modelsBucketArn: string,
  sec: Scope,
): PolicyStatement[] {
  const logs = `arn:${sec.partition}:logs:${sec.region}:${sec.account}:log-group:/aws/greengrass/*`;
  return [
    {
      Sid: 'ReadEdgeModels',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: `${modelsBucketArn}/${edge.modelsPrefix}*`,
    },
    ...edgeRegistryReads(edge, modelsBucketArn),
    { Sid: 'LocateModelsBucket', Effect: 'Allow', Action: 's3:GetBucketLocation', Resource: modelsBucketArn },
    {
      Sid: 'DecryptEdgeModels',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: sec.keyArn,
      // Only for S3 reads: the device may not decrypt anything else with the pipeline key.
      Condition: { StringEquals: { 'kms:ViaService': `s3.${sec.region}.amazonaws.com` } },
    },
    {
      Sid: 'GreengrassLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      Resource: [logs, `${logs}:log-stream:*`],
    },
  ];
}

/**
 * The IoT policy of the fleet's devices (attached by the provisioning template to each
 * device certificate). Every resource names the connecting thing itself through
 * {@link THING_NAME}, so a device can connect, publish and subscribe only as itself: its
 * own Greengrass topics (`$aws/things/<thing>/...`: jobs, shadows, health) and its own
 * fleet topics (`<fleet>/<thing>/...`). Connecting needs the certificate attached to a
 * thing of this fleet (name prefix). Actions from the Greengrass v2 developer guide's
 * minimal IoT policy for core devices.
 */
export function edgeDevicePolicyStatements(
  edge: ResolvedEdge,
  roleAliasArn: string,
  sec: Scope,
): PolicyStatement[] {
  const own = `$aws/things/${THING_NAME}`;
  const fleet = `${edge.fleetName}/${THING_NAME}`;
  const components = `arn:${sec.partition}:greengrass:${sec.region}`;
  return [
    {
      Sid: 'ConnectAsItself',
      Effect: 'Allow',
      Action: 'iot:Connect',
      Resource: iotArn(sec, `client/${THING_NAME}`),
      Condition: {
        Bool: { 'iot:Connection.Thing.IsAttached': 'true' },
        StringLike: { 'iot:Connection.Thing.ThingName': `${edge.fleetName}-*` },
      },
    },
    {
      Sid: 'OwnTopics',
      Effect: 'Allow',
      Action: ['iot:Publish', 'iot:Receive'],
      Resource: [iotArn(sec, `topic/${own}/*`), iotArn(sec, `topic/${fleet}/*`)],
    },
    {
      Sid: 'OwnTopicFilters',
      Effect: 'Allow',
      Action: 'iot:Subscribe',
      Resource: [iotArn(sec, `topicfilter/${own}/*`), iotArn(sec, `topicfilter/${fleet}/*`)],
    },
    {
      Sid: 'OwnShadow',
      Effect: 'Allow',
      Action: ['iot:GetThingShadow', 'iot:UpdateThingShadow', 'iot:DeleteThingShadow'],
      Resource: iotArn(sec, `thing/${THING_NAME}`),
    },
    {
      Sid: 'ExchangeCertificateForCredentials',
      Effect: 'Allow',
      Action: 'iot:AssumeRoleWithCertificate',
      Resource: roleAliasArn,
    },
    {
      Sid: 'GreengrassDeployments',
      Effect: 'Allow',
      Action: ['greengrass:GetDeploymentConfiguration', 'greengrass:ListThingGroupsForCoreDevice'],
      Resource: iotArn(sec, `thing/${THING_NAME}`),
    },
    {
      Sid: 'GreengrassArtifacts',
      Effect: 'Allow',
      Action: 'greengrass:GetComponentVersionArtifact',
      // The fleet's own components, and the AWS-provided ones (nucleus, runtimes: account "aws").
      Resource: [
        `${components}:${sec.account}:components:${edge.componentPrefix}*`,
        `${components}:aws:components:*`,
      ],
    },
    {
      Sid: 'GreengrassResolveComponents',
      Effect: 'Allow',
      Action: 'greengrass:ResolveComponentCandidates',
      // Resolution names no component ARN up front: the minimal policy grants it on "*".
      Resource: '*',
    },
  ];
}

/**
 * The IoT policy of the claim certificate: connect with a client id of this fleet, and
 * use the fleet provisioning MQTT API of this template only (create a certificate, then
 * register the thing). Nothing else: a leaked claim can only enroll devices into the fleet.
 */
export function edgeClaimPolicyStatements(edge: ResolvedEdge, sec: Scope): PolicyStatement[] {
  const topics = [
    '$aws/certificates/create/*',
    `$aws/provisioning-templates/${edge.templateName}/provision/*`,
  ];
  return [
    {
      Sid: 'ConnectToProvision',
      Effect: 'Allow',
      Action: 'iot:Connect',
      Resource: iotArn(sec, `client/${edge.fleetName}-*`),
    },
    {
      Sid: 'ProvisioningTopics',
      Effect: 'Allow',
      Action: ['iot:Publish', 'iot:Receive'],
      Resource: topics.map((t) => iotArn(sec, `topic/${t}`)),
    },
    {
      Sid: 'ProvisioningTopicFilters',
      Effect: 'Allow',
      Action: 'iot:Subscribe',
      Resource: topics.map((t) => iotArn(sec, `topicfilter/${t}`)),
    },
  ];
}

/**
 * The role AWS IoT assumes to run the provisioning template: register a thing of this
 * fleet (name prefix), put it in the fleet's group (and the registry group when registry
 * models exist), activate its new certificate and attach the device policy. The
 * certificate id is only known at provisioning time, so certificate actions are on `cert/*`.
 */
export function edgeProvisioningStatements(edge: ResolvedEdge, sec: Scope): PolicyStatement[] {
  const things = iotArn(sec, `thing/${edge.fleetName}-*`);
  const groups = [
    iotArn(sec, `thinggroup/${edge.fleetName}`),
    ...(edge.registry ? [iotArn(sec, `thinggroup/${edge.registry.thingGroupName}`)] : []),
  ];
  const certs = iotArn(sec, 'cert/*');
  return [
    {
      Sid: 'RegisterFleetThings',
      Effect: 'Allow',
      Action: ['iot:CreateThing', 'iot:DescribeThing', 'iot:UpdateThing', 'iot:ListThingGroupsForThing'],
      Resource: things,
    },
    {
      Sid: 'JoinTheFleetGroup',
      Effect: 'Allow',
      Action: ['iot:AddThingToThingGroup', 'iot:DescribeThingGroup'],
      Resource: [things, ...groups],
    },
    {
      Sid: 'ActivateDeviceCertificates',
      Effect: 'Allow',
      Action: [
        'iot:AttachPolicy',
        'iot:AttachThingPrincipal',
        'iot:DescribeCertificate',
        'iot:ListPrincipalThings',
        'iot:UpdateCertificate',
      ],
      Resource: [certs, things],
    },
    {
      Sid: 'ReadDevicePolicy',
      Effect: 'Allow',
      Action: 'iot:GetPolicy',
      Resource: iotArn(sec, `policy/${edge.devicePolicyName}`),
    },
  ];
}

/**
 * The CloudFormation service role of the edge stack: exactly the handler permissions the
 * resource schemas of AWS::GreengrassV2::ComponentVersion (create: CreateComponentVersion,
 * DescribeComponent, ListTagsForResource, TagResource, s3:GetObject; delete:
 * DeleteComponent) and AWS::GreengrassV2::Deployment (create: CreateDeployment,
 * GetDeployment, TagResource and the iot job and shadow actions; delete: DeleteDeployment,
 * CancelDeployment, iot:CancelJob, DeleteJob) list, on the fleet's components, its group
 * and its things. CreateDeployment takes no resource-level permissions (Service
 * Authorization Reference), and deployment and job ids are only known once created.
 */
export function edgeStackStatements(
  edge: ResolvedEdge,
  modelsBucketArn: string,
  sec: Scope,
): PolicyStatement[] {
  const gg = `arn:${sec.partition}:greengrass:${sec.region}:${sec.account}`;
  const tags = ['greengrass:ListTagsForResource', 'greengrass:TagResource', 'greengrass:UntagResource'];
  return [
    {
      Sid: 'FleetComponents',
      Effect: 'Allow',
      Action: [
        'greengrass:CreateComponentVersion',
        'greengrass:DeleteComponent',
        'greengrass:DescribeComponent',
        ...tags,
      ],
      Resource: `${gg}:components:${edge.componentPrefix}*`,
    },
    {
      Sid: 'ReadEdgeModels',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: `${modelsBucketArn}/${edge.modelsPrefix}*`,
    },
    {
      Sid: 'DecryptEdgeModels',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: sec.keyArn,
      Condition: { StringEquals: { 'kms:ViaService': `s3.${sec.region}.amazonaws.com` } },
    },
    { Sid: 'CreateDeployment', Effect: 'Allow', Action: 'greengrass:CreateDeployment', Resource: '*' },
    {
      Sid: 'ManageDeployment',
      Effect: 'Allow',
      Action: [
        'greengrass:CancelDeployment',
        'greengrass:DeleteDeployment',
        'greengrass:GetDeployment',
        ...tags,
      ],
      Resource: `${gg}:deployments:*`,
    },
    {
      Sid: 'DeploymentJobs',
      Effect: 'Allow',
      Action: ['iot:CancelJob', 'iot:CreateJob', 'iot:DeleteJob', 'iot:DescribeJob', 'iot:UpdateJob'],
      Resource: [iotArn(sec, 'job/*'), iotArn(sec, `thinggroup/${edge.fleetName}`)],
    },
    {
      Sid: 'FleetGroup',
      Effect: 'Allow',
      Action: 'iot:DescribeThingGroup',
      Resource: iotArn(sec, `thinggroup/${edge.fleetName}`),
    },
    {
      Sid: 'FleetThings',
      Effect: 'Allow',
      Action: ['iot:DeleteThingShadow', 'iot:DescribeThing', 'iot:GetThingShadow', 'iot:UpdateThingShadow'],
      Resource: iotArn(sec, `thing/${edge.fleetName}-*`),
    },
  ];
}

/** The telemetry topic rule's role: write under the telemetry prefix, encrypted, and log failures. */
export function edgeTelemetryStatements(
  edge: ResolvedEdge,
  modelsBucketArn: string,
  logGroupArn: string,
  sec: Scope,
): PolicyStatement[] {
  return [
    {
      Sid: 'WriteTelemetry',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: `${modelsBucketArn}/${edge.telemetryPrefix}*`,
    },
    { Sid: 'EncryptTelemetry', Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: sec.keyArn },
    {
      Sid: 'LogFailedDeliveries',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: `${logGroupArn}:*`,
    },
  ];
}
