/**
 * The resolved spec and every type it is made of: what `compileSpec` returns and
 * `PipelineStack` builds from. Every default is applied and every derived AWS name is
 * computed, so code reading it never guesses. Re-exported by `pipeform` (types only).
 */
export type * from './assets';
export type * from './cicd';
export type * from './data';
export type * from './eks';
export type * from './features';
export type * from './monitoring';
export type * from './notebooks';
export type * from './orchestration';
export type * from './promotion';
export type * from './resolved';
export type * from './secrets';
export type * from './serving';
export type * from './tracking';
export type * from './training';
