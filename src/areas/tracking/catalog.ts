/**
 * The tracking area's catalog: the MLflow server's defaults (read from the schema, never
 * restated), its names and the variable jobs find it by. Pure: no cdktf, no normalize
 * imports; the check stage and normalize both read it.
 */
import { schemaChoiceDefault, schemaDefault, schemaPointer } from '../../spec/schema';

const mlflow = (name: string) => schemaPointer('trackingMlflow', name);

/** The tracking defaults, each read from its schema `default` (the single source). */
export const DEFAULTS = {
  mlflow: {
    size: schemaChoiceDefault(mlflow('size'), ['Small', 'Medium', 'Large'] as const),
    maintenanceWindow: schemaDefault(mlflow('maintenanceWindow'), 'string'),
    automaticModelRegistration: schemaDefault(mlflow('automaticModelRegistration'), 'boolean'),
  },
} as const;

/** The environment variable the SageMaker MLflow plugin (sagemaker-mlflow) reads the server ARN from. */
export const MLFLOW_TRACKING_URI = 'MLFLOW_TRACKING_URI';

/** The tracking server's name: `<pipeline>-mlflow`. */
export function mlflowServerName(pipeline: string): string {
  return `${pipeline}-mlflow`;
}

/** The key prefix of the server's artifact store in the models bucket: `<pipeline>/mlflow/`. */
export function mlflowArtifactPrefix(pipeline: string): string {
  return `${pipeline}/mlflow/`;
}
