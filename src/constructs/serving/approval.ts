/**
 * The EventBridge pattern of an approval in one model package group: SageMaker emits
 * `SageMaker Model Package State Change` events when a package's approval status changes.
 * With `account` (promotion), only events of the owner's account match: a serving account
 * receives them forwarded to its default bus, with their original account.
 */
export function modelApprovedPattern(
  modelPackageGroupName: string,
  account?: string,
): Record<string, unknown> {
  return {
    source: ['aws.sagemaker'],
    ...(account ? { account: [account] } : {}),
    'detail-type': ['SageMaker Model Package State Change'],
    detail: { ModelPackageGroupName: [modelPackageGroupName], ModelApprovalStatus: ['Approved'] },
  };
}
