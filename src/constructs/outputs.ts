import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';

/**
 * One `output` block of the stack. Areas describe their outputs with these and the stack
 * writes them all at once ({@link writeOutputs}), so no area creates a `TerraformOutput`
 * itself and two areas cannot silently write the same output (cdktf would merge them).
 */
export interface StackOutput {
  /** The output's name: its address is `output.<name>`. */
  readonly name: string;
  /** What the value is and what to do with it; shown by `terraform output` readers and module registries. */
  readonly description: string;
  /** The value: a token, a string, or a map or list of them. */
  readonly value: unknown;
  /** Hidden from plan and apply logs. @default false */
  readonly sensitive?: boolean;
}

/** The outputs of one area (`network`, `serving`, ...), in the order the area lists them. */
export interface AreaOutputs {
  /** The area's name, as the spec section or construct that owns the outputs. */
  readonly area: string;
  readonly outputs: readonly StackOutput[];
}

/**
 * Writes the outputs of every area to `stack`, in the order given, and returns them by
 * name (the stack adds overrides such as a precondition to some). Refuses an output
 * without a description and an output name two areas (or one area twice) use: each is a
 * bug in pipeform, not in the spec.
 */
export function writeOutputs(
  stack: Construct,
  areas: readonly AreaOutputs[],
): ReadonlyMap<string, TerraformOutput> {
  const owner = new Map<string, string>();
  const written = new Map<string, TerraformOutput>();
  for (const { area, outputs } of areas) {
    for (const o of outputs) {
      const other = owner.get(o.name);
      if (other !== undefined)
        throw new Error(
          `internal: stack output ${o.name} of area ${area} is already an output of area ${other}; give one of them another name`,
        );
      if (o.description.trim() === '')
        throw new Error(`internal: stack output ${o.name} of area ${area} has no description`);
      owner.set(o.name, area);
      written.set(
        o.name,
        new TerraformOutput(stack, o.name, {
          description: o.description,
          value: o.value,
          ...(o.sensitive ? { sensitive: true } : {}),
        }),
      );
    }
  }
  return written;
}
