/**
 * The notebooks area's catalog: the Studio domain's and the notebook instances' defaults
 * (read from the schema, never restated) and their names. Pure: no cdktf, no normalize
 * imports; normalize and cost read it.
 */
import { schemaChoiceDefault, schemaDefault, schemaPointer } from '../../spec/schema';

const instance = (name: string) => schemaPointer('notebooksInstance', name);

/** The notebooks defaults, each read from its schema `default` (the single source). */
export const DEFAULTS = {
  domain: {
    authMode: schemaChoiceDefault(schemaPointer('notebooksDomain', 'authMode'), ['IAM', 'SSO'] as const),
    idleShutdownMinutes: schemaDefault(schemaPointer('notebooksDomain', 'idleShutdownMinutes'), 'number'),
  },
  instance: {
    instanceType: schemaDefault(instance('instanceType'), 'string'),
    volumeGiB: schemaDefault(instance('volumeGiB'), 'number'),
    idleStopMinutes: schemaDefault(instance('idleStopMinutes'), 'number'),
    platform: schemaChoiceDefault(instance('platform'), ['notebook-al2-v3', 'notebook-al2-v2'] as const),
  },
} as const;

/**
 * The instance type a Studio JupyterLab space runs on unless its user picks another:
 * Studio's own default, not a spec default (the cost estimate prices domain users on it).
 */
export const STUDIO_DEFAULT_INSTANCE = 'ml.t3.medium';

/** A notebook instance's name: `<pipeline>-<name>`. */
export function notebookInstanceName(pipeline: string, name: string): string {
  return `${pipeline}-${name}`;
}
