/**
 * Numeric sense the schema cannot express: ratio metrics, and the ranges of the numeric
 * hyperparameters of SageMaker's built-in algorithms. Pure tables, read by the check stage.
 */

/** The range of a numeric value. */
export interface NumericRange {
  readonly min: number;
  readonly max: number;
  /** `min` itself is not allowed. */
  readonly minExclusive?: boolean;
  /** `max` itself is not allowed. */
  readonly maxExclusive?: boolean;
  /** Whole numbers only (a count, a depth, a flag). */
  readonly integer?: boolean;
}

/**
 * The largest magnitude a hyperparameter, a tuning bound or a KPI threshold may have in the
 * spec (the schema's bound): far above any real setting, and printed without an exponent
 * (JavaScript writes 1e21 and above as `1e+21`, which algorithms may not parse).
 */
export const MAX_MAGNITUDE = 1_000_000_000_000;

/**
 * Metric names that are ratios in [0, 1]: rates of correct or wrong predictions, areas
 * under curves, ranking scores. A KPI on one of them with a threshold outside [0, 1] can
 * never pass (or never fail). Not here: r2 (down to -inf), mcc (from -1), losses and errors
 * measured in the target's unit (mse, rmse, mae, ...).
 */
export const RATIO_METRICS: ReadonlySet<string> = new Set([
  'accuracy',
  'auc',
  'aucpr',
  'balanced_accuracy',
  'error',
  'f0_5',
  'f1',
  'f1_binary',
  'f1_macro',
  'f1_micro',
  'f1_weighted',
  'f2',
  'false_negative_rate',
  'false_positive_rate',
  'map',
  'merror',
  'ndcg',
  'pr_auc',
  'precision',
  'recall',
  'roc_auc',
  'sensitivity',
  'specificity',
  'true_negative_rate',
  'true_positive_rate',
]);

/**
 * The metric name inside a KPI's metric path or a tuning objective:
 * `binary_classification_metrics.auc.value` -> `auc`, `validation:f1` -> `f1`.
 */
export function metricName(path: string): string {
  const parts = path
    .toLowerCase()
    .split(/[.:/]/)
    .filter((p) => p !== '' && p !== 'value');
  return parts[parts.length - 1] ?? '';
}

/** True when a metric path names a ratio metric (its values lie in [0, 1]). */
export function isRatioMetric(path: string): boolean {
  return RATIO_METRICS.has(metricName(path));
}

const count = (min = 1): NumericRange => ({ min, max: MAX_MAGNITUDE, integer: true });
const fraction: NumericRange = { min: 0, max: 1 };
const nonNegative: NumericRange = { min: 0, max: MAX_MAGNITUDE };
const positive: NumericRange = { min: 0, max: MAX_MAGNITUDE, minExclusive: true };
const flag: NumericRange = { min: 0, max: 1, integer: true };

/**
 * Numeric hyperparameters of the built-in algorithms and their documented ranges (AWS,
 * SageMaker Developer Guide: "XGBoost hyperparameters", "Linear learner hyperparameters",
 * "DeepAR hyperparameters"). Where the guide says only "integer" or "float" for a count or
 * a rate, the range is what the value means (a count of rounds is at least 1). Names not
 * listed are not judged.
 */
export const BUILTIN_HYPERPARAMETER_RANGES: Readonly<Record<string, Readonly<Record<string, NumericRange>>>> =
  {
    xgboost: {
      alpha: nonNegative,
      colsample_bylevel: fraction,
      colsample_bynode: { min: 0, max: 1, minExclusive: true },
      colsample_bytree: fraction,
      csv_weights: flag,
      early_stopping_rounds: count(),
      eta: fraction,
      gamma: nonNegative,
      lambda: nonNegative,
      lambda_bias: fraction,
      max_bin: count(2),
      max_delta_step: nonNegative,
      max_depth: count(0),
      max_leaves: count(0),
      min_child_weight: nonNegative,
      nthread: count(),
      num_class: count(2),
      num_round: count(),
      one_drop: flag,
      rate_drop: fraction,
      refresh_leaf: flag,
      scale_pos_weight: positive,
      sketch_eps: fraction,
      skip_drop: fraction,
      subsample: fraction,
      tweedie_variance_power: { min: 1, max: 2, minExclusive: true, maxExclusive: true },
      verbosity: { min: 0, max: 3, integer: true },
    },
    'linear-learner': {
      accuracy_top_k: count(),
      beta_1: fraction,
      beta_2: fraction,
      bias_lr_mult: positive,
      bias_wd_mult: nonNegative,
      early_stopping_patience: count(),
      early_stopping_tolerance: positive,
      epochs: count(),
      f_beta: positive,
      feature_dim: count(),
      huber_delta: positive,
      init_scale: positive,
      init_sigma: positive,
      l1: nonNegative,
      learning_rate: positive,
      loss_insensitivity: positive,
      lr_scheduler_factor: { min: 0, max: 1, minExclusive: true },
      lr_scheduler_minimum_lr: positive,
      lr_scheduler_step: count(),
      margin: positive,
      mini_batch_size: count(),
      momentum: fraction,
      num_calibration_samples: count(),
      num_classes: { min: 3, max: 1_000_000, integer: true },
      num_models: count(),
      num_point_for_scaler: count(),
      positive_example_weight_mult: positive,
      quantile: fraction,
      target_precision: fraction,
      target_recall: fraction,
      wd: nonNegative,
    },
    deepar: {
      context_length: count(),
      dropout_rate: fraction,
      early_stopping_patience: count(),
      embedding_dimension: count(),
      epochs: count(),
      learning_rate: positive,
      mini_batch_size: count(),
      num_cells: count(),
      num_dynamic_feat: count(),
      num_eval_samples: count(),
      num_layers: count(),
      prediction_length: count(),
    },
  };

/** The documented range of a built-in algorithm's hyperparameter; undefined when not judged. */
export function hyperparameterRange(algorithm: string, name: string): NumericRange | undefined {
  const table = Object.hasOwn(BUILTIN_HYPERPARAMETER_RANGES, algorithm)
    ? BUILTIN_HYPERPARAMETER_RANGES[algorithm]
    : undefined;
  return table && Object.hasOwn(table, name) ? table[name] : undefined;
}

/** True when `value` lies in `range` (whole numbers only where the range says so). */
export function inRange(value: number, range: NumericRange): boolean {
  if (range.integer && !Number.isInteger(value)) return false;
  const aboveMin = range.minExclusive ? value > range.min : value >= range.min;
  const belowMax = range.maxExclusive ? value < range.max : value <= range.max;
  return aboveMin && belowMax;
}

/** The range as a user reads it: `a whole number from 1`, `a number in [0, 1]`, `a number above 0`. */
export function describeRange(range: NumericRange): string {
  const open = range.max >= MAX_MAGNITUDE;
  if (range.integer)
    return open ? `a whole number from ${range.min}` : `a whole number from ${range.min} to ${range.max}`;
  if (open) return `a number ${range.minExclusive ? 'above' : 'of at least'} ${range.min}`;
  return `a number in ${range.minExclusive ? '(' : '['}${range.min}, ${range.max}${range.maxExclusive ? ')' : ']'}`;
}

/**
 * A hyperparameter value as a number when it is one (a YAML number, or text that is a
 * decimal number); undefined for other text (`auto`, `binary:logistic`) and booleans.
 */
export function numericValue(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(value.trim()))
    return Number(value);
  return undefined;
}
