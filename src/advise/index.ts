export { applyFix } from './apply';
export { advise, sortFindings } from './engine';
export { formatFindings } from './format';
export { adviceRules } from './rules';
export { TECHNIQUES, type Technique } from './techniques';
export type { AdviceRule, Finding, Severity } from './types';
