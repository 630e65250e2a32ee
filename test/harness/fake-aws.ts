/* eslint-disable @typescript-eslint/no-explicit-any -- AWS request and plan JSON are untyped documents here */
import type { AwsStubState } from './terraform';
import { TaskError, type TaskHandler } from './asl';

/**
 * The AWS the serving deploy talks to in tests: a model registry with the versions given
 * (and their approval status), SSM parameters, SageMaker models, configurations and
 * endpoints kept as their create requests, and Application Auto Scaling registrations.
 * Endpoints are InService as soon as they are created or updated. {@link FakeAws.stubState}
 * hands the result to the offline plan's stub, which describes it back to Terraform.
 */
export class FakeAws {
  readonly ssm: Record<string, string> = {};
  readonly models: Record<string, any> = {};
  readonly configs: Record<string, any> = {};
  readonly endpoints: Record<string, any> = {};
  readonly targets: any[] = [];
  readonly policies: any[] = [];
  readonly scheduledActions: any[] = [];
  readonly calls: { service: string; action: string; args: any }[] = [];

  constructor(
    private readonly group: string,
    /** Version number -> approval status. */
    readonly packages: Record<number, string>,
  ) {}

  readonly handle: TaskHandler = (service, action, args) => {
    this.calls.push({ service, action, args });
    const missing = (what: string) =>
      new TaskError(`SageMaker.ValidationException`, `Could not find ${what}`);
    const key = `${service}:${action}`;
    switch (key) {
      case 'sagemaker:listModelPackages': {
        const approved = Object.entries(this.packages)
          .filter(([, s]) => s === args.ModelApprovalStatus)
          .map(([v]) => Number(v))
          .sort((a, b) => b - a);
        return {
          ModelPackageSummaryList: approved.slice(0, args.MaxResults).map((v) => ({
            ModelPackageGroupName: this.group,
            ModelPackageVersion: v,
            ModelApprovalStatus: 'Approved',
          })),
        };
      }
      case 'sagemaker:describeModelPackage': {
        const v = Number(String(args.ModelPackageName).split('/').pop());
        const status = this.packages[v];
        if (status === undefined) throw missing(args.ModelPackageName);
        return { ModelPackageVersion: v, ModelApprovalStatus: status };
      }
      case 'sagemaker:createModel':
        if (this.models[args.ModelName])
          throw new TaskError('SageMaker.ValidationException', 'already exists');
        this.models[args.ModelName] = args;
        return { ModelArn: `arn:model/${args.ModelName}` };
      case 'sagemaker:describeModel':
        if (!this.models[args.ModelName]) throw missing(args.ModelName);
        return this.models[args.ModelName];
      case 'sagemaker:deleteModel':
        if (!this.models[args.ModelName]) throw missing(args.ModelName);
        delete this.models[args.ModelName];
        return {};
      case 'sagemaker:createEndpointConfig':
        if (this.configs[args.EndpointConfigName])
          throw new TaskError('SageMaker.ValidationException', 'already exists');
        for (const v of [...args.ProductionVariants, ...(args.ShadowProductionVariants ?? [])]) {
          if (!this.models[v.ModelName]) throw missing(v.ModelName);
        }
        this.configs[args.EndpointConfigName] = args;
        return {};
      case 'sagemaker:describeEndpointConfig':
        if (!this.configs[args.EndpointConfigName]) throw missing(args.EndpointConfigName);
        return this.configs[args.EndpointConfigName];
      case 'sagemaker:deleteEndpointConfig':
        delete this.configs[args.EndpointConfigName];
        return {};
      case 'sagemaker:describeEndpoint': {
        const e = this.endpoints[args.EndpointName];
        if (!e) throw missing(args.EndpointName);
        return {
          EndpointName: args.EndpointName,
          EndpointConfigName: e.EndpointConfigName,
          EndpointStatus: 'InService',
        };
      }
      case 'sagemaker:createEndpoint':
        if (!this.configs[args.EndpointConfigName]) throw missing(args.EndpointConfigName);
        this.endpoints[args.EndpointName] = args;
        return {};
      case 'sagemaker:updateEndpoint':
        if (!this.configs[args.EndpointConfigName]) throw missing(args.EndpointConfigName);
        this.endpoints[args.EndpointName] = { ...this.endpoints[args.EndpointName], ...args };
        return {};
      case 'ssm:getParameter':
        if (this.ssm[args.Name] === undefined)
          throw new TaskError('Ssm.ParameterNotFoundException', args.Name);
        return { Parameter: { Name: args.Name, Value: this.ssm[args.Name] } };
      case 'ssm:putParameter':
        if (this.ssm[args.Name] !== undefined && args.Overwrite !== true)
          throw new TaskError('Ssm.ParameterAlreadyExistsException', args.Name);
        this.ssm[args.Name] = args.Value;
        return { Version: 1 };
      case 'applicationautoscaling:registerScalableTarget':
        upsert(this.targets, args, (x) => x.ResourceId === args.ResourceId);
        return {};
      case 'applicationautoscaling:putScalingPolicy':
        upsert(
          this.policies,
          args,
          (x) => x.PolicyName === args.PolicyName && x.ResourceId === args.ResourceId,
        );
        return {};
      case 'applicationautoscaling:putScheduledAction':
        upsert(this.scheduledActions, args, (x) => x.ScheduledActionName === args.ScheduledActionName);
        return {};
      default:
        throw new Error(`the fake AWS does not answer ${key}`);
    }
  };

  stubState(): AwsStubState {
    return {
      ssm: { ...this.ssm },
      sagemaker: {
        models: { ...this.models },
        configs: { ...this.configs },
        endpoints: { ...this.endpoints },
      },
      autoscaling: {
        targets: [...this.targets],
        policies: [...this.policies],
        scheduledActions: [...this.scheduledActions],
      },
    };
  }
}

function upsert(list: any[], item: any, same: (x: any) => boolean): void {
  const i = list.findIndex(same);
  if (i >= 0) list[i] = { ...list[i], ...item };
  else list.push(item);
}
