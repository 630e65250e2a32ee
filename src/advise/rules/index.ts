import type { AdviceRule } from '../types';
import { edgeAdvice } from './edge';
import { eksAdvice } from './eks';
import { emrAdvice } from './emr';
import { glueAdvice } from './glue';
import { monitoringAdvice } from './monitoring';
import { networkAdvice } from './network';
import { notebooksAdvice } from './notebooks';
import { quotaAdvice } from './quotas';
import { regionAdvice } from './region';
import { servingAdvice } from './serving';
import { storageAdvice } from './storage';
import { trainingAdvice } from './training';

/** Every advice rule, in no particular order (findings are sorted by position). */
export const adviceRules: readonly AdviceRule[] = [
  ...edgeAdvice,
  ...eksAdvice,
  ...emrAdvice,
  ...glueAdvice,
  ...monitoringAdvice,
  ...networkAdvice,
  ...notebooksAdvice,
  ...quotaAdvice,
  ...regionAdvice,
  ...servingAdvice,
  ...storageAdvice,
  ...trainingAdvice,
];
