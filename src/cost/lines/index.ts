/**
 * Every area's part of the cost estimate, one module per area. `estimateLines` runs them all
 * and `componentAddresses` finds a component's addresses through the entry of its prefix;
 * a new area adds its module here (test/registries.test.ts fails until it does, or until
 * the area is listed as having no cost).
 */
import type { CostArea } from '../bill';
import { cicdCostLines } from './cicd';
import { eksCostLines } from './eks';
import { emrCostLines } from './emr';
import { featuresCostLines } from './features';
import { glueCostLines } from './glue';
import { lambdaCostLines } from './lambda';
import { logsCostLines } from './logs';
import { monitoringCostLines } from './monitoring';
import { networkCostLines } from './network';
import { notebooksCostLines } from './notebooks';
import { securityCostLines } from './security';
import { servingCostLines } from './serving';
import { storageCostLines } from './storage';
import { trackingCostLines } from './tracking';
import { trainingCostLines } from './training';

/** The cost areas, each with its own component prefix (lines are sorted by component afterwards). */
export const costAreas: readonly CostArea[] = [
  securityCostLines,
  storageCostLines,
  networkCostLines,
  logsCostLines,
  eksCostLines,
  glueCostLines,
  emrCostLines,
  lambdaCostLines,
  notebooksCostLines,
  trackingCostLines,
  featuresCostLines,
  trainingCostLines,
  servingCostLines,
  monitoringCostLines,
  cicdCostLines,
];
