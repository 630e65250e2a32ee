/**
 * The Terraform state area's catalog: where the state lives when the spec does not say.
 * Pure: no cdktf, no normalize imports; the check rules (state, compliance) and normalize
 * read it.
 */
import { schemaChoiceDefault, schemaDefault, schemaPointer } from '../../spec/schema';

/** The state defaults, each read from its schema `default` (the single source). */
export const DEFAULTS = {
  backend: schemaChoiceDefault(schemaPointer('state', 'backend'), ['local', 's3'] as const),
  /** The local backend's state file, relative to the configuration. */
  path: schemaDefault(schemaPointer('state', 'path'), 'string'),
  s3: {
    /** Terraform 1.10's S3-native lock file instead of a DynamoDB table. */
    lockfile: schemaDefault(schemaPointer('s3Backend', 'lockfile'), 'boolean'),
  },
} as const;
