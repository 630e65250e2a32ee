/**
 * The promotion area's catalog: its defaults, read from the schema (never restated).
 * Pure: no cdktf, no normalize imports; the compiler's promotion resolver reads it.
 */
import { schemaChoiceDefault, schemaDefault, schemaPointer } from '../../spec/schema';

const promotion = (name: string) => schemaPointer('promotion', name);

/** The promotion defaults, each read from its schema `default` (the single source). */
export const DEFAULTS = {
  approval: schemaChoiceDefault(promotion('approval'), ['manual', 'automatic'] as const),
  approvalTimeoutHours: schemaDefault(promotion('approvalTimeoutHours'), 'number'),
} as const;
