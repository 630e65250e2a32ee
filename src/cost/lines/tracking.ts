import { bill, fmt, hours, id, line, type CostArea } from '../bill';

/** tracking.mlflow: the server runs around the clock; its metadata storage is not estimated. */
export const trackingCostLines: CostArea = {
  prefix: 'tracking',
  lines(ctx) {
    const mlflow = ctx.spec.tracking?.mlflow;
    if (!mlflow) return [];
    const h = hours(ctx);
    return [
      line(
        'tracking/mlflow',
        'tracking',
        `MLflow tracking server ${mlflow.serverName}: ${mlflow.size}, ${fmt(h)} h (artifacts in the models bucket)`,
        bill(ctx)
          .add(
            ctx.prices.sagemaker?.mlflowServerHour?.[mlflow.size],
            h,
            `sagemaker mlflow tracking server ${mlflow.size}`,
          )
          .amount(),
      ),
    ];
  },
  addresses: (_spec, name) =>
    name === 'mlflow' ? [`aws_sagemaker_mlflow_tracking_server.${id('tracking')}`] : [],
};
