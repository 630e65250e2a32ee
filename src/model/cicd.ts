/**
 * The resolved CI/CD area (issue #7): a CodePipeline (V2) with a source, a CodeBuild build,
 * a manual approval and a deploy through the serving deploy state machine, plus the EventBridge rule that starts it when a
 * model package is approved. Built by `compiler/normalize/cicd.ts`, consumed by
 * `constructs/cicd/`.
 */

import type { ResolvedCodeLocation } from './assets';
import type { ResolvedSecretRef } from './secrets';
import type { ResolvedS3Location } from './training';

/** Where the pipeline takes its source from. */
export type ResolvedCicdSource =
  | {
      readonly kind: 'git';
      /** A connection pipeform creates (PENDING until the console handshake), or an existing one. */
      readonly connection:
        | {
            readonly kind: 'create';
            /** `<pipeline>-git` (connection names are at most 32 characters). */
            readonly name: string;
            /** The provider type CodeStar expects: `GitHub`, `GitLab` or `Bitbucket`. */
            readonly providerType: 'GitHub' | 'GitLab' | 'Bitbucket';
          }
        | { readonly kind: 'existing'; readonly arn: string };
      /** `owner/name`. */
      readonly repository: string;
      readonly branch: string;
      readonly detectChanges: boolean;
    }
  | {
      readonly kind: 's3';
      /** Spec name of the data-lake bucket. */
      readonly bucket: string;
      readonly bucketName: string;
      readonly key: string;
    };

/** The artifact store: a prefix of a data-lake bucket. */
export interface ResolvedCicdArtifacts {
  /** Spec name of the data-lake bucket. */
  readonly bucket: string;
  readonly bucketName: string;
  /** Where CodePipeline writes: the first 20 characters of the pipeline name and `/`. */
  readonly prefix: string;
}

/** A build variable CodeBuild resolves when the build starts. */
export interface ResolvedCodeBuildSecretVariable {
  readonly name: string;
  readonly type: 'SECRETS_MANAGER' | 'PARAMETER_STORE';
  /** `secret-id[:json-key[:version-stage]]`, or the parameter's name. */
  readonly value: string;
}

/** The Build stage's CodeBuild project. */
export interface ResolvedCicdBuild {
  /** `<pipeline>-build`. */
  readonly projectName: string;
  /** Role factory component, `cicd-build`. */
  readonly roleComponent: string;
  /** Path of the buildspec in the source (used unless `buildspecFile` is set). */
  readonly buildspec: string;
  /** A buildspec kept beside the spec (an asset) or elsewhere in S3; CodeBuild reads it by ARN. */
  readonly buildspecFile?: ResolvedCodeLocation;
  /** CodeBuild's compute type, e.g. `BUILD_GENERAL1_SMALL`. */
  readonly computeType: string;
  readonly image: string;
  /** `LINUX_CONTAINER`, or `ARM_CONTAINER` for aarch64 images. */
  readonly environmentType: 'LINUX_CONTAINER' | 'ARM_CONTAINER';
  readonly timeoutMinutes: number;
  /** Runs in the private subnets with the workload security groups. */
  readonly vpc: boolean;
  /** The user's plaintext variables and pipeform's PIPEFORM_* variables, sorted by name. */
  readonly environment: Readonly<Record<string, string>>;
  /** Variables CodeBuild resolves from Secrets Manager or Parameter Store, sorted by name. */
  readonly secretVariables: readonly ResolvedCodeBuildSecretVariable[];
  /** What those variables reference: the build role may read exactly these. */
  readonly secrets: readonly ResolvedSecretRef[];
  /** `/pipeform/<pipeline>/codebuild/build`. */
  readonly logGroupName: string;
  /**
   * Where the build may publish the training code (the training pipeline reads it from
   * here); undefined when the training code comes from a local directory or a bucket
   * outside the pipeline.
   */
  readonly code?: ResolvedS3Location;
}

/** The manual approval before the Deploy stage. */
export interface ResolvedCicdApproval {
  /** `<pipeline>-cicd-approval`. */
  readonly topicName: string;
  /** Email subscriptions, sorted. */
  readonly emails: readonly string[];
  readonly timeoutMinutes: number;
}

/** One endpoint the Deploy stage moves to the approved model package. */
export interface ResolvedDeployTarget {
  /** Spec name of the endpoint. */
  readonly endpoint: string;
  /** The SageMaker endpoint name. */
  readonly endpointName: string;
}

/**
 * The Deploy stage and the trigger on model approval. The stage runs the serving deploy
 * (the state machine `<pipeline>-serving-deploy`) for its endpoints, with the pipeline
 * variable as the version.
 */
export interface ResolvedCicdDeploy {
  /** Sorted by endpoint spec name. */
  readonly targets: readonly ResolvedDeployTarget[];
  /** The EventBridge rule on model approval, `<pipeline>-model-approved`. */
  readonly ruleName: string;
  /** Role factory component of the rule's target role, `cicd-events`. */
  readonly eventsRoleComponent: string;
}

/** The CI/CD area, fully decided. */
export interface ResolvedCicd {
  /** The CodePipeline, `<pipeline>-cicd`. */
  readonly pipelineName: string;
  /** Role factory component of the pipeline role, `cicd-pipeline`. */
  readonly roleComponent: string;
  /** The pipeline variable that selects the model package version to deploy. */
  readonly versionVariable: { readonly name: string; readonly defaultValue: string };
  readonly source: ResolvedCicdSource;
  readonly artifacts: ResolvedCicdArtifacts;
  readonly build: ResolvedCicdBuild;
  /** The registry the pipeline deploys from, `<pipeline>-models`. */
  readonly modelPackageGroupName: string;
  /** `arn:...:model-package/<group>/`; a version number completes it. */
  readonly modelPackageArnPrefix: string;
  /** The SageMaker training pipeline, `<pipeline>-training` (named to the build). */
  readonly trainingPipelineName: string;
  /** Undefined when `deploy.enabled` is false: the pipeline then only builds and tests. */
  readonly approval?: ResolvedCicdApproval;
  readonly deploy?: ResolvedCicdDeploy;
}
