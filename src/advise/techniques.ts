/**
 * The seed's headings (../shared/seed/ml-pipelines-on-aws.txt) that advice comes from,
 * quoted exactly, so each finding says which technique of the guide it applies.
 */
export const TECHNIQUES = {
  spot: 'Use Spot Instances & Distributed Training',
  managed: 'Leverage AWS Managed Services',
  dataProcessing: 'Optimize Data Processing',
  parallelism: 'Utilize Model Parallelism Techniques',
  communication: 'Optimize Communication Protocols',
  edge: 'Consider inference at the edge',
  faultTolerance: 'Ensure Fault Tolerance',
  cicd: 'Implement CI/CD Pipelines',
  security: 'Security and Compliance',
  monitoring: 'Monitor and Optimize Continuously',
} as const;

/** One of the seed's headings. */
export type Technique = (typeof TECHNIQUES)[keyof typeof TECHNIQUES];
