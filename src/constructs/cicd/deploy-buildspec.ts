/**
 * The Deploy stage's buildspec. It moves the endpoints' `latest-approved` variants to one
 * approved model package version through the SageMaker API only, which is what keeps the
 * deploy role narrow (no Terraform run over the whole stack):
 *
 * 1. resolve the version: the pipeline variable MODEL_PACKAGE_VERSION, a number or
 *    `latest-approved` (the newest Approved package of the group); refuse anything not Approved;
 * 2. per endpoint: clone the model of each target variant with the new package (same role,
 *    VPC, isolation and environment), clone the endpoint configuration with the new models,
 *    and update the endpoint keeping its blue/green policy and auto-rollback alarms;
 * 3. wait for the deployment; fail when SageMaker rolled it back;
 * 4. write the deployed versions as Terraform variables to the artifact bucket, so the next
 *    `terraform apply` of the stack keeps them instead of reverting the endpoints.
 *
 * A variant that already serves the version is left alone, so re-runs are no-ops. The
 * script avoids `${` and `%{`, which Terraform would interpolate.
 */
export const DEPLOY_SCRIPT = String.raw`set -euo pipefail
group="$PIPEFORM_MODEL_PACKAGE_GROUP"
wanted="$MODEL_PACKAGE_VERSION"
if [ "$wanted" = "latest-approved" ]; then
  package=$(aws sagemaker list-model-packages --model-package-group-name "$group" \
    --model-approval-status Approved --sort-by CreationTime --sort-order Descending \
    --max-results 1 --query 'ModelPackageSummaryList[0].ModelPackageArn' --output text)
  if [ -z "$package" ] || [ "$package" = "None" ]; then
    echo "No approved version in $group: nothing to deploy."
    exit 1
  fi
elif echo "$wanted" | grep -Eq '^[1-9][0-9]{0,4}$'; then
  package="$PIPEFORM_MODEL_PACKAGE_ARN_PREFIX$wanted"
else
  echo "MODEL_PACKAGE_VERSION is '$wanted': use latest-approved or a version number."
  exit 1
fi
status=$(aws sagemaker describe-model-package --model-package-name "$package" \
  --query ModelApprovalStatus --output text)
if [ "$status" != "Approved" ]; then
  echo "$package is $status, not Approved: refusing to deploy it."
  exit 1
fi
version=$(basename "$package")
stamp=$(date +%s)
tags="Key=pipeform:pipeline,Value=$PIPEFORM_PIPELINE Key=pipeform:deployed-by,Value=cicd"
versions='{}'
echo "Deploying $package"
targets=$(jq length <<<"$PIPEFORM_DEPLOY_TARGETS")
for i in $(seq 0 $((targets - 1))); do
  target=$(jq -c ".[$i]" <<<"$PIPEFORM_DEPLOY_TARGETS")
  endpoint=$(jq -r .endpointName <<<"$target")
  current=$(aws sagemaker describe-endpoint --endpoint-name "$endpoint" \
    --query EndpointConfigName --output text)
  aws sagemaker describe-endpoint-config --endpoint-config-name "$current" > config.json
  changed=no
  variants=$(jq '.variants | length' <<<"$target")
  for j in $(seq 0 $((variants - 1))); do
    variant=$(jq -r ".variants[$j].variant" <<<"$target")
    variable=$(jq -r ".variants[$j].variable" <<<"$target")
    prefix=$(jq -r ".variants[$j].modelNamePrefix" <<<"$target")
    model=$(jq -r --arg v "$variant" \
      '[(.ProductionVariants // [])[], (.ShadowProductionVariants // [])[]]
       | map(select(.VariantName == $v)) | .[0].ModelName' config.json)
    aws sagemaker describe-model --model-name "$model" > model.json
    if [ "$(jq -r '.PrimaryContainer.ModelPackageName // ""' model.json)" = "$package" ]; then
      echo "$endpoint/$variant already serves $package"
    else
      name="$prefix-v$version-$stamp"
      jq --arg name "$name" --arg package "$package" \
        '{ModelName: $name, ExecutionRoleArn: .ExecutionRoleArn,
          PrimaryContainer: ({ModelPackageName: $package}
            + (if .PrimaryContainer.Environment then {Environment: .PrimaryContainer.Environment} else {} end)),
          EnableNetworkIsolation: (.EnableNetworkIsolation // false)}
         + (if .VpcConfig then {VpcConfig: .VpcConfig} else {} end)' model.json > new-model.json
      aws sagemaker create-model --cli-input-json file://new-model.json --tags $tags
      jq --arg v "$variant" --arg m "$name" \
        '.ProductionVariants |= map(if .VariantName == $v then .ModelName = $m else . end)
         | if .ShadowProductionVariants then .ShadowProductionVariants
             |= map(if .VariantName == $v then .ModelName = $m else . end) else . end' \
        config.json > next.json
      mv next.json config.json
      changed=yes
    fi
    versions=$(jq --arg k "$variable" --argjson v "$version" '. + {($k): $v}' <<<"$versions")
  done
  if [ "$changed" = yes ]; then
    config="$(jq -r .configNamePrefix <<<"$target")cd-$stamp"
    jq --arg n "$config" \
      '{EndpointConfigName: $n, ProductionVariants, ShadowProductionVariants, DataCaptureConfig,
        KmsKeyId, AsyncInferenceConfig, ExplainerConfig} | with_entries(select(.value != null))' \
      config.json > new-config.json
    aws sagemaker create-endpoint-config --cli-input-json file://new-config.json --tags $tags
    # The endpoint keeps its blue/green policy and auto-rollback alarms.
    aws sagemaker update-endpoint --endpoint-name "$endpoint" --endpoint-config-name "$config" \
      --retain-deployment-config
    while true; do
      sleep 30
      state=$(aws sagemaker describe-endpoint --endpoint-name "$endpoint" --query EndpointStatus --output text)
      case "$state" in Updating | SystemUpdating | RollingBack) continue ;; esac
      break
    done
    serving=$(aws sagemaker describe-endpoint --endpoint-name "$endpoint" --query EndpointConfigName --output text)
    if [ "$state" != "InService" ] || [ "$serving" != "$config" ]; then
      echo "$endpoint did not take $config (status $state, serving $serving): rolled back or failed."
      exit 1
    fi
    echo "$endpoint now serves $package"
  fi
done
echo "$versions" > model-versions.auto.tfvars.json
aws s3 cp model-versions.auto.tfvars.json "s3://$PIPEFORM_ARTIFACT_BUCKET/$PIPEFORM_VERSIONS_KEY"
echo "Deployed versions: s3://$PIPEFORM_ARTIFACT_BUCKET/$PIPEFORM_VERSIONS_KEY (pass it to terraform apply)"`;

/** The Deploy project's inline buildspec: the script as one bash command. */
export function deployBuildspec(): string {
  return [
    'version: 0.2',
    'env:',
    '  shell: bash',
    'phases:',
    '  build:',
    '    commands:',
    '      - |',
    ...DEPLOY_SCRIPT.split('\n').map((line) => (line === '' ? '' : `        ${line}`)),
    '',
  ].join('\n');
}
