/**
 * Lazy loaders of the optional AWS areas. Each area pulls in dozens of provider resource
 * modules; loading them only when the spec uses the area keeps a data-lake-only synth at a
 * fraction of the time and memory (see docs/benchmarks.md). Types come from type-only
 * imports, so the compiler still checks every use.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- synchronous lazy loading is the point */
export const areas = {
  network: () => require('./network') as typeof import('./network'),
  accountLogs: () => require('./account-log-groups') as typeof import('./account-log-groups'),
  edge: () => require('./edge') as typeof import('./edge'),
  eks: () => require('./eks/cluster') as typeof import('./eks/cluster'),
  data: () => require('./data') as typeof import('./data'),
  training: () => require('./training/sagemaker-pipeline') as typeof import('./training/sagemaker-pipeline'),
  tracking: () => require('./tracking/mlflow') as typeof import('./tracking/mlflow'),
  serving: () => require('./serving/serving') as typeof import('./serving/serving'),
  cicd: () => require('./cicd/cicd') as typeof import('./cicd/cicd'),
  monitoring: () => require('./monitoring/monitoring') as typeof import('./monitoring/monitoring'),
};
