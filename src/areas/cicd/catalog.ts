/**
 * The CI/CD area's catalog: its defaults (read from the schema, never restated), the
 * CodeBuild and CodeStar tables and the names the pipeline's parts get. Pure: no cdktf,
 * no normalize imports; the check stage and normalize both read it.
 */
import { schemaChoiceDefault, schemaDefault, schemaPointer } from '../../spec/schema';

const git = (name: string) => schemaPointer('cicdGitSource', name);
const build = (name: string) => schemaPointer('cicdBuild', name);

/** CodeBuild compute types by the spec's size names. */
export const COMPUTE_TYPES = {
  small: 'BUILD_GENERAL1_SMALL',
  medium: 'BUILD_GENERAL1_MEDIUM',
  large: 'BUILD_GENERAL1_LARGE',
  xlarge: 'BUILD_GENERAL1_XLARGE',
  '2xlarge': 'BUILD_GENERAL1_2XLARGE',
} as const;

/** CodeStar provider types by the spec's provider names. */
export const PROVIDER_TYPES = { github: 'GitHub', gitlab: 'GitLab', bitbucket: 'Bitbucket' } as const;

/** The CI/CD defaults, each read from its schema `default` (the single source). */
export const DEFAULTS = {
  artifactBucket: schemaDefault(schemaPointer('cicd', 'artifactBucket'), 'string'),
  git: {
    provider: schemaChoiceDefault(
      git('provider'),
      Object.keys(PROVIDER_TYPES) as (keyof typeof PROVIDER_TYPES)[],
    ),
    branch: schemaDefault(git('branch'), 'string'),
    detectChanges: schemaDefault(git('detectChanges'), 'boolean'),
  },
  build: {
    buildspec: schemaDefault(build('buildspec'), 'string'),
    computeType: schemaChoiceDefault(
      build('computeType'),
      Object.keys(COMPUTE_TYPES) as (keyof typeof COMPUTE_TYPES)[],
    ),
    /** Amazon Linux 2, x86_64, with the AWS CLI v2 and jq. */
    image: schemaDefault(build('image'), 'string'),
    timeoutMinutes: schemaDefault(build('timeoutMinutes'), 'number'),
    vpc: schemaDefault(build('vpc'), 'boolean'),
  },
  approvalTimeoutMinutes: schemaDefault(schemaPointer('cicdApproval', 'timeoutMinutes'), 'number'),
  deployEnabled: schemaDefault(schemaPointer('cicdDeploy', 'enabled'), 'boolean'),
} as const;

/** The pipeline variable that picks the version to deploy, and its default. */
export const VERSION_VARIABLE = { name: 'MODEL_PACKAGE_VERSION', defaultValue: 'latest-approved' } as const;

/** CodePipeline names the artifact folder after the first 20 characters of the pipeline name. */
export const ARTIFACT_FOLDER_LENGTH = 20;

/** The CodePipeline pipeline's name: `<pipeline>-cicd`. */
export function cicdPipelineName(pipeline: string): string {
  return `${pipeline}-cicd`;
}
