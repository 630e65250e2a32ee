/**
 * The AWS partition of a region: `aws-cn` for China, `aws-us-gov` for GovCloud, `aws`
 * otherwise. The one copy: the compiler and the construct layer both use it.
 */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * The ARN of a Step Functions service integration (`sns:publish.waitForTaskToken`,
 * `aws-sdk:sagemaker:createModel`, ...) in the partition: `arn:aws-cn:states:::...` in China.
 */
export function integrationArn(partition: string, integration: string): string {
  return `arn:${partition}:states:::${integration}`;
}

/** The parts of an ARN: `arn:partition:service:region:account:resource`. */
export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/** Splits an ARN into its parts; undefined when the text is not an ARN. */
export function parseArn(text: string): Arn | undefined {
  const parts = text.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition, service, region, account, ...resource] = parts;
  return { partition, service, region, account, resource: resource.join(':') };
}
