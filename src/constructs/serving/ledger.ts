import { DataAwsSsmParametersByPath } from '@cdktf/provider-aws/lib/data-aws-ssm-parameters-by-path';
import { TerraformLocal, TerraformStack, type TerraformResource } from 'cdktf';
import { Construct } from 'constructs';

/**
 * The serving ledger as Terraform reads it: one SSM parameter per registry endpoint under
 * `<path>/<endpoint>`, written only by the serving deploy. `aws_ssm_parameters_by_path`
 * answers an empty list when nothing is under the path (day 0), so the plan never fails;
 * the local `serving_ledger` maps endpoint spec names to the decoded JSON.
 *
 * The provider marks `values` sensitive; they hold version numbers and names only, and
 * `for_each` refuses sensitive values, hence `nonsensitive`.
 */
export class ServingLedger extends Construct {
  /** `local.serving_ledger`: endpoint spec name -> `{token, config, versions, models, scaling}`. */
  readonly ref = 'local.serving_ledger';
  private readonly imports: Record<string, unknown>[] = [];

  constructor(scope: Construct, id: string, path: string) {
    super(scope, id);
    const data = new DataAwsSsmParametersByPath(this, 'Resource', { path, recursive: false });
    const names = `data.${data.terraformResourceType}.${data.friendlyUniqueId}.names`;
    const values = `data.${data.terraformResourceType}.${data.friendlyUniqueId}.values`;
    new TerraformLocal(
      this,
      'Local',
      `\${{ for i, n in ${names} : trimprefix(n, "${path}/") => jsondecode(nonsensitive(${values}[i])) }}`,
    ).overrideLogicalId('serving_ledger');
  }

  /**
   * Adopts what the serving deploy created: an `import` block with `for_each` (Terraform
   * 1.7 or later) into `resource[each.key]`, with `each.value` as the import id. Imports of
   * an address already in the state do nothing, so the blocks stay.
   */
  adopt(resource: TerraformResource, forEach: string): void {
    this.imports.push({
      for_each: forEach,
      to: `${resource.terraformResourceType}.${resource.friendlyUniqueId}[each.key]`,
      id: '${each.value}',
    });
    TerraformStack.of(this).addOverride('import', [...this.imports]);
  }

  /** The import blocks added so far (module output writes them for the caller). */
  get importBlocks(): readonly Record<string, unknown>[] {
    return this.imports;
  }
}

/** An HCL string literal. */
export const lit = (s: string): string => JSON.stringify(s);

/**
 * A `for_each` expression: one instance when `condition` holds, none otherwise; `key` and
 * `value` are HCL expressions (use {@link lit} for literals).
 */
export const onlyIf = (condition: string, key: string, value = key): string =>
  `\${${condition} ? { (${key}) = ${value} } : {}}`;
