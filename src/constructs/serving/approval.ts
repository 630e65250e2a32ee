/**
 * The EventBridge pattern of an approval in one model package group: SageMaker emits
 * `SageMaker Model Package State Change` events when a package's approval status changes.
 */
export function modelApprovedPattern(modelPackageGroupName: string): Record<string, unknown> {
  return {
    source: ['aws.sagemaker'],
    'detail-type': ['SageMaker Model Package State Change'],
    detail: { ModelPackageGroupName: [modelPackageGroupName], ModelApprovalStatus: ['Approved'] },
  };
}
