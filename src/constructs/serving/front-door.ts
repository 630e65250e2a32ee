import { fullHash } from '../../compiler/short-hash';
import { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment';
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration';
import { ApiGatewayIntegrationResponse } from '@cdktf/provider-aws/lib/api-gateway-integration-response';
import { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method';
import { ApiGatewayMethodResponse } from '@cdktf/provider-aws/lib/api-gateway-method-response';
import { ApiGatewayMethodSettings } from '@cdktf/provider-aws/lib/api-gateway-method-settings';
import { ApiGatewayResource } from '@cdktf/provider-aws/lib/api-gateway-resource';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { Construct } from 'constructs';
import type { ResolvedEndpoint, ResolvedPublic } from '../../model/serving';
import { encryptedLogGroup } from '../logs';
import type { SecurityContext } from '../security-context';
import { frontDoorStatements } from './policies';

/** The header that picks the model of a multi-model endpoint. */
export const TARGET_MODEL_HEADER = 'X-Amzn-SageMaker-Target-Model';

/** One JSON line per request: who called, what came back, how long the endpoint took, what the WAF did. */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  caller: '$context.identity.caller',
  userArn: '$context.identity.userArn',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integration.status',
  integrationLatency: '$context.integration.latency',
  wafResponseCode: '$context.wafResponseCode',
  xrayTraceId: '$context.xrayTraceId',
});

/** Backend status classes mapped to the status the caller sees; the first is the default (2xx). */
const RESPONSES: readonly { readonly status: string; readonly pattern?: string }[] = [
  { status: '200' },
  { status: '400', pattern: '4\\d{2}' },
  { status: '500', pattern: '5\\d{2}' },
];

/** Props of {@link FrontDoor}. */
export interface FrontDoorProps {
  readonly endpoint: ResolvedEndpoint;
  readonly public: ResolvedPublic;
  /** Reference to the endpoint name, so the API is deployed once the endpoint exists. */
  readonly endpointName: string;
  readonly security: SecurityContext;
}

/**
 * The public front door of an endpoint: a regional REST API whose `POST /invocations`
 * calls SageMaker InvokeEndpoint through an AWS service integration with a role that may
 * invoke this endpoint only. Callers authenticate with SigV4 (AWS_IAM): API keys identify
 * but do not authenticate, and would put shared secrets into Terraform state. The stage is
 * throttled, traced, writes JSON access logs (never payloads) to an encrypted log group,
 * and is protected by the web ACL (and Shield when on).
 */
export class FrontDoor extends Construct {
  readonly api: ApiGatewayRestApi;
  readonly stage: ApiGatewayStage;
  /** The URL callers POST to. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: FrontDoorProps) {
    super(scope, id);
    const { endpoint: ep, public: pub, security: sec } = props;
    const edge = sec.edge;
    if (edge === undefined)
      throw new Error(`internal: endpoint ${ep.name} is public but the spec has no web ACL`);
    const multiModel = ep.type === 'multi-model';

    const role = sec.roles.create(this, 'Role', `${ep.roleComponent}-front-door`, {
      services: ['apigateway.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: the front door of ${ep.endpointName} invokes it`,
      statements: frontDoorStatements(ep, sec),
      // API Gateway assumes integration credentials without aws:SourceAccount; the role can
      // invoke this one endpoint only.
      sourceAccountCondition: false,
    });
    this.api = new ApiGatewayRestApi(this, 'Resource', {
      name: pub.apiName,
      description: `pipeform ${sec.pipeline}: public front door of the SageMaker endpoint ${ep.endpointName}`,
      endpointConfiguration: { types: ['REGIONAL'] },
    });
    const apiId = this.api.id;
    const resource = new ApiGatewayResource(this, 'Invocations', {
      restApiId: apiId,
      parentId: this.api.rootResourceId,
      pathPart: 'invocations',
    });
    const headers = ['Accept', 'Content-Type', ...(multiModel ? [TARGET_MODEL_HEADER] : [])];
    const method = new ApiGatewayMethod(this, 'Post', {
      restApiId: apiId,
      resourceId: resource.id,
      httpMethod: 'POST',
      authorization: 'AWS_IAM',
      requestParameters: Object.fromEntries(
        headers.map((h) => [`method.request.header.${h}`, h === TARGET_MODEL_HEADER]),
      ),
    });
    const integration = new ApiGatewayIntegration(this, 'Integration', {
      restApiId: apiId,
      resourceId: resource.id,
      httpMethod: method.httpMethod,
      type: 'AWS',
      integrationHttpMethod: 'POST',
      uri: `arn:${sec.partition}:apigateway:${sec.region}:runtime.sagemaker:path//endpoints/${props.endpointName}/invocations`,
      credentials: role.arn,
      requestParameters: Object.fromEntries(
        headers.map((h) => [`integration.request.header.${h}`, `method.request.header.${h}`]),
      ),
      // Request bodies reach the model unchanged.
      passthroughBehavior: 'WHEN_NO_MATCH',
      timeoutMilliseconds: 29000,
    });
    const responses = RESPONSES.flatMap(({ status, pattern }) => {
      // One scope per status: `serving_<endpoint>_front_door_status_200` for both response resources.
      const statusScope = new Construct(this, `status-${status}`);
      const methodResponse = new ApiGatewayMethodResponse(statusScope, 'Method', {
        restApiId: apiId,
        resourceId: resource.id,
        httpMethod: method.httpMethod,
        statusCode: status,
      });
      const integrationResponse = new ApiGatewayIntegrationResponse(statusScope, 'Integration', {
        restApiId: apiId,
        resourceId: resource.id,
        httpMethod: method.httpMethod,
        statusCode: methodResponse.statusCode,
        ...(pattern ? { selectionPattern: pattern } : {}),
        dependsOn: [integration],
      });
      return [methodResponse, integrationResponse];
    });
    const deployment = new ApiGatewayDeployment(this, 'Deployment', {
      restApiId: apiId,
      description: `pipeform ${sec.pipeline}: ${ep.endpointName}`,
      // A new deployment whenever the API's shape changes; the stage then moves to it.
      triggers: {
        redeployment: fullHash(JSON.stringify({ headers, responses: RESPONSES, endpoint: ep.endpointName })),
      },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: [method, integration, ...responses],
    });
    const logs = encryptedLogGroup(this, 'AccessLogs', pub.accessLogGroupName, sec);
    this.stage = new ApiGatewayStage(this, 'Stage', {
      restApiId: apiId,
      deploymentId: deployment.id,
      stageName: pub.stageName,
      xrayTracingEnabled: pub.tracing,
      accessLogSettings: { destinationArn: logs.arn, format: ACCESS_LOG_FORMAT },
    });
    new ApiGatewayMethodSettings(this, 'Settings', {
      restApiId: apiId,
      stageName: this.stage.stageName,
      methodPath: '*/*',
      settings: {
        throttlingRateLimit: pub.throttleRateLimit,
        throttlingBurstLimit: pub.throttleBurstLimit,
        metricsEnabled: true,
        // Execution logs could hold request bodies (personal data); access logs record every call.
        loggingLevel: 'OFF',
        dataTraceEnabled: false,
      },
    });
    edge.protect(ep.name, this.stage.arn);
    this.url = `${this.stage.invokeUrl}/invocations`;
  }
}
