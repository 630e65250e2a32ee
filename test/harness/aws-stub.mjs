// A local stand-in for the few AWS JSON-protocol APIs an offline `terraform plan` calls:
// Step Functions ValidateStateMachineDefinition (for a changed definition), and for a
// registry endpoint SSM GetParametersByPath (the serving ledger) and, for the
// imports of what the serving deploy created, SageMaker Describe*/ListTags and Application
// Auto Scaling Describe*/ListTagsForResource. It runs as its own process (terraform is run
// with spawnSync, which blocks the test's event loop) and answers from a JSON file the test
// writes: the ledger parameters and the create requests the deploy sent, which it returns
// the way the services describe them; and STS GetCallerIdentity (query protocol), which a
// module reads for its caller's account. Used only by test/harness/terraform.ts.
//
// usage: node aws-stub.mjs <state.json> <port file>
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import aslValidator from 'asl-validator';

const [stateFile, portFile] = process.argv.slice(2);
const state = () => JSON.parse(readFileSync(stateFile, 'utf8'));
const ACCOUNT = process.env.AWS_STUB_ACCOUNT ?? '123456789012';
const REGION = process.env.AWS_STUB_REGION ?? 'us-east-1';
const EPOCH = 1767225600;
const arn = (service, resource) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;

class NotFound extends Error {}

const sagemakerTags = (s, resourceArn) => {
  const all = [
    ...Object.entries(s.sagemaker?.models ?? {}).map(([n, r]) => [arn('sagemaker', `model/${n}`), r.Tags]),
    ...Object.entries(s.sagemaker?.configs ?? {}).map(([n, r]) => [
      arn('sagemaker', `endpoint-config/${n}`),
      r.Tags,
    ]),
    ...Object.entries(s.sagemaker?.endpoints ?? {}).map(([n, r]) => [
      arn('sagemaker', `endpoint/${n}`),
      r.Tags,
    ]),
  ];
  return all.find(([a]) => a === resourceArn)?.[1] ?? [];
};

const omit = (o, ...keys) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

