import { SagemakerModelPackageGroup } from '@cdktf/provider-aws/lib/sagemaker-model-package-group';
import { Construct } from 'constructs';

/** Props of {@link ModelRegistry}. */
export interface ModelRegistryProps {
  /** `<pipeline>-models`: serving and CI/CD refer to it by this name. */
  readonly name: string;
  readonly description: string;
}

/**
 * The model package group the training pipeline registers into. It has no resource policy:
 * the registry stays private to the account (the group takes no KMS key; model artifacts and
 * evaluation reports live in the encrypted models bucket).
 */
export class ModelRegistry extends Construct {
  readonly group: SagemakerModelPackageGroup;

  constructor(scope: Construct, id: string, props: ModelRegistryProps) {
    super(scope, id);
    this.group = new SagemakerModelPackageGroup(this, 'Resource', {
      modelPackageGroupName: props.name,
      modelPackageGroupDescription: props.description,
    });
  }
}
