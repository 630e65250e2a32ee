import type { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Construct } from 'constructs';
import { encryptedLogGroup } from './logs';
import type { SecurityContext } from './security-context';

/**
 * The log groups SageMaker creates on its own the first time a job or app of the account
 * writes to them, by construct id (the Terraform address suffix). AWS lists them in "Log
 * groups and streams that Amazon SageMaker AI sends to Amazon CloudWatch Logs"
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/logging-cloudwatch.html), and keeps
 * their data indefinitely by default. `/aws/sagemaker/Endpoints/<name>` is per endpoint:
 * serving creates those itself.
 */
export const SAGEMAKER_ACCOUNT_LOG_GROUPS: Readonly<Record<string, string>> = {
  'compilation-jobs': '/aws/sagemaker/CompilationJobs',
  'inference-recommendations-jobs': '/aws/sagemaker/InferenceRecommendationsJobs',
  'labeling-jobs': '/aws/sagemaker/LabelingJobs',
  'notebook-instances': '/aws/sagemaker/NotebookInstances',
  'processing-jobs': '/aws/sagemaker/ProcessingJobs',
  studio: '/aws/sagemaker/studio',
  'training-jobs': '/aws/sagemaker/TrainingJobs',
  'transform-jobs': '/aws/sagemaker/TransformJobs',
};

/**
 * `security.accountLogGroups: manage`: the account-shared SageMaker log groups, with the
 * pipeline's retention and key (the key policy already lets CloudWatch Logs of this account
 * use it for every log group of the account). They are shared by every pipeline of the
 * account and region, so `terraform destroy` of this pipeline leaves them in place
 * (`skip_destroy`): other pipelines keep logging, and audit records survive.
 */
export class AccountLogGroups extends Construct {
  /** The created groups, by construct id. */
  readonly groups: ReadonlyMap<string, CloudwatchLogGroup>;

  constructor(scope: Construct, id: string, security: SecurityContext) {
    super(scope, id);
    const groups = new Map<string, CloudwatchLogGroup>();
    for (const [groupId, name] of Object.entries(SAGEMAKER_ACCOUNT_LOG_GROUPS)) {
      const group = encryptedLogGroup(this, groupId, name, security);
      group.skipDestroy = true;
      groups.set(groupId, group);
    }
    this.groups = groups;
  }
}