const handlers = {
  // The provider validates a changed state machine definition at plan time; answer with
  // what asl-validator (the States Language schema, JSONPath and JSONata) finds.
  'AWSStepFunctions.ValidateStateMachineDefinition': (_s, b) => {
    const { isValid, errors } = aslValidator(JSON.parse(b.definition), { checkArn: false, checkPaths: true });
    return isValid
      ? { result: 'OK', diagnostics: [] }
      : {
          result: 'FAIL',
          diagnostics: errors.map((e) => ({
            severity: 'ERROR',
            code: e['Error code'],
            message: e.Message,
            location: e.schemaError?.instancePath ?? '',
          })),
        };
  },
  'AmazonSSM.GetParametersByPath': (s, b) => ({
    Parameters: Object.entries(s.ssm ?? {})
      .filter(([name]) => name.startsWith(`${b.Path}/`) && !name.slice(b.Path.length + 1).includes('/'))
      .map(([Name, Value]) => ({
        Name,
        Value,
        Type: 'String',
        Version: 1,
        DataType: 'text',
        ARN: arn('ssm', `parameter${Name}`),
        LastModifiedDate: EPOCH,
      })),
  }),
  'SageMaker.DescribeModel': (s, b) => {
    const r = s.sagemaker?.models?.[b.ModelName];
    if (!r) throw new NotFound(`Could not find model "${b.ModelName}".`);
    return { ...omit(r, 'Tags'), ModelArn: arn('sagemaker', `model/${b.ModelName}`), CreationTime: EPOCH };
  },
  'SageMaker.DescribeEndpointConfig': (s, b) => {
    const r = s.sagemaker?.configs?.[b.EndpointConfigName];
    if (!r) throw new NotFound(`Could not find endpoint configuration "${b.EndpointConfigName}".`);
    return {
      ...omit(r, 'Tags'),
      EndpointConfigArn: arn('sagemaker', `endpoint-config/${b.EndpointConfigName}`),
      CreationTime: EPOCH,
    };
  },
  'SageMaker.DescribeEndpoint': (s, b) => {
    const r = s.sagemaker?.endpoints?.[b.EndpointName];
    if (!r) throw new NotFound(`Could not find endpoint "${b.EndpointName}".`);
    return {
      EndpointName: b.EndpointName,
      EndpointArn: arn('sagemaker', `endpoint/${b.EndpointName}`),
      EndpointConfigName: r.EndpointConfigName,
      EndpointStatus: 'InService',
      CreationTime: EPOCH,
      LastModifiedTime: EPOCH,
      ...(r.DeploymentConfig ? { LastDeploymentConfig: r.DeploymentConfig } : {}),
    };
  },
  'SageMaker.ListTags': (s, b) => ({ Tags: sagemakerTags(s, b.ResourceArn) }),
  'AnyScaleFrontendService.DescribeScalableTargets': (s, b) => ({
    ScalableTargets: (s.autoscaling?.targets ?? [])
      .filter(
        (t) =>
          t.ServiceNamespace === b.ServiceNamespace &&
          (!b.ResourceIds || b.ResourceIds.includes(t.ResourceId)),
      )
      .filter((t) => !b.ScalableDimension || t.ScalableDimension === b.ScalableDimension)
      .map((t) => ({
        ...omit(t, 'Tags'),
        RoleARN: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint`,
        ScalableTargetARN: arn(
          'application-autoscaling',
          `scalable-target/${Buffer.from(t.ResourceId).toString('hex').slice(0, 24)}`,
        ),
        CreationTime: EPOCH,
        SuspendedState: {
          DynamicScalingInSuspended: false,
          DynamicScalingOutSuspended: false,
          ScheduledScalingSuspended: false,
        },
      })),
  }),
  'AnyScaleFrontendService.ListTagsForResource': (s, b) => {
    const t = (s.autoscaling?.targets ?? []).find(
      (x) =>
        arn(
          'application-autoscaling',
          `scalable-target/${Buffer.from(x.ResourceId).toString('hex').slice(0, 24)}`,
        ) === b.ResourceARN,
    );
    return { Tags: t?.Tags ?? {} };
  },
  'AnyScaleFrontendService.DescribeScalingPolicies': (s, b) => ({
    ScalingPolicies: (s.autoscaling?.policies ?? [])
      .filter(
        (p) =>
          p.ServiceNamespace === b.ServiceNamespace &&
          (!b.PolicyNames || b.PolicyNames.includes(p.PolicyName)),
      )
      .filter((p) => !b.ResourceId || p.ResourceId === b.ResourceId)
      .map((p) => ({
        ...p,
        PolicyARN: arn(
          'autoscaling',
          `scalingPolicy:0:resource/sagemaker/${p.ResourceId}:policyName/${p.PolicyName}`,
        ),
        Alarms: [],
        CreationTime: EPOCH,
      })),
  }),
  'AnyScaleFrontendService.DescribeScheduledActions': (s, b) => ({
    ScheduledActions: (s.autoscaling?.scheduledActions ?? [])
      .filter(
        (a) =>
          a.ServiceNamespace === b.ServiceNamespace &&
          (!b.ScheduledActionNames || b.ScheduledActionNames.includes(a.ScheduledActionName)),
      )
      .filter((a) => !b.ResourceId || a.ResourceId === b.ResourceId)
      .map((a) => ({
        ...a,
        ScheduledActionARN: arn(
          'autoscaling',
          `scheduledAction:0:resource/sagemaker/${a.ResourceId}:scheduledActionName/${a.ScheduledActionName}`,
        ),
        CreationTime: EPOCH,
      })),
  }),
};

const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    if (!req.headers['x-amz-target'] && /(^|&)Action=GetCallerIdentity(&|$)/.test(body)) {
      res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': 'stub' });
      return res.end(
        `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
          `<Arn>arn:aws:iam::${ACCOUNT}:user/pipeform-test</Arn><UserId>AIDAPIPEFORMTEST</UserId>` +
          `<Account>${ACCOUNT}</Account></GetCallerIdentityResult>` +
          `<ResponseMetadata><RequestId>stub</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
      );
    }
    const target = req.headers['x-amz-target'];
    const handler = handlers[target];
    const reply = (status, payload) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'stub' });
      res.end(JSON.stringify(payload));
    };
    if (!handler)
      return reply(400, {
        __type: 'UnknownOperationException',
        message: `the stub does not answer ${target}`,
      });
    try {
      reply(200, handler(state(), body ? JSON.parse(body) : {}));
    } catch (e) {
      if (e instanceof NotFound) return reply(400, { __type: 'ValidationException', message: e.message });
      reply(500, { __type: 'InternalFailure', message: String(e) });
    }
  });
});
// Written beside and renamed, so a reader never sees the port file created but still empty.
server.listen(0, '127.0.0.1', () => {
  writeFileSync(`${portFile}.tmp`, String(server.address().port));
  renameSync(`${portFile}.tmp`, portFile);
});
